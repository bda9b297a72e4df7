package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An {@code a=fingerprint} value (RFC 8122 §5): {@code <hash-func> SP <hex pairs joined by ':'>},
 * the digest of the certificate a DTLS endpoint will present (RFC 8122 §5, RFC 5763 §5).
 *
 * <p>Hash names compare ignoring case and the grammar writes upper-case hex (UHEX), but browsers
 * are not consistent, so the record stores the canonical form (lower-case name, upper-case hex)
 * and two fingerprints that differ only in case are {@link #equals equal}.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param hashFunction e.g. {@code sha-256}, stored lower-case
 * @param value colon-separated upper-case hex pairs
 */
public record Fingerprint(String hashFunction, String value) {

    /** The hash function of the SFU's own certificate, and the one browsers send. */
    public static final String SHA_256 = "sha-256";

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public Fingerprint {
        require(SdpSyntax.isToken(hashFunction), "fingerprint hash function", hashFunction);
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        require(isColonHex(value), "fingerprint", value);
        value = value.toUpperCase(Locale.ROOT);
        int expected = digestLength(hashFunction);
        int actual = (value.length() + 1) / 3;
        require(expected < 0 || expected == actual, "fingerprint length for " + hashFunction, actual);
    }

    /** RFC 8122 §5: 2HEX *(":" 2HEX), case not enforced here (see the class comment). */
    private static boolean isColonHex(String s) {
        if (s == null || s.length() < 2 || (s.length() + 1) % 3 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Digest size in bytes of the hash functions RFC 8122 §5 registers; -1 for others. */
    private static int digestLength(String hashFunction) {
        return switch (hashFunction) {
            case "md2", "md5" -> 16;
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> -1;
        };
    }

    /** A fingerprint from a raw digest. */
    public static Fingerprint of(String hashFunction, byte[] digest) {
        return new Fingerprint(hashFunction, COLON_HEX.formatHex(digest));
    }

    /** Hashes a DER-encoded certificate with {@code hashFunction} (e.g. {@code sha-256}). */
    public static Fingerprint ofCertificate(String hashFunction, byte[] derCertificate) {
        String jca = jcaName(hashFunction.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("unsupported hash function: " + hashFunction));
        return of(hashFunction, messageDigest(jca).digest(derCertificate));
    }

    /**
     * Parses an {@code a=fingerprint} value, e.g. {@code sha-256 C7:2F:...:D2}.
     *
     * @throws SdpParseException with {@link SdpParseException.Reason#BAD_FINGERPRINT}
     */
    public static Fingerprint parse(String attributeValue) {
        List<String> f = SdpSyntax.words(attributeValue);
        if (f.size() != 2) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_FINGERPRINT,
                    "expected 2 fields: " + attributeValue);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_FINGERPRINT, () -> new Fingerprint(f.get(0), f.get(1)));
    }

    /** The digest bytes. */
    public byte[] digest() {
        return COLON_HEX.parseHex(value);
    }

    /** The JCA {@link MessageDigest} name for this hash function, if the JDK provides it. */
    public Optional<String> jcaAlgorithm() {
        return jcaName(hashFunction);
    }

    /**
     * True when the DER certificate the peer presented hashes to this fingerprint (RFC 5763 §5).
     * Compares in constant time; false for a hash function the JDK does not provide.
     */
    public boolean matchesCertificate(byte[] derCertificate) {
        Optional<String> jca = jcaAlgorithm();
        if (jca.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(messageDigest(jca.get()).digest(derCertificate), digest());
    }

    private static Optional<String> jcaName(String hashFunction) {
        return switch (hashFunction) {
            case "md5" -> Optional.of("MD5");
            case "sha-1" -> Optional.of("SHA-1");
            case "sha-224" -> Optional.of("SHA-224");
            case "sha-256" -> Optional.of("SHA-256");
            case "sha-384" -> Optional.of("SHA-384");
            case "sha-512" -> Optional.of("SHA-512");
            default -> Optional.empty();
        };
    }

    private static MessageDigest messageDigest(String jcaName) {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // Every JDK must provide MD5, SHA-1 and SHA-256; the others are in all JDKs we target.
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    /** The value after {@code a=fingerprint:}. */
    public String format() {
        return hashFunction + " " + value;
    }
}
