package org.videoroom.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeystoreSetupTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private Properties settings(String... keyValues) {
        Properties properties = new Properties();
        properties.setProperty("user.home", dir.resolve("home").toString());
        properties.setProperty("videoroom.tls.server-properties", dir.resolve("target/tls.properties").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private ServerKeystore run(Properties properties, Map<String, String> environment) {
        return KeystoreSetup.run(TlsSettings.from(properties, environment), new SelfSignedKeystore(), log::add);
    }

    private Properties serverProperties() throws Exception {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("target/tls.properties"), StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void withNothingConfiguredTheServerGetsTheSelfSignedKeystoreInTheHomeDirectory() throws Exception {
        ServerKeystore keystore = run(settings("videoroom.tls.hosts", "localhost,10.98.0.1"), Map.of());

        Path expected = dir.resolve("home/.videoroom/tls/keystore.p12");
        assertEquals(expected, keystore.path());
        assertEquals("videoroom", keystore.alias());
        Properties server = serverProperties();
        assertEquals(expected.toString(), server.getProperty("javax.net.ssl.keyStore"));
        assertEquals(SelfSignedKeystore.PASSWORD, server.getProperty("javax.net.ssl.keyStorePassword"));
        assertEquals("PKCS12", server.getProperty("javax.net.ssl.keyStoreType"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("target/tls.properties"))));
        // The PEM beside it is the same certificate, for whoever wants to trust it.
        try (InputStream in = Files.newInputStream(expected.resolveSibling("certificate.pem"))) {
            Certificate pem = CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertArrayEquals(keystore.certificate().getEncoded(), pem.getEncoded());
        }
        assertEquals(List.of(
                "generated a self-signed certificate for localhost,10.98.0.1, valid until "
                        + keystore.certificate().getNotAfter().toInstant(),
                "keystore " + expected + ", certificate " + expected.resolveSibling("certificate.pem"),
                "certificate SHA-256 fingerprint " + keystore.sha256Fingerprint()), log);
        assertTrue(keystore.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));

        log.clear();
        ServerKeystore again = run(settings("videoroom.tls.hosts", "localhost,10.98.0.1"), Map.of());
        assertEquals(keystore.sha256Fingerprint(), again.sha256Fingerprint());
        assertTrue(log.getFirst().startsWith("reusing the self-signed certificate"), log.getFirst());
    }

    @Test
    void aConfiguredKeystoreWinsAndNothingIsGenerated() throws Exception {
        Path theirs = operatorsKeystore("site", "s3cret");

        ServerKeystore keystore = run(settings("videoroom.tls.keystore", theirs.toString(),
                "videoroom.tls.alias", "site", "videoroom.tls.dir", dir.resolve("generated").toString()),
                Map.of("VIDEOROOM_TLS_KEYSTORE_PASSWORD", "s3cret"));

        assertEquals(theirs, keystore.path());
        assertEquals("site", keystore.alias());
        Properties server = serverProperties();
        assertEquals(theirs.toString(), server.getProperty("javax.net.ssl.keyStore"));
        assertEquals("s3cret", server.getProperty("javax.net.ssl.keyStorePassword"));
        assertFalse(Files.exists(dir.resolve("generated")), "no self-signed keystore beside a configured one");
        assertEquals("https uses the configured keystore " + theirs + " (entry \"site\")", log.getFirst());
    }

    @Test
    void theConfiguredPasswordPropertyComesBeforeTheEnvironment() throws Exception {
        Path theirs = operatorsKeystore("videoroom", "from-property");
        ServerKeystore keystore = run(settings("videoroom.tls.keystore", theirs.toString(),
                "videoroom.tls.keystore-password", "from-property"),
                Map.of("VIDEOROOM_TLS_KEYSTORE_PASSWORD", "from-environment"));
        assertEquals("from-property", keystore.password());
    }

    @Test
    void aConfiguredKeystoreWithoutTheAliasIsRefusedWithTheNamesItHas() throws Exception {
        Path theirs = operatorsKeystore("site", "s3cret");
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> run(settings(
                "videoroom.tls.keystore", theirs.toString(), "videoroom.tls.keystore-password", "s3cret"), Map.of()));
        assertTrue(e.getMessage().contains("no private key entry named \"videoroom\" (it has [site])"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("target/tls.properties")), "the server is not told to use it");
    }

    @Test
    void aConfiguredKeystoreWithTheWrongPasswordOrMissingIsRefused() throws Exception {
        Path theirs = operatorsKeystore("videoroom", "s3cret");
        TlsSetupException wrong = assertThrows(TlsSetupException.class, () -> run(settings(
                "videoroom.tls.keystore", theirs.toString(), "videoroom.tls.keystore-password", "guess"), Map.of()));
        assertTrue(wrong.getMessage().startsWith(theirs + " cannot be read as a PKCS#12 keystore"), wrong.getMessage());

        Path missing = dir.resolve("nowhere.p12");
        TlsSetupException absent = assertThrows(TlsSetupException.class, () -> run(settings(
                "videoroom.tls.keystore", missing.toString(), "videoroom.tls.keystore-password", "x"), Map.of()));
        assertTrue(absent.getMessage().startsWith("no keystore at " + missing), absent.getMessage());

        TlsSetupException noPassword = assertThrows(TlsSetupException.class, () -> run(settings(
                "videoroom.tls.keystore", theirs.toString()), Map.of()));
        assertTrue(noPassword.getMessage().contains("VIDEOROOM_TLS_KEYSTORE_PASSWORD"), noPassword.getMessage());
    }

    @Test
    void badHostsAreReportedAsTheSettingsError() {
        TlsSetupException e = assertThrows(TlsSetupException.class,
                () -> run(settings("videoroom.tls.hosts", "localhost, not a host"), Map.of()));
        assertEquals("videoroom.tls.hosts: not a host name or IP address: \"not a host\"", e.getMessage());
    }

    @Test
    void blankPropertiesCountAsUnset() {
        // Maven passes its empty properties as -Dname= (an empty string).
        TlsSettings settings = TlsSettings.from(settings("videoroom.tls.keystore", "", "videoroom.tls.hosts", " ",
                "videoroom.tls.alias", "", "videoroom.tls.dir", ""), Map.of());
        assertEquals(null, settings.configuredKeystore());
        assertEquals("videoroom", settings.alias());
        assertEquals(CertificateHosts.thisMachine(), settings.hosts());
        assertEquals(dir.resolve("home/.videoroom/tls/keystore.p12"), settings.selfSignedFile());
    }

    /** A keystore as an operator would bring it: its own alias and password. */
    private Path operatorsKeystore(String alias, String password) throws Exception {
        Path made = dir.resolve("made/keystore.p12");
        ServerKeystore generated = new SelfSignedKeystore().ensure(made, "tmp", CertificateHosts.parse("localhost"))
                .keystore();
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(made)) {
            source.load(in, generated.password().toCharArray());
        }
        Key key = source.getKey("tmp", generated.password().toCharArray());
        KeyStore theirs = KeyStore.getInstance("PKCS12");
        theirs.load(null, null);
        theirs.setKeyEntry(alias, key, password.toCharArray(), new X509Certificate[] {generated.certificate()});
        Path file = dir.resolve("operator/" + alias + ".p12");
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            theirs.store(out, password.toCharArray());
        }
        return file;
    }
}
