package org.videoroom.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * A PKCS#12 keystore the operator brought (a real certificate, e.g. Let's Encrypt's exported with {@code openssl
 * pkcs12 -export}). It is only checked, never written: it must open with the password and hold a private key
 * under the alias the server is told to use, or the https listener would start and then fail every handshake.
 */
public final class ConfiguredKeystore {

    private ConfiguredKeystore() {
    }

    /** Checks the keystore and returns it; the certificate's dates and names are the operator's business. */
    public static ServerKeystore open(Path file, String password, String alias) {
        KeyStore keyStore = Pkcs12.load(file, password, "check videoroom.tls.keystore and its password");
        X509Certificate certificate = Pkcs12.serverCertificate(keyStore, alias);
        if (certificate == null) {
            throw new TlsSetupException(file + " has no private key entry named \"" + alias + "\" (it has "
                    + aliases(keyStore) + "): set videoroom.tls.alias to the entry's name, or export the keystore"
                    + " again with openssl pkcs12 -export -name " + alias);
        }
        return new ServerKeystore(file, password, alias, certificate);
    }

    private static List<String> aliases(KeyStore keyStore) {
        try {
            return Collections.list(keyStore.aliases());
        } catch (KeyStoreException e) {
            throw new IllegalStateException("a loaded keystore refused a read", e);
        }
    }
}
