package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SenderReportTest {

    static final String SR_ONE_BLOCK = ""
            + "81 c8 000c"           // V=2 P=0 RC=1, PT=200, length 12 (52 bytes)
            + "902f9e2e"             // SSRC of sender
            + "e88b241c 3f5c28f6"    // NTP timestamp
            + "12345678"             // RTP timestamp
            + "00000064"             // sender's packet count 100
            + "00004e20"             // sender's octet count 20000
            + "bc5e9a40"             // block: SSRC_1
            + "40"                   //   fraction lost 64/256
            + "fffffe"               //   cumulative lost -2 (duplicates)
            + "00010461"             //   extended highest seq: cycle 1, seq 1121
            + "00000032"             //   jitter 50
            + "241c3f5c"             //   LSR
            + "00018000";            //   DLSR 1.5 s

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("one report block", SR_ONE_BLOCK,
                        new SenderReport(0x902f9e2eL, 0xe88b241c3f5c28f6L, 0x12345678L, 100, 20000, List.of(
                                new ReportBlock(0xbc5e9a40L, 64, -2, 0x10461L, 50, 0x241c3f5cL, 0x18000L)))),
                Arguments.of("no report blocks", ""
                                + "80 c8 0006"  // RC=0, length 6 (28 bytes)
                                + "00000001"    // SSRC
                                + "00000000 00000000" // NTP
                                + "ffffffff"    // RTP timestamp 2^32-1
                                + "ffffffff"    // packet count 2^32-1
                                + "00000000",   // octet count
                        new SenderReport(1, 0, 0xffffffffL, 0xffffffffL, 0, List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, SenderReport expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
        assertEquals(Hex.bytes(hex).length, expected.marshalSize());
    }

    @Test
    void profileSpecificExtensionIsSkipped() {
        String withExtension = ""
                + "80 c8 0007"   // RC=0, length 7 (32 bytes)
                + "00000001 00000000 00000000 00000002 00000003 00000004"
                + "cafebabe";    // profile-specific extension
        assertEquals(new SenderReport(1, 0, 2, 3, 4, List.of()), Hex.parseSingle(withExtension));
    }

    @Test
    void reportCountBeyondLengthIsMalformed() {
        // RC=1 but the length covers only the 28-byte sender info
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes(
                "81 c8 0006 00000001 00000000 00000000 00000002 00000003 00000004"));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
        assertEquals(1, result.skippedPackets());
        assertEquals(List.of(), result.packets());
    }

    @Test
    void rejectsOutOfRangeFields() {
        ReportBlock block = new ReportBlock(1, 0, 0, 0, 0, 0, 0);
        assertThrows(RtcpException.class, () -> new SenderReport(-1, 0, 0, 0, 0, List.of()));
        assertThrows(RtcpException.class, () -> new SenderReport(1, 0, 1L << 32, 0, 0, List.of()));
        assertThrows(RtcpException.class, () -> new SenderReport(1, 0, 0, 0, 0, Collections.nCopies(32, block)));
        assertThrows(RtcpException.class, () -> new SenderReport(1, 0, 0, 0, 0, List.of()).marshalTo(new byte[27], 0));
    }
}
