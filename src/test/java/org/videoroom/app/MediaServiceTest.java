package org.videoroom.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code videoroom.ice.tcp-port} is read (the rest of MediaService needs a running media stack). */
class MediaServiceTest {

    /** @param expected the TCP port, or -1 for ICE-TCP off */
    @ParameterizedTest(name = "tcp-port \"{0}\" with UDP port {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''      | 10000 | -1
            '  '    | 10000 | -1
            same    | 10000 | 10000
            ' SAME '| 10000 | 10000
            same    | 0     | -1
            off     | 10000 | -1
            OFF     | 10000 | -1
            ' 443 ' | 10000 | 443
            4443    | 0     | 4443
            65535   | 10000 | 65535
            """)
    void tcpPortIsOffUnlessAskedForOnTheUdpPortsNumberOrAnother(String setting, int udpPort, int expected) {
        assertEquals(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected),
                MediaService.tcpPort(setting, udpPort));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "no", "10000/tcp", "true"})
    void anythingElseIsRejected(String setting) {
        assertThrows(IllegalArgumentException.class, () -> MediaService.tcpPort(setting, 10000));
    }
}
