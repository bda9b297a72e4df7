package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiverReportTest {

    /** The empty RR a receive-only browser puts first in its compound packets. */
    static final String EMPTY_RR = ""
            + "80 c9 0001"  // V=2 P=0 RC=0, PT=201, length 1 (8 bytes)
            + "00000001";   // SSRC of packet sender

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("empty", EMPTY_RR, new ReceiverReport(1, List.of())),
                Arguments.of("two blocks", ""
                                + "82 c9 000d"   // RC=2, length 13 (56 bytes)
                                + "aabbccdd"     // SSRC of packet sender
                                + "11111111"     // block 1: SSRC
                                + "00 000000"    //   no loss
                                + "0000ffff"     //   highest seq 65535, no cycle yet
                                + "00000010"     //   jitter 16
                                + "00000000"     //   LSR: no SR received
                                + "00000000"     //   DLSR
                                + "22222222"     // block 2: SSRC
                                + "ff 7fffff"    //   fraction 255/256, cumulative at its maximum
                                + "ffffffff"     //   extended highest seq 2^32-1
                                + "ffffffff"     //   jitter
                                + "ffffffff"     //   LSR
                                + "ffffffff",    //   DLSR
                        new ReceiverReport(0xaabbccddL, List.of(
                                new ReportBlock(0x11111111L, 0, 0, 0xffff, 16, 0, 0),
                                new ReportBlock(0x22222222L, 255, 8388607, 0xffffffffL, 0xffffffffL, 0xffffffffL,
                                        0xffffffffL)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, ReceiverReport expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    @Test
    void truncatedBlockIsMalformed() {
        // RC=1, length 2: only 4 bytes of the 24-byte block fit
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes("81 c9 0002 00000001 11111111"));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
        assertEquals(List.of(), result.packets());
    }

    @Test
    void rejectsBadSsrc() {
        assertThrows(RtcpException.class, () -> new ReceiverReport(1L << 32, List.of()));
    }
}
