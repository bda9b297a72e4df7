package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpHeaderTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // hex, version, padding, count, PT, length words, packet bytes
            "80c80006, 2, false, 0,  200, 6,     28",
            "81c90007, 2, false, 1,  201, 7,     32",
            "bfce0002, 2, true,  31, 206, 2,     12",
            "8fcdffff, 2, false, 15, 205, 65535, 262144",
            "40c80000, 1, false, 0,  200, 0,     4",
    })
    void readsFields(String hex, int version, boolean padding, int count, int pt, int words, int bytes) {
        byte[] b = Hex.bytes(hex);
        assertEquals(version, RtcpHeader.version(b, 0));
        assertEquals(padding, RtcpHeader.hasPadding(b, 0));
        assertEquals(count, RtcpHeader.count(b, 0));
        assertEquals(pt, RtcpHeader.packetType(b, 0));
        assertEquals(words, RtcpHeader.lengthWords(b, 0));
        assertEquals(bytes, RtcpHeader.packetLength(b, 0));
    }

    @Test
    void writesHeader() {
        byte[] b = new byte[4];
        RtcpHeader.write(b, 0, 31, RtcpHeader.PT_PSFB, 12);
        assertEquals("9fce0002", Hex.of(b));
    }
}
