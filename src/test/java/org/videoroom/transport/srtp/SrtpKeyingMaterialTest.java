package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SrtpKeyingMaterialTest {
    static Stream<Arguments> layouts() {
        return Stream.of(
                // RFC 5764 §4.2: client key | server key | client salt | server salt
                Arguments.of(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, 60, new int[] {0, 16, 32, 46}),
                Arguments.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, 56, new int[] {0, 16, 32, 44}));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void splitsExporterOutputInRfc5764Order(SrtpProfile profile, int length, int[] starts) {
        byte[] exported = new byte[length];
        for (int i = 0; i < length; i++) {
            exported[i] = (byte) i;
        }
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(profile, exported);

        assertEquals(length, profile.keyingMaterialLength());
        assertArrayEquals(Arrays.copyOfRange(exported, starts[0], starts[1]), keys.clientWriteMasterKey());
        assertArrayEquals(Arrays.copyOfRange(exported, starts[1], starts[2]), keys.serverWriteMasterKey());
        assertArrayEquals(Arrays.copyOfRange(exported, starts[2], starts[3]), keys.clientWriteMasterSalt());
        assertArrayEquals(Arrays.copyOfRange(exported, starts[3], length), keys.serverWriteMasterSalt());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsExporterOutputOfTheWrongLength(SrtpProfile profile) {
        assertThrows(IllegalArgumentException.class,
                () -> SrtpKeyingMaterial.fromExporterOutput(profile, new byte[profile.keyingMaterialLength() - 1]));
    }

    @Test
    void neverPrintsKeysAndHandsOutCopies() {
        byte[] exported = new byte[60];
        Arrays.fill(exported, (byte) 0xAB);
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, exported);

        assertFalse(keys.toString().toLowerCase().contains("ab"), keys.toString());
        keys.clientWriteMasterKey()[0] = 0;
        assertEquals((byte) 0xAB, keys.clientWriteMasterKey()[0]);
    }

    @Test
    void equalityComparesBytes() {
        byte[] exported = HexFormat.of().parseHex("00".repeat(56));
        SrtpKeyingMaterial a = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AEAD_AES_128_GCM, exported);
        SrtpKeyingMaterial b = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AEAD_AES_128_GCM, exported.clone());
        exported[55] = 1;
        SrtpKeyingMaterial c = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AEAD_AES_128_GCM, exported);

        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
