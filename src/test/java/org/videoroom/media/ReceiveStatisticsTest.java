package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.NtpTime;
import org.videoroom.rtcp.ReportBlock;

/**
 * RFC 3550 receiver statistics: Appendix A.3 loss accounting (expected, lost, fraction per interval), A.8
 * interarrival jitter, and the LSR/DLSR pair of §6.4.1. Arrival times are injected, so every expected value here
 * is computed by hand.
 */
class ReceiveStatisticsTest {

    private static final long SSRC = 0x1234_5678L;
    /** An arbitrary monotonic clock origin: only differences of arrival times may matter. */
    private static final long T0 = 7_000_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    // ---- A.3: expected and lost packets ----------------------------------------------------------------------

    static Stream<Arguments> lossCases() {
        return Stream.of(
                // name, sequence numbers in arrival order, extended highest, cumulative lost, fraction lost
                Arguments.of("in order", range(0, 9), 9L, 0, 0),
                // 2 of 10 lost: 2 * 256 / 10 = 51.2
                Arguments.of("two lost", new int[] {0, 1, 2, 5, 6, 7, 8, 9}, 9L, 2, 51),
                // 5 of 9 expected arrive: 4 * 256 / 9 = 113.8
                Arguments.of("every other lost", new int[] {0, 2, 4, 6, 8}, 8L, 4, 113),
                // 65530..3 is 10 expected; 65533 lost: 256 / 10 = 25.6. Cycle 1 shows in the upper 16 bits.
                Arguments.of("one lost across the wrap", new int[] {65530, 65531, 65532, 65534, 65535, 0, 1, 2, 3},
                        0x1_0003L, 1, 25),
                Arguments.of("reordered", new int[] {0, 2, 1, 3}, 3L, 0, 0),
                Arguments.of("reordered across the wrap", new int[] {65534, 0, 65535, 1}, 0x1_0001L, 0, 0),
                Arguments.of("a late packet fills the gap", new int[] {0, 1, 3, 4, 2}, 4L, 0, 0),
                // A.3: duplicates are counted as received, so the cumulative loss may go negative
                // (and the fraction, a negative interval loss, is reported as 0).
                Arguments.of("duplicates", new int[] {0, 1, 1, 2, 2, 3}, 3L, -2, 0),
                // A.1 keeps base_seq from the first packet; an older one is received but not expected.
                Arguments.of("a packet older than the first", new int[] {5, 4, 6}, 6L, -1, 0),
                // 65535 then 99: 101 expected, 2 received, 99 * 256 / 101 = 250.9
                Arguments.of("burst loss across the wrap", new int[] {65535, 99}, 65536L + 99, 99, 250),
                // Two wraps: 60000 -> 75536 -> 105536 -> 136072 = 2 cycles + 5000
                Arguments.of("two cycles", new int[] {60000, 10000, 40000, 5000}, 2 * 65536L + 5000,
                        136072 - 60000 + 1 - 4, 255));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossCases")
    void countsLossAsRfc3550A3(String name, int[] sequenceNumbers, long highest, int cumulativeLost, int fraction) {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        for (int sequenceNumber : sequenceNumbers) {
            statistics.onPacket(sequenceNumber, 0, T0);
        }
        ReportBlock block = statistics.reportBlock(T0);
        assertAll(
                () -> assertEquals(SSRC, block.ssrc()),
                () -> assertEquals(highest, block.extendedHighestSequenceNumber(), "extended highest"),
                () -> assertEquals(cumulativeLost, block.cumulativeLost(), "cumulative lost"),
                () -> assertEquals(fraction, block.fractionLost(), "fraction lost"));
    }

    /** One reporting interval: the packets that arrive in it, then what its report block must say. */
    record Interval(int[] arrivals, long highest, int cumulativeLost, int fractionLost) {
    }

    static Stream<Arguments> intervalCases() {
        return Stream.of(
                Arguments.of("loss, recovery, late packets and silence", List.of(
                        // 0..9 without 3 and 4: 2/10 -> 51
                        new Interval(new int[] {0, 1, 2, 5, 6, 7, 8, 9}, 9, 2, 51),
                        // 10..19, all there: the fraction is per interval, the cumulative count stays
                        new Interval(range(10, 19), 19, 2, 0),
                        // 20..29 without 22..26: 5/10 -> 128
                        new Interval(new int[] {20, 21, 27, 28, 29}, 29, 7, 128),
                        // 3 and 4 arrive late, 29 twice: nothing new expected, 3 received: fraction 0
                        new Interval(new int[] {3, 4, 29}, 29, 4, 0),
                        // silence: expected_interval 0
                        new Interval(new int[0], 29, 4, 0),
                        new Interval(range(30, 39), 39, 4, 0))),
                Arguments.of("intervals across the wrap", List.of(
                        new Interval(range(65530, 65535), 65535, 0, 0),
                        // 0 and 1 lost of 65536..65545: 2/10 -> 51
                        new Interval(range(2, 9), 65536 + 9, 2, 51),
                        // a quarter lost: 2/8 -> 64
                        new Interval(new int[] {10, 11, 12, 14, 15, 17}, 65536 + 17, 4, 64))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intervalCases")
    void fractionLostCoversOnlyTheLastInterval(String name, List<Interval> intervals) {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        long now = T0;
        for (int i = 0; i < intervals.size(); i++) {
            Interval interval = intervals.get(i);
            for (int sequenceNumber : interval.arrivals()) {
                statistics.onPacket(sequenceNumber, 0, now);
            }
            now += 1000 * MS;
            ReportBlock block = statistics.reportBlock(now);
            String where = "interval " + (i + 1);
            assertAll(where,
                    () -> assertEquals(interval.highest(), block.extendedHighestSequenceNumber(), "extended highest"),
                    () -> assertEquals(interval.cumulativeLost(), block.cumulativeLost(), "cumulative lost"),
                    () -> assertEquals(interval.fractionLost(), block.fractionLost(), "fraction lost"));
        }
    }

    @Test
    void cumulativeLossSaturatesAtTheSigned24BitMaximum() {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        // Steps of 30000 unwrap forwards: 300 packets span 8,970,001 expected, far over 2^23 - 1 lost.
        for (int i = 0; i < 300; i++) {
            statistics.onPacket((i * 30_000) & 0xFFFF, 0, T0);
        }
        ReportBlock block = statistics.reportBlock(T0);
        assertEquals(ReportBlock.MAX_CUMULATIVE_LOST, block.cumulativeLost());
        assertEquals(299L * 30_000, block.extendedHighestSequenceNumber());
        assertEquals(255, block.fractionLost());
    }

    @Test
    void noReportBlockBeforeTheFirstPacket() {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        statistics.onSenderReport(0xE8A3_1234_5678_9ABCL, T0);
        assertNull(statistics.reportBlock(T0 + 1000 * MS));
        statistics.onPacket(100, 0, T0);
        assertNotNull(statistics.reportBlock(T0 + 1000 * MS));
    }

    // ---- A.8: interarrival jitter ----------------------------------------------------------------------------

    /** A packet of the jitter tables: its RTP timestamp, arrival time and the jitter reported right after it. */
    record Arrival(long rtpTimestamp, long arrivalMicros, long reportedJitter) {
    }

    static Stream<Arguments> jitterCases() {
        return Stream.of(
                // 8 kHz audio, a packet every 20 ms (160 units), so 1 ms of extra delay is 8 units.
                // Delays 0, 10, 0, 5, 5, 30 ms give transits 0, 80, 0, 40, 40, 240 (relative) and
                // D = 80, 80, 40, 0, 200. J += (|D| - J) / 16:
                //   0 -> 5 -> 9.6875 -> 11.58203125 -> 10.858154296875 -> 22.6795196533203125
                // The report carries the integer part.
                Arguments.of("8 kHz, hand-computed", 8000, List.of(
                        new Arrival(1_000_000, 0, 0),
                        new Arrival(1_000_160, 30_000, 5),
                        new Arrival(1_000_320, 40_000, 9),
                        new Arrival(1_000_480, 65_000, 11),
                        new Arrival(1_000_640, 85_000, 10),
                        new Arrival(1_000_800, 130_000, 22))),
                // 90 kHz video at 25 fps (3600 units = 40 ms). Frame 2 is 4 ms (360 units) late:
                // D = 360, 360, 0: 22.5 -> 43.59375 -> 40.869140625
                Arguments.of("90 kHz, one late frame", 90_000, List.of(
                        new Arrival(50_000, 0, 0),
                        new Arrival(53_600, 44_000, 22),
                        new Arrival(57_200, 80_000, 43),
                        new Arrival(60_800, 120_000, 40))),
                // Packets of one frame share a timestamp and arrive together: no jitter.
                Arguments.of("90 kHz, constant delay", 90_000, List.of(
                        new Arrival(3_000, 0, 0),
                        new Arrival(3_000, 0, 0),
                        new Arrival(6_600, 40_000, 0),
                        new Arrival(10_200, 80_000, 0))),
                // A reordered packet: successive D follow arrival order, not sequence order (A.8).
                // Timestamps 0, 320, 160, 480 arrive at 0, 40, 40, 60 ms (0, 320, 320, 480 units):
                // transits 0, 0, 160, 0, so D = 0, 160, 160: 0 -> 0 -> 10 -> 19.375
                Arguments.of("8 kHz, reordered", 8000, List.of(
                        new Arrival(0, 0, 0),
                        new Arrival(320, 40_000, 0),
                        new Arrival(160, 40_000, 10),
                        new Arrival(480, 60_000, 19))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jitterCases")
    void estimatesJitterAsRfc3550A8(String name, int clockRate, List<Arrival> arrivals) {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, clockRate);
        int sequenceNumber = 0;
        for (Arrival arrival : arrivals) {
            long arrivalNanos = T0 + TimeUnit.MICROSECONDS.toNanos(arrival.arrivalMicros());
            statistics.onPacket(sequenceNumber++, arrival.rtpTimestamp(), arrivalNanos);
            assertEquals(arrival.reportedJitter(), statistics.reportBlock(arrivalNanos).interarrivalJitter(),
                    "after the packet with timestamp " + arrival.rtpTimestamp());
        }
    }

    // ---- §6.4.1: LSR and DLSR ---------------------------------------------------------------------------------

    @Test
    void withoutSenderReportLsrAndDlsrAreZero() {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        statistics.onPacket(1, 0, T0);
        ReportBlock block = statistics.reportBlock(T0 + 5000 * MS);
        assertEquals(0, block.lastSenderReport());
        assertEquals(0, block.delaySinceLastSenderReport());
    }

    @ParameterizedTest(name = "{0} ns after the SR: DLSR {1}/65536 s")
    @CsvSource({
            // delay since the SR arrived (ns), DLSR in 1/65536 s
            "0,             0",
            "15258,         0",      // just under one unit (1/65536 s = 15258.79 ns)
            "15259,         1",
            "250000000,     16384",  // 0.25 s
            "1000000000,    65536",
            "1500000000,    98304",
            "65535000000000, 4294901760", // 65535 s: the largest whole second the 16.16 field holds
    })
    void lsrIsTheCompactNtpTimeAndDlsrTheDelayInUnitsOf65536thSeconds(long delayNanos, long dlsr) {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        statistics.onPacket(1, 0, T0);
        // NTP 0xE8A31234.56789ABC: LSR is the middle 32 bits, 0x1234.5678.
        statistics.onSenderReport(0xE8A3_1234_5678_9ABCL, T0);
        ReportBlock block = statistics.reportBlock(T0 + delayNanos);
        assertEquals(0x1234_5678L, block.lastSenderReport());
        assertEquals(dlsr, block.delaySinceLastSenderReport());
    }

    @Test
    void aNewerSenderReportReplacesTheOlder() {
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        statistics.onPacket(1, 0, T0);
        statistics.onSenderReport(0x0000_1111_2222_0000L, T0);
        statistics.onSenderReport(0x0000_3333_4444_0000L, T0 + 1000 * MS);
        ReportBlock block = statistics.reportBlock(T0 + 1500 * MS);
        assertEquals(0x3333_4444L, block.lastSenderReport());
        assertEquals(32768, block.delaySinceLastSenderReport()); // 0.5 s
    }

    /**
     * The point of LSR and DLSR (§6.4.1): the sender subtracts both from the arrival time of the report and gets
     * the round-trip time. 20 ms each way and 300 ms held at the receiver must give 40 ms.
     */
    @Test
    void senderRecoversTheRoundTripTime() {
        long senderWallclock = 1_700_000_000_000_000_000L;
        ReceiveStatistics statistics = new ReceiveStatistics(SSRC, 90_000);
        statistics.onPacket(1, 0, T0);
        statistics.onSenderReport(NtpTime.fromUnixNanos(senderWallclock), T0 + 20 * MS);
        ReportBlock block = statistics.reportBlock(T0 + 320 * MS);

        long reportArrival = NtpTime.compact(NtpTime.fromUnixNanos(senderWallclock + 340 * MS));
        long rtt = (reportArrival - block.lastSenderReport() - block.delaySinceLastSenderReport()) & 0xFFFF_FFFFL;
        long rttNanos = NtpTime.compactToNanos(rtt);
        // Each of the two truncations to 1/65536 s may cost one unit.
        assertTrue(Math.abs(rttNanos - 40 * MS) <= 2 * 15_259, "rtt " + rttNanos + " ns");
    }

    private static int[] range(int first, int last) {
        int[] values = new int[last - first + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = first + i;
        }
        return values;
    }
}
