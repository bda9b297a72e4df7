package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PictureLossIndicationTest {

    static final String PLI = ""
            + "81 ce 0002"   // V=2 P=0 FMT=1, PT=206, length 2 (12 bytes)
            + "00000001"     // SSRC of packet sender
            + "4bc4fcb4";    // SSRC of media source

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("pli", PLI, new PictureLossIndication(1, 0x4bc4fcb4L)),
                Arguments.of("max ssrcs", "81 ce 0002 ffffffff ffffffff",
                        new PictureLossIndication(0xffffffffL, 0xffffffffL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, PictureLossIndication expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    @Test
    void missingMediaSsrcIsMalformed() {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes("81 ce 0001 00000001"));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
    }

    @Test
    void rejectsBadSsrcAndShortBuffer() {
        assertThrows(RtcpException.class, () -> new PictureLossIndication(1L << 32, 1));
        assertThrows(RtcpException.class, () -> new PictureLossIndication(1, 2).marshalTo(new byte[20], 9));
    }
}
