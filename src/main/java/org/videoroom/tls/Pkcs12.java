package org.videoroom.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** Opening a PKCS#12 file and finding its server key, with errors that say which file and why. */
final class Pkcs12 {

    static final String TYPE = "PKCS12";

    private Pkcs12() {
    }

    /**
     * Loads the file with the password.
     *
     * @param hint what the person should do when it cannot be read (appended to the error)
     */
    static KeyStore load(Path file, String password, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new TlsSetupException("no keystore at " + file + ": " + hint);
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance(TYPE);
            keyStore.load(in, password.toCharArray());
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            // The JDK says "keystore password was incorrect" for a wrong password and something about DER for
            // a file that is not PKCS#12 at all; both are worth showing, with the cause kept for the stack.
            throw new TlsSetupException(file + " cannot be read as a PKCS#12 keystore with the given password ("
                    + e.getMessage() + "): " + hint, e);
        }
    }

    /** The certificate of {@code alias}, which must be a private key entry; null if there is no such entry. */
    static X509Certificate serverCertificate(KeyStore keyStore, String alias) {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                return null;
            }
            Certificate certificate = keyStore.getCertificate(alias);
            return certificate instanceof X509Certificate x509 ? x509 : null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a loaded keystore refused a read", e);
        }
    }
}
