package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtp.AllocationMeter;

class ReceiverEstimatedMaxBitrateTest {

    /** A REMB captured from Chrome receiving a 6 Mb/s stream (bytes as published in pion/rtcp's tests). */
    static final String CHROME_REMB = ""
            + "8f ce 0005"   // V=2 P=0 FMT=15, PT=206, length 5 (24 bytes)
            + "00000001"     // SSRC of packet sender
            + "00000000"     // SSRC of media source: 0
            + "52454d42"     // "REMB"
            + "01"           // Num SSRC 1
            + "1a20df"       // BR Exp 6 (0x1a >> 2), mantissa 0x220df = 139487: 139487 * 64 = 8927168 b/s
            + "4874ed16";    // SSRC feedback 1215622422

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("chrome capture", CHROME_REMB,
                        new ReceiverEstimatedMaxBitrate(1, 8_927_168, List.of(1215622422L))),
                Arguments.of("no ssrcs, zero bitrate", "8f ce 0004 00000002 00000000 52454d42 00 000000",
                        new ReceiverEstimatedMaxBitrate(2, 0, List.of())),
                Arguments.of("largest mantissa without exponent", "8f ce 0004 00000002 00000000 52454d42 00 03ffff",
                        new ReceiverEstimatedMaxBitrate(2, 262_143, List.of())),
                Arguments.of("two ssrcs", "8f ce 0006 00000002 00000000 52454d42 02 060000 00000003 00000004",
                        new ReceiverEstimatedMaxBitrate(2, 262_144, List.of(3L, 4L))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, ReceiverEstimatedMaxBitrate expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    @ParameterizedTest(name = "{0} b/s is sent as {1}")
    @CsvSource({
            // requested bitrate, bitrate after a round trip (18 significant bits, rounded down)
            "0,                   0",
            "262143,              262143",
            "262144,              262144",
            "262145,              262144",
            "8927168,             8927168",
            "8927167,             8927104",
            "9223372036854775807, 9223336852482686976", // Long.MAX_VALUE: 2^18-1 shifted by 45
    })
    void bitrateKeeps18SignificantBits(long requested, long received) {
        ReceiverEstimatedMaxBitrate remb = new ReceiverEstimatedMaxBitrate(1, requested, List.of());
        ReceiverEstimatedMaxBitrate parsed = (ReceiverEstimatedMaxBitrate) Hex.parseSingle(Hex.of(remb.marshal()));
        assertEquals(received, parsed.bitrateBps());
    }

    @Test
    void hugeExponentSaturates() {
        // exponent 63, mantissa 2^18-1: far beyond a long
        ReceiverEstimatedMaxBitrate parsed = (ReceiverEstimatedMaxBitrate) Hex.parseSingle(
                "8f ce 0004 00000000 00000000 52454d42 00 ffffff");
        assertEquals(Long.MAX_VALUE, parsed.bitrateBps());
    }

    @Test
    void otherApplicationFeedbackStaysRaw() {
        RtcpPacket packet = Hex.parseSingle("8f ce 0003 00000001 00000000 41424344");
        assertInstanceOf(RawRtcpPacket.class, packet);
    }

    @Test
    void ssrcCountBeyondLengthIsMalformed() {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes("8f ce 0004 00000001 00000000 52454d42 02 000001"));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
    }

    @Test
    void rejectsInvalidFields() {
        assertThrows(RtcpException.class, () -> new ReceiverEstimatedMaxBitrate(1, -1, List.of()));
        assertThrows(RtcpException.class, () -> new ReceiverEstimatedMaxBitrate(1, 1, List.of(1L << 32)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void writeToGivesTheRecordsBytes(String name, String hex, ReceiverEstimatedMaxBitrate expected) {
        long[] ssrcs = expected.ssrcs().stream().mapToLong(Long::longValue).toArray();
        byte[] buf = new byte[64];
        int length = ReceiverEstimatedMaxBitrate.writeTo(buf, 3, expected.senderSsrc(), expected.bitrateBps(), ssrcs,
                ssrcs.length);
        assertEquals(ReceiverEstimatedMaxBitrate.marshalSize(ssrcs.length), length);
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(java.util.Arrays.copyOfRange(buf, 3, 3 + length)));
    }

    /** What a publisher gets: a compound led by an empty receiver report, parsed back by our own parser. */
    @Test
    void aCompoundWithAReceiverReportParsesBack() {
        ReceiverReport report = new ReceiverReport(0x1234_5678L, List.of());
        long[] ssrcs = {0xDEAD_BEEFL, 42, 7};
        byte[] buf = new byte[128];
        int reportBytes = report.marshalTo(buf, 0);
        int length = reportBytes + ReceiverEstimatedMaxBitrate.writeTo(buf, reportBytes, 0x1234_5678L, 1_500_000,
                ssrcs, 2);
        RtcpParser.Result result = new RtcpParser().parse(buf, 0, length);
        assertEquals(RtcpParser.Status.OK, result.status());
        // 1500000 needs 3 bits of exponent: 187500 << 3, exactly representable.
        assertEquals(List.of(report, new ReceiverEstimatedMaxBitrate(0x1234_5678L, 1_500_000, List.of(0xDEAD_BEEFL, 42L))),
                result.packets());
    }

    @Test
    void writeToChecksItsArguments() {
        byte[] buf = new byte[64];
        long[] ssrcs = {1, 2};
        assertAll(
                () -> assertThrows(RtcpException.class, () -> ReceiverEstimatedMaxBitrate.writeTo(buf, 0, 1, -1, ssrcs, 2)),
                () -> assertThrows(RtcpException.class, () -> ReceiverEstimatedMaxBitrate.writeTo(buf, 0, 1, 1, ssrcs, 3)),
                () -> assertThrows(RtcpException.class,
                        () -> ReceiverEstimatedMaxBitrate.writeTo(buf, 0, 1, 1, new long[] {1L << 32}, 1)),
                () -> assertThrows(RtcpException.class, () -> ReceiverEstimatedMaxBitrate.writeTo(buf, 40, 1, 1, ssrcs, 2)),
                () -> assertThrows(RtcpException.class,
                        () -> ReceiverEstimatedMaxBitrate.writeTo(buf, 0, 1, 1, new long[256], 256)));
    }

    @Test
    void writeToDoesNotAllocate() {
        byte[] buf = new byte[64];
        long[] ssrcs = {1, 2, 3};
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                ReceiverEstimatedMaxBitrate.writeTo(buf, 0, 9, 1_000_000L + i, ssrcs, 3);
            }
        });
        assertEquals(0, allocated);
        assertTrue(ReceiverEstimatedMaxBitrate.isRemb(buf, 0, 32));
    }
}
