package org.videoroom.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Checked with the JDK's own X.509 parser, independently of Bouncy Castle. */
class DtlsCertificateTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static X509Certificate parse(DtlsCertificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()));
    }

    @Test
    void isASelfSignedEcdsaP256Certificate() throws Exception {
        X509Certificate x509 = parse(DtlsCertificate.generate());

        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        ECPublicKey key = (ECPublicKey) x509.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        x509.verify(x509.getPublicKey()); // throws unless self-signed with this key
    }

    @Test
    void validityWindowIsBackdatedADayAndLastsTheRequestedTime() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(30));
        X509Certificate x509 = parse(certificate);

        assertEquals(NOW.minus(Duration.ofDays(1)), x509.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(30)), x509.getNotAfter().toInstant());
        assertEquals(x509.getNotAfter().toInstant(), certificate.notAfter());
        assertEquals(x509.getNotBefore().toInstant(), certificate.notBefore());
    }

    @Test
    void serialNumbersAndKeysAreRandom() throws Exception {
        X509Certificate a = parse(DtlsCertificate.generate());
        X509Certificate b = parse(DtlsCertificate.generate());

        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
        assertTrue(a.getSerialNumber().signum() > 0);
        assertNotEquals(a.getPublicKey(), b.getPublicKey());
    }

    @Test
    void fingerprintIsTheSha256OfTheDerInSdpForm() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.encoded()));

        assertEquals("sha-256 " + expected, certificate.fingerprint().format());
        assertTrue(certificate.fingerprint().format().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }
}
