package org.videoroom.tls;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The step the build runs before Payara Micro starts: picks the https keystore (the configured one, or the
 * self-signed one, made or renewed as needed), reports it, and writes the system properties that make the
 * server load it ({@code javax.net.ssl.keyStore} and its password, read by Payara Micro through
 * {@code --systemProperties}; the alias goes to {@code --sslcert}).
 *
 * <p>Runs as its own JVM on the application's JDK (Maven itself may run on an older one). Exits with status 1
 * and a one-paragraph reason when the keystore cannot serve, so the build stops before a server that would
 * fail every handshake.
 */
public final class KeystoreSetup {

    /** What the server is told (system properties it reads at boot). */
    static final String KEY_STORE = "javax.net.ssl.keyStore";
    static final String KEY_STORE_PASSWORD = "javax.net.ssl.keyStorePassword";
    static final String KEY_STORE_TYPE = "javax.net.ssl.keyStoreType";
    /** Beside the self-signed keystore: its certificate in PEM, to import where it should be trusted. */
    public static final String CERTIFICATE_FILE = "certificate.pem";

    private KeystoreSetup() {
    }

    public static void main(String[] args) {
        try {
            run(TlsSettings.from(System.getProperties(), System.getenv()), new SelfSignedKeystore(),
                    line -> System.out.println("[videoroom tls] " + line));
        } catch (TlsSetupException e) {
            System.err.println("[videoroom tls] " + e.getMessage());
            System.exit(1);
        }
    }

    /** Picks the keystore, writes the server's properties file, and reports each step to {@code log}. */
    public static ServerKeystore run(TlsSettings settings, SelfSignedKeystore selfSigned, Consumer<String> log) {
        ServerKeystore keystore;
        if (settings.configuredKeystore() != null) {
            keystore = ConfiguredKeystore.open(settings.configuredKeystore(), settings.configuredPassword(),
                    settings.alias());
            log.accept("https uses the configured keystore " + keystore.path() + " (entry \"" + keystore.alias()
                    + "\")");
        } else {
            SelfSignedKeystore.Result result = selfSigned.ensure(settings.selfSignedFile(), settings.alias(),
                    settings.hosts());
            keystore = result.keystore();
            Path pem = settings.directory().resolve(CERTIFICATE_FILE);
            writeText(pem, pem(keystore));
            log.accept(switch (result.action()) {
                case CREATED -> "generated a self-signed certificate for " + settings.hosts().describe();
                case REUSED -> "reusing the self-signed certificate for " + settings.hosts().describe();
                case RENEWED -> "generated a new self-signed certificate for " + settings.hosts().describe()
                        + " (the old one could not be kept: " + result.why() + ")";
            } + ", valid until " + keystore.certificate().getNotAfter().toInstant());
            log.accept("keystore " + keystore.path() + ", certificate " + pem);
        }
        log.accept("certificate SHA-256 fingerprint " + keystore.sha256Fingerprint());
        writeServerProperties(settings.serverProperties(), keystore);
        return keystore;
    }

    private static void writeServerProperties(Path file, ServerKeystore keystore) {
        Properties properties = new Properties();
        properties.setProperty(KEY_STORE, keystore.path().toString());
        properties.setProperty(KEY_STORE_PASSWORD, keystore.password());
        properties.setProperty(KEY_STORE_TYPE, Pkcs12.TYPE);
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            // It holds the keystore's password: owner-only, like the keystore.
            Path temporary = Files.createTempFile(directory, ".tls-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.ISO_8859_1)) {
                properties.store(out, "the https keystore of the videoroom server, by " + KeystoreSetup.class.getName());
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write " + file + ": " + e, e);
        }
    }

    private static String pem(ServerKeystore keystore) {
        try {
            String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(keystore.certificate().getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the certificate of " + keystore.path(), e);
        }
    }

    /** The certificate is public: a plain write, readable by all. */
    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write " + file + ": " + e, e);
        }
    }
}
