package org.videoroom.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.transport.srtp.SrtpProfile;

class DtlsConfigTest {
    private static final List<SrtpProfile> BOTH = DtlsConfig.DEFAULT.srtpProfiles();

    @Test
    void defaultsPreferGcm() {
        assertEquals(Duration.ofSeconds(30), DtlsConfig.DEFAULT.handshakeTimeout());
        assertEquals(1200, DtlsConfig.DEFAULT.mtu());
        assertEquals(List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80), BOTH);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // name, handshake timeout, mtu, profiles, queue capacity
                Arguments.of("zero timeout", Duration.ZERO, 1200, BOTH, 64),
                Arguments.of("negative timeout", Duration.ofSeconds(-1), 1200, BOTH, 64),
                Arguments.of("timeout beyond an int of millis", Duration.ofDays(30), 1200, BOTH, 64),
                Arguments.of("tiny mtu", Duration.ofSeconds(1), DtlsConfig.MIN_MTU - 1, BOTH, 64),
                Arguments.of("mtu above the datagram limit", Duration.ofSeconds(1),
                        DtlsServerTransport.MAX_DATAGRAM_BYTES + 1, BOTH, 64),
                Arguments.of("no profiles", Duration.ofSeconds(1), 1200, List.of(), 64),
                Arguments.of("repeated profile", Duration.ofSeconds(1), 1200,
                        List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AEAD_AES_128_GCM), 64),
                Arguments.of("empty queue", Duration.ofSeconds(1), 1200, BOTH, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidSettings(String name, Duration timeout, int mtu, List<SrtpProfile> profiles, int capacity) {
        assertThrows(IllegalArgumentException.class, () -> new DtlsConfig(timeout, mtu, profiles, capacity));
    }
}
