package org.videoroom.load.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's receive totals: intervals drained by the sampler, their latencies kept only while measuring. */
class ReceiveTotalsTest {

    private static final double EDGE = LatencyHistogram.BUCKET_MICROS / 1000.0;

    private final ReceiveTotals totals = new ReceiveTotals();

    @Test
    void anIntervalHasItsPacketsBytesAndQuantiles() {
        for (int i = 1; i <= 100; i++) {
            totals.onPacket(1_000, i * 100L);
        }

        ReceiveTotals.Interval interval = totals.drainInterval(false);

        assertEquals(100, interval.packets());
        assertEquals(100_000, interval.bytes());
        assertEquals(5 + EDGE, interval.p50Millis(), 1e-9);
        assertEquals(9.9 + EDGE, interval.p99Millis(), 1e-9);
        assertEquals(0, totals.measured().count(), "not measuring: the latencies are dropped");
        assertEquals(new ReceiveTotals.Interval(0, 0, 0, 0), totals.drainInterval(false), "drained");
    }

    @Test
    void measuredIntervalsAccumulateTheirLatencies() {
        totals.onPacket(100, 1_000);
        totals.drainInterval(false);
        totals.onPacket(100, 2_000);
        totals.onPacket(100, 2_000);
        totals.drainInterval(true);
        totals.onPacket(100, 4_000);
        ReceiveTotals.Interval last = totals.drainInterval(true);

        assertEquals(1, last.packets());
        assertEquals(4 + EDGE, last.p99Millis(), 1e-9, "the interval's own quantile");
        assertEquals(3, totals.measured().count(), "the warm-up interval is not in it");
        assertEquals(2 + EDGE, totals.measured().quantileMillis(0.5), 1e-9);
        assertEquals(4 + EDGE, totals.measured().quantileMillis(1.0), 1e-9);
    }

    @Test
    void packetsWithoutSendTimeCountButHaveNoLatency() {
        totals.onPacket(500, -1);
        totals.onPacket(500, 3_000);

        ReceiveTotals.Interval interval = totals.drainInterval(true);

        assertEquals(2, interval.packets());
        assertEquals(1_000, interval.bytes());
        assertEquals(1, totals.measured().count());
        assertEquals(3 + EDGE, interval.p50Millis(), 1e-9);
    }

    @Test
    void lossAndUniquePacketsAreSummedOverTheStreams() {
        InStream a = new InStream("2", "alice", false, 1, 0);
        InStream b = new InStream("3", "alice", true, 2, 3);
        totals.addStream(a);
        totals.addStream(b);
        a.onPacket(10, 0, 0, 100, false, false, false);
        a.onPacket(13, 0, 0, 100, false, false, false);
        b.onPacket(500, 0, 0, 100, false, false, false);
        b.onPacket(501, 0, 0, 100, false, false, false);
        b.onPacket(503, 0, 0, 100, false, false, false);

        assertEquals(3, totals.lost());
        assertEquals(5, totals.uniquePackets());
        List<InStream> streams = totals.streams();
        assertEquals(List.of(a, b), streams);
        assertThrows(UnsupportedOperationException.class, () -> streams.add(a), "a copy, not the live list");
    }
}
