package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SrtpStatusTest {
    @ParameterizedTest
    @EnumSource(SrtpStatus.class)
    void codesMapBackToTheirStatus(SrtpStatus status) {
        assertEquals(status, SrtpStatus.of(status.code()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 12, 1500, Integer.MAX_VALUE})
    void everyLengthIsOk(int length) {
        assertEquals(SrtpStatus.OK, SrtpStatus.of(length));
    }

    @Test
    void unknownCodesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SrtpStatus.of(-100));
        assertThrows(IllegalArgumentException.class, () -> SrtpStatus.of(Integer.MIN_VALUE));
    }

    @ParameterizedTest
    @CsvSource({
            // use_srtp id, profile (RFC 5764 §4.1.2, RFC 7714 §14.2)
            "1, SRTP_AES128_CM_HMAC_SHA1_80",
            "7, SRTP_AEAD_AES_128_GCM"})
    void profilesByUseSrtpId(int id, SrtpProfile profile) {
        assertEquals(Optional.of(profile), SrtpProfile.fromId(id));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5, 6, 8})
    void unsupportedProfileIdsAreEmpty(int id) {
        assertEquals(Optional.empty(), SrtpProfile.fromId(id));
    }
}
