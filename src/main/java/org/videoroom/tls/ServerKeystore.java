package org.videoroom.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A PKCS#12 keystore the https listener can load: where it is, how to open it, which entry is the server's key,
 * and that entry's certificate (for the log line and the tests, which compare it with what the server serves).
 */
public record ServerKeystore(Path path, String password, String alias, X509Certificate certificate) {

    /**
     * The certificate's SHA-256 fingerprint as browsers, {@code openssl x509 -fingerprint -sha256} and keytool
     * show it ({@code AB:CD:...}), so a person can compare it with what their browser's warning displays.
     */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate of " + path, e);
        }
    }
}
