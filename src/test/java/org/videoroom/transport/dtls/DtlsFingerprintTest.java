package org.videoroom.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsFingerprintTest {
    /** SHA-256 of the ASCII bytes "abc" (FIPS 180-2 Appendix B.1), as an RFC 8122 fingerprint. */
    private static final String SHA256_OF_ABC =
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // a=fingerprint value as received                       | normalized hash | normalized value
            "sha-256 " + SHA256_OF_ABC + "                           | sha-256         | " + SHA256_OF_ABC,
            "SHA-256 " + SHA256_OF_ABC + "                           | sha-256         | " + SHA256_OF_ABC,
            "sha-256 ba:78:16:bf:8f:01:cf:ea:41:41:40:de:5d:ae:22:23:b0:03:61:a3:96:17:7a:9c:b4:10:ff:61:f2:00:15:ad | sha-256 | "
                    + SHA256_OF_ABC,
            "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D | sha-1 | A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
    })
    void parsesAndNormalizes(String attribute, String hashFunction, String value) {
        DtlsFingerprint fingerprint = DtlsFingerprint.parse(attribute);

        assertEquals(hashFunction, fingerprint.hashFunction());
        assertEquals(value, fingerprint.value());
        assertEquals(hashFunction + " " + value, fingerprint.toSdp());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "sha-256",                                   // no value
            "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", // RFC 8122 drops MD5
            "sha-256 BA:78:16",                          // too short for SHA-256
            "sha-256 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", // no colons
            "sha-256 ZZ:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
            "sha-256 BA:78 :16",
    })
    void rejectsMalformedValues(String attribute) {
        DtlsException thrown = assertThrows(DtlsException.class, () -> DtlsFingerprint.parse(attribute));
        assertEquals(DtlsException.Reason.INVALID_FINGERPRINT, thrown.reason());
    }

    @Test
    void matchesTheDigestOfTheBytes() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        DtlsFingerprint fingerprint = DtlsFingerprint.parse("sha-256 " + SHA256_OF_ABC);

        assertTrue(fingerprint.matches(abc));
        assertFalse(fingerprint.matches("abd".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(fingerprint, DtlsFingerprint.of("SHA-256", abc));
    }
}
