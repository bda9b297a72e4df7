package org.videoroom.transport.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A certificate fingerprint as the SDP {@code a=fingerprint} attribute carries it (RFC 8122 §5):
 * a hash function's textual name and the digest of the DER certificate as uppercase hex pairs
 * separated by colons.
 *
 * <pre>
 *   fingerprint-attribute  =  "fingerprint" ":" hash-func SP fingerprint
 *   fingerprint            =  2UHEX *(":" 2UHEX)
 * </pre>
 *
 * <p>Supported hash functions are the SHA family names of the IANA registry RFC 8122 §5 refers to
 * ({@code sha-1}, {@code sha-224}, {@code sha-256}, {@code sha-384}, {@code sha-512}); MD2 and MD5
 * are refused. The compact constructor normalizes case (RFC 8122 matches the hash name
 * case-insensitively; hex is compared by value) and checks the digest length.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hashFunction lower-case hash function name, e.g. {@code sha-256}
 * @param value        upper-case colon-separated hex, e.g. {@code AB:CD:...}
 */
public record DtlsFingerprint(String hashFunction, String value) {
    /** The hash function this SFU uses for its own certificate, and the one browsers send. */
    public static final String SHA_256 = "sha-256";

    /** Hash function name to JDK digest name and digest length in bytes. */
    private static final Map<String, Digest> DIGESTS = Map.of(
            "sha-1", new Digest("SHA-1", 20),
            "sha-224", new Digest("SHA-224", 28),
            "sha-256", new Digest("SHA-256", 32),
            "sha-384", new Digest("SHA-384", 48),
            "sha-512", new Digest("SHA-512", 64));

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private record Digest(String jdkName, int length) {
    }

    /**
     * @throws DtlsException with {@link DtlsException.Reason#INVALID_FINGERPRINT} for an unsupported
     *                       hash function or a value that is not its digest length in colon hex
     */
    public DtlsFingerprint {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(value, "value");
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        Digest digest = DIGESTS.get(hashFunction);
        if (digest == null) {
            throw invalid("unsupported hash function " + hashFunction);
        }
        byte[] bytes;
        try {
            bytes = COLON_HEX.parseHex(value);
        } catch (IllegalArgumentException e) {
            throw invalid("not colon-separated hex pairs: " + value);
        }
        if (bytes.length != digest.length()) {
            throw invalid(hashFunction + " needs " + digest.length() + " bytes, got " + bytes.length);
        }
        value = COLON_HEX.formatHex(bytes);
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, {@code "sha-256 AB:CD:..."}.
     *
     * @throws DtlsException with {@link DtlsException.Reason#INVALID_FINGERPRINT}
     */
    public static DtlsFingerprint parse(String attributeValue) {
        Objects.requireNonNull(attributeValue, "attributeValue");
        String[] parts = attributeValue.strip().split(" +");
        if (parts.length != 2) {
            throw invalid("expected '<hash-func> <fingerprint>': " + attributeValue);
        }
        return new DtlsFingerprint(parts[0], parts[1]);
    }

    /** The fingerprint of a DER-encoded certificate under {@code hashFunction}. */
    public static DtlsFingerprint of(String hashFunction, byte[] derCertificate) {
        Digest digest = DIGESTS.get(hashFunction.toLowerCase(Locale.ROOT));
        if (digest == null) {
            throw invalid("unsupported hash function " + hashFunction);
        }
        return new DtlsFingerprint(hashFunction, COLON_HEX.formatHex(digest(digest, derCertificate)));
    }

    /** Whether {@code derCertificate} hashes to this fingerprint (compared in constant time). */
    public boolean matches(byte[] derCertificate) {
        byte[] actual = digest(DIGESTS.get(hashFunction), derCertificate);
        return MessageDigest.isEqual(COLON_HEX.parseHex(value), actual);
    }

    /** The SDP attribute value, {@code "sha-256 AB:CD:..."}. */
    public String toSdp() {
        return hashFunction + " " + value;
    }

    /** Whether this SFU can check fingerprints made with {@code hashFunction}. */
    static boolean isSupported(String hashFunction) {
        return DIGESTS.containsKey(hashFunction.toLowerCase(Locale.ROOT));
    }

    /** Rank of the hash function by digest length, for RFC 8122 §5's "most preferred" choice. */
    int strength() {
        return DIGESTS.get(hashFunction).length();
    }

    @Override
    public String toString() {
        return toSdp();
    }

    private static byte[] digest(Digest digest, byte[] data) {
        try {
            return MessageDigest.getInstance(digest.jdkName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-1 and the SHA-2 family.
            throw new IllegalStateException(e);
        }
    }

    private static DtlsException invalid(String message) {
        return new DtlsException(DtlsException.Reason.INVALID_FINGERPRINT, message);
    }
}
