package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {

    private static final String CHROMIUM =
            "sha-256 C7:2F:9F:DA:70:5B:CC:B4:C5:B0:9D:F7:5E:C5:17:50:B7:06:48:E6:54:83:F6:CE:D0:3C:A7:A6:40:D5:4F:D2";

    /** FIPS 180-2 appendix B.1: SHA-256("abc"). */
    private static final String SHA256_ABC = "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:"
            + "B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";
    /** FIPS 180-2 appendix A.1: SHA-1("abc"). */
    private static final String SHA1_ABC = "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D";

    @Test
    void chromiumFingerprintRoundTrips() {
        Fingerprint f = Fingerprint.parse(CHROMIUM);
        assertEquals("sha-256", f.hashFunction());
        assertEquals(32, f.digest().length);
        assertEquals(CHROMIUM, f.format());
        assertEquals(Optional.of("SHA-256"), f.jcaAlgorithm());
    }

    /** RFC 8122 §5: hash names are case-insensitive; browsers differ in hex case. */
    @Test
    void comparisonIgnoresCase() {
        Fingerprint upper = Fingerprint.parse(CHROMIUM);
        Fingerprint lower = Fingerprint.parse("SHA-256 " + CHROMIUM.substring(8).toLowerCase());
        assertEquals(upper, lower);
        assertEquals(upper.hashCode(), lower.hashCode());
        assertEquals(CHROMIUM, lower.format());
    }

    @Test
    void digestRoundTrips() {
        byte[] digest = HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Fingerprint f = Fingerprint.of("sha-256", digest);
        assertEquals(Fingerprint.parse(SHA256_ABC), f);
        assertArrayEquals(digest, f.digest());
    }

    @Test
    void certificateHashMatchesFipsVectors() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Fingerprint.parse(SHA256_ABC), Fingerprint.ofCertificate("sha-256", abc));
        assertEquals(Fingerprint.parse(SHA1_ABC), Fingerprint.ofCertificate("SHA-1", abc));
        assertTrue(Fingerprint.parse(SHA256_ABC).matchesCertificate(abc));
        assertFalse(Fingerprint.parse(SHA256_ABC).matchesCertificate("abd".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void unregisteredHashFunctionIsKeptButMatchesNothing() {
        Fingerprint f = Fingerprint.parse("x-hash AB:CD:EF");
        assertEquals(Optional.empty(), f.jcaAlgorithm());
        assertFalse(f.matchesCertificate(new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.ofCertificate("x-hash", new byte[] {1}));
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @ValueSource(strings = {
            "",
            "sha-256",
            "sha-256 AB:CD",
            "sha-256 ABCD",
            "sha-256 AB:C",
            "sha-256 AB::CD",
            "sha-256 GG:00",
            "sha 256 AB:CD",
            "sha/256 AB:CD",
            "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8",
    })
    void malformedFingerprintsAreRejected(String value) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> Fingerprint.parse(value));
        assertEquals(SdpParseException.Reason.BAD_FINGERPRINT, e.reason());
    }
}
