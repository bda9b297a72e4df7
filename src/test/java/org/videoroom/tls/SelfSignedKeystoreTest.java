package org.videoroom.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfSignedKeystoreTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final CertificateHosts HOSTS = CertificateHosts.parse("localhost,vm.example,127.0.0.1,::1");

    @TempDir
    Path dir;

    private static SelfSignedKeystore at(Instant now) {
        return new SelfSignedKeystore(Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void aNewCertificateNamesEveryHostAndIsOnlyForServers() throws Exception {
        Path file = dir.resolve("tls/keystore.p12");
        SelfSignedKeystore.Result result = at(NOW).ensure(file, "videoroom", HOSTS);

        assertEquals(SelfSignedKeystore.Action.CREATED, result.action());
        X509Certificate certificate = result.keystore().certificate();
        Set<String> sans = certificate.getSubjectAlternativeNames().stream()
                .map(entry -> entry.get(0) + "=" + entry.get(1)).collect(Collectors.toSet());
        // 2 = dNSName, 7 = iPAddress (RFC 5280 GeneralName tags, as the JDK reports them).
        assertEquals(Set.of("2=localhost", "2=vm.example", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1"), sans);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage(), "serverAuth only");
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        assertEquals(3, certificate.getVersion());
        assertTrue(certificate.getPublicKey() instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256, "an EC P-256 key");
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        certificate.verify(certificate.getPublicKey());
        Duration validity = Duration.between(NOW, certificate.getNotAfter().toInstant());
        assertEquals(SelfSignedKeystore.VALIDITY, validity);
        assertTrue(certificate.getNotBefore().toInstant().isBefore(NOW));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        // Nothing half-written is left beside it.
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void theFileServesATlsHandshakeThatChecksTheAddress() throws Exception {
        ServerKeystore keystore = at(Instant.now()).ensure(dir.resolve("keystore.p12"), "videoroom", HOSTS).keystore();
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore.path())) {
            loaded.load(in, keystore.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(loaded, keystore.password().toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keystore.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    int b = accepted.getInputStream().read();
                    accepted.getOutputStream().write(b + 1);
                    accepted.getOutputStream().flush();
                    return b;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket("127.0.0.1", listener.getLocalPort())) {
                // As a browser does: the certificate must name the address the URL has.
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                OutputStream out = socket.getOutputStream();
                out.write(41);
                out.flush();
                assertEquals(42, socket.getInputStream().read());
                assertArrayEquals(keystore.certificate().getEncoded(),
                        socket.getSession().getPeerCertificates()[0].getEncoded());
            }
            assertEquals(41, served.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSecondRunReusesTheFileUntouched() throws Exception {
        Path file = dir.resolve("keystore.p12");
        ServerKeystore first = at(NOW).ensure(file, "videoroom", HOSTS).keystore();
        byte[] bytes = Files.readAllBytes(file);

        SelfSignedKeystore.Result second = at(NOW.plus(Duration.ofDays(100))).ensure(file, "videoroom",
                CertificateHosts.parse("127.0.0.1,::1,VM.example,localhost"));

        assertEquals(SelfSignedKeystore.Action.REUSED, second.action(), "same hosts in another order and case");
        assertEquals(first.sha256Fingerprint(), second.keystore().sha256Fingerprint());
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void anExpiredOrExpiringCertificateIsReplaced() throws Exception {
        Path file = dir.resolve("keystore.p12");
        ServerKeystore first = at(NOW).ensure(file, "videoroom", HOSTS).keystore();

        Instant expiring = NOW.plus(SelfSignedKeystore.VALIDITY).minus(Duration.ofDays(10));
        SelfSignedKeystore.Result renewed = at(expiring).ensure(file, "videoroom", HOSTS);
        assertEquals(SelfSignedKeystore.Action.RENEWED, renewed.action());
        assertTrue(renewed.why().startsWith("it expires on "), renewed.why());
        assertNotEquals(first.sha256Fingerprint(), renewed.keystore().sha256Fingerprint());

        Instant expired = expiring.plus(SelfSignedKeystore.VALIDITY).plus(Duration.ofDays(1));
        SelfSignedKeystore.Result again = at(expired).ensure(file, "videoroom", HOSTS);
        assertEquals(SelfSignedKeystore.Action.RENEWED, again.action());
        assertTrue(again.why().startsWith("it expired on "), again.why());
        assertTrue(again.keystore().certificate().getNotAfter().toInstant().isAfter(expired));
    }

    @Test
    void otherHostsOrAnotherAliasGetANewCertificate() throws Exception {
        Path file = dir.resolve("keystore.p12");
        ServerKeystore first = at(NOW).ensure(file, "videoroom", HOSTS).keystore();

        SelfSignedKeystore.Result moreHosts = at(NOW).ensure(file, "videoroom",
                CertificateHosts.parse("localhost,vm.example,127.0.0.1,::1,192.0.2.7"));
        assertEquals(SelfSignedKeystore.Action.RENEWED, moreHosts.action());
        assertTrue(moreHosts.why().contains("192.0.2.7"), moreHosts.why());
        assertNotEquals(first.sha256Fingerprint(), moreHosts.keystore().sha256Fingerprint());
        assertTrue(moreHosts.keystore().certificate().getSubjectAlternativeNames().stream()
                .anyMatch(e -> "192.0.2.7".equals(e.get(1))));

        SelfSignedKeystore.Result otherAlias = at(NOW).ensure(file, "site",
                CertificateHosts.parse("localhost,vm.example,127.0.0.1,::1,192.0.2.7"));
        assertEquals(SelfSignedKeystore.Action.RENEWED, otherAlias.action());
        assertEquals("it has no key entry \"site\"", otherAlias.why());
    }

    @Test
    void aDamagedFileIsAnErrorThatSaysWhatToDoAndIsLeftAlone() throws Exception {
        Path file = dir.resolve("keystore.p12");
        Files.writeString(file, "not a keystore", StandardCharsets.US_ASCII);

        TlsSetupException e = assertThrows(TlsSetupException.class,
                () -> at(NOW).ensure(file, "videoroom", HOSTS));

        assertTrue(e.getMessage().startsWith(file + " cannot be read as a PKCS#12 keystore"), e.getMessage());
        assertTrue(e.getMessage().contains("move it away"), e.getMessage());
        assertEquals("not a keystore", Files.readString(file));
    }

    @Test
    void someoneElsesKeystoreInItsPlaceIsNotOverwritten() throws Exception {
        Path file = dir.resolve("keystore.p12");
        at(NOW).ensure(file, "videoroom", HOSTS);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, SelfSignedKeystore.PASSWORD.toCharArray());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, "another password".toCharArray());
        }
        byte[] theirs = Files.readAllBytes(file);

        TlsSetupException e = assertThrows(TlsSetupException.class,
                () -> at(NOW).ensure(file, "videoroom", HOSTS));

        assertTrue(e.getMessage().contains("password"), e.getMessage());
        assertArrayEquals(theirs, Files.readAllBytes(file));
    }
}
