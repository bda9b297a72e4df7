package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.TransportWideCc.PacketStatus;

class TransportWideCcTest {

    private static PacketStatus rx(int delta) {
        return PacketStatus.received(delta);
    }

    private static final PacketStatus LOST = PacketStatus.LOST;

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("run-length chunk", ""
                                + "8f cd 0005"   // V=2 P=0 FMT=15, PT=205, length 5 (24 bytes)
                                + "00000001"     // SSRC of packet sender
                                + "00000002"     // SSRC of media source
                                + "0001 0002"    // base sequence number 1, packet status count 2
                                + "000001 00"    // reference time 1 (64 ms), feedback packet count 0
                                + "2002"         // run-length chunk: T=0 S=01 (small delta) x 2
                                + "04 04",       // receive deltas: 1 ms, 1 ms
                        new TransportWideCc(1, 2, 1, 1, 0, List.of(rx(4), rx(4))),
                        new long[] {65_000, 66_000}),
                Arguments.of("two-bit vector across the sequence wrap", ""
                                + "8f cd 0006"   // length 6 (28 bytes)
                                + "00000001 00000002"
                                + "fffe 0005"    // base 65534, count 5: 65534, 65535, 0, 1, 2
                                + "000001 07"    // reference time 1, feedback packet count 7
                                + "d260"         // T=1 S=1: 01 00 10 01 10 (00 00 unused)
                                + "01"           // 65534: +250 us
                                + "fffc"         // 0: -1 ms (2-byte signed delta)
                                + "ff"           // 1: +63.75 ms
                                + "0100",        // 2: +64 ms (too big for one byte)
                        new TransportWideCc(1, 2, 65534, 1, 7, List.of(rx(1), LOST, rx(-4), rx(255), rx(256))),
                        new long[] {64_250, TransportWideCc.NOT_RECEIVED, 63_250, 127_000, 191_000}),
                Arguments.of("one-bit vector with RTCP padding", ""
                                + "af cd 0007"   // V=2 P=1 FMT=15, length 7 (32 bytes)
                                + "00000001 00000002"
                                + "0064 000e"    // base 100, count 14
                                + "ffffff ff"    // reference time 2^24-1, feedback packet count 255
                                + "aaaa"         // T=1 S=0: 10101010101010 (every other packet lost)
                                + "10101010101010" // seven 1-byte deltas of 4 ms
                                + "000003",      // padding, count 3
                        new TransportWideCc(1, 2, 100, 0xffffff, 255, List.of(
                                rx(16), LOST, rx(16), LOST, rx(16), LOST, rx(16), LOST,
                                rx(16), LOST, rx(16), LOST, rx(16), LOST)),
                        new long[] {1_073_741_760_000L + 4_000, -1, 1_073_741_760_000L + 8_000, -1,
                                1_073_741_760_000L + 12_000, -1, 1_073_741_760_000L + 16_000, -1,
                                1_073_741_760_000L + 20_000, -1, 1_073_741_760_000L + 24_000, -1,
                                1_073_741_760_000L + 28_000, -1}),
                Arguments.of("one-bit vector then a run of losses", ""
                                + "af cd 0006"   // P=1, length 6 (28 bytes)
                                + "00000001 00000002"
                                + "0000 0014"    // base 0, count 20
                                + "000000 01"
                                + "a000"         // T=1 S=0: 1 then 13 x 0
                                + "0006"         // run-length: S=00 (lost) x 6
                                + "00"           // delta 0
                                + "000003",      // padding
                        new TransportWideCc(1, 2, 0, 0, 1,
                                prepend(rx(0), Collections.nCopies(19, LOST))),
                        prependTime(0, 19)));
    }

    private static List<PacketStatus> prepend(PacketStatus first, List<PacketStatus> rest) {
        List<PacketStatus> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static long[] prependTime(long first, int lost) {
        long[] times = new long[lost + 1];
        Arrays.fill(times, TransportWideCc.NOT_RECEIVED);
        times[0] = first;
        return times;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, TransportWideCc expected, long[] arrivals) {
        TransportWideCc parsed = (TransportWideCc) Hex.parseSingle(hex);
        assertEquals(expected, parsed);
        assertArrayEquals(arrivals, parsed.arrivalTimesMicros());
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
        assertEquals(Hex.bytes(hex).length, expected.marshalSize());
    }

    static Stream<Arguments> parseOnly() {
        return Stream.of(
                // Encodings our marshaller would not choose but a peer may send.
                Arguments.of("run longer than the status count", ""
                                + "8f cd 0005 00000001 00000002"
                                + "0005 0002 000000 00"
                                + "2010"         // run-length: small delta x 16, only 2 count
                                + "01 02",
                        List.of(rx(1), rx(2))),
                Arguments.of("large-delta run", ""
                                + "8f cd 0006 00000001 00000002"
                                + "0005 0002 000000 00"
                                + "4002"         // run-length: S=10 (large delta) x 2
                                + "0001 8000"    // +1 tick, -32768 ticks
                                + "0000",        // zero padding without the P bit (tolerated)
                        List.of(rx(1), rx(-32768))),
                Arguments.of("feedback split over several chunks", ""
                                + "8f cd 0006 00000001 00000002"
                                + "0005 0003 000000 00"
                                + "2001"         // small x 1
                                + "0001"         // lost x 1
                                + "2001"         // small x 1
                                + "05 06",
                        List.of(rx(5), LOST, rx(6))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseOnly")
    void parsesOtherEncodings(String name, String hex, List<PacketStatus> expected) {
        assertEquals(expected, ((TransportWideCc) Hex.parseSingle(hex)).packets());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("status count 0", "8f cd 0004 00000001 00000002 0001 0000 000000 00"),
                Arguments.of("fixed part cut", "8f cd 0003 00000001 00000002 0001 0001"),
                Arguments.of("chunks missing", "8f cd 0004 00000001 00000002 0001 0001 000000 00"),
                Arguments.of("deltas missing", "8f cd 0005 00000001 00000002 0001 0002 000000 00 4002 0000"),
                Arguments.of("reserved symbol in a run", "8f cd 0005 00000001 00000002 0001 0001 000000 00 6001 0000"),
                Arguments.of("reserved symbol in a vector", "8f cd 0005 00000001 00000002 0001 0001 000000 00 f000 0000"),
                // 40 bytes declaring 65,535 lost packets: the parser would allocate for all of them.
                Arguments.of("more statuses than any feedback carries",
                        "8f cd 0009 00000001 00000002 0001 ffff 000000 00 " + "1fff ".repeat(8) + "0007 0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsSkipped(String name, String hex) {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes(hex));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
        assertEquals(1, result.skippedPackets());
    }

    @Test
    void buildsFromArrivalTimes() {
        TransportWideCc feedback = TransportWideCc.fromArrivalTimes(1, 2, 65534, 7,
                new long[] {64_250, TransportWideCc.NOT_RECEIVED, 63_250, 127_000, 191_000});
        assertEquals(new TransportWideCc(1, 2, 65534, 1, 7, List.of(rx(1), LOST, rx(-4), rx(255), rx(256))), feedback);
        assertEquals(0, feedback.sequenceNumber(2));
    }

    @Test
    void roundsDeltasWithoutDrift() {
        // 100 us and 300 us after the 64 ms reference: 0 ticks, then 1 tick (not 0 + 1 rounded twice)
        TransportWideCc feedback = TransportWideCc.fromArrivalTimes(1, 2, 0, 0, new long[] {64_100, 64_300, 64_500});
        assertEquals(List.of(rx(0), rx(1), rx(1)), feedback.packets());
        assertArrayEquals(new long[] {64_000, 64_250, 64_500}, feedback.arrivalTimesMicros());
    }

    @Test
    void nothingReceived() {
        TransportWideCc feedback = TransportWideCc.fromArrivalTimes(1, 2, 10, 0, new long[] {-1, -1, -1});
        assertEquals(0, feedback.referenceTime());
        String expected = ""
                + "afcd0005"   // P=1, length 5 (24 bytes)
                + "00000001 00000002"
                + "000a 0003"  // base 10, count 3
                + "000000 00"  // reference time 0, feedback packet count 0
                + "0003"       // run-length: lost x 3
                + "0002";      // padding, count 2
        assertEquals(Hex.of(Hex.bytes(expected)), Hex.of(feedback.marshal()));
    }

    @Test
    void longFeedbackRoundTrips() {
        long[] arrivals = new long[3000];
        long t = 5_000_000;
        for (int i = 0; i < arrivals.length; i++) {
            t += (i % 97 == 0) ? 70_000 : 1_000; // mostly 1 ms apart, sometimes a large gap
            arrivals[i] = (i % 13 == 5 || (i > 1000 && i < 1040)) ? TransportWideCc.NOT_RECEIVED : t;
        }
        TransportWideCc feedback = TransportWideCc.fromArrivalTimes(1, 2, 65000, 3, arrivals);
        TransportWideCc parsed = (TransportWideCc) Hex.parseSingle(Hex.of(feedback.marshal()));
        assertEquals(feedback, parsed);
        long[] back = parsed.arrivalTimesMicros();
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] < 0) {
                assertEquals(TransportWideCc.NOT_RECEIVED, back[i]);
            } else {
                // every arrival here is a multiple of 250 us, so it comes back exactly
                assertEquals(arrivals[i], back[i], "packet " + i);
            }
        }
    }

    @Test
    void rejectsInvalidValues() {
        assertThrows(RtcpException.class, () -> TransportWideCc.fromArrivalTimes(1, 2, 0, 0, new long[] {0, 9_000_000}));
        assertThrows(RtcpException.class, () -> new TransportWideCc(1, 2, 0, 0, 0, List.of()));
        assertThrows(RtcpException.class, () -> new TransportWideCc(1, 2, 0, 1 << 24, 0, List.of(LOST)));
        assertThrows(RtcpException.class, () -> PacketStatus.received(32768));
        assertThrows(RtcpException.class, () -> new PacketStatus(false, 3));
    }
}
