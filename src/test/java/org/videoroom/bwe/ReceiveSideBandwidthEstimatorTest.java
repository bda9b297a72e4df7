package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.videoroom.rtp.AllocationMeter;

/**
 * The receive-side estimator on synthetic paths in simulated time: a publisher paces 1200-byte packets, stamped
 * with abs-send-time from its own clock, through a FIFO bottleneck into the estimator.
 */
class ReceiveSideBandwidthEstimatorTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int PACKET_BYTES = 1200;

    /** A publisher and its path; the arrival clock has an arbitrary offset from the sender's. */
    private static final class Path {
        final ReceiveSideBandwidthEstimator bwe = new ReceiveSideBandwidthEstimator(BweConfig.defaults());
        final Random random = new Random(7);
        long rateBps = 1_500_000;
        /** The publisher sends at the estimate (capped at {@link #rateBps}) as a REMB-driven sender would. */
        boolean followEstimate;
        long capacityBps = 100_000_000;
        long propagationNanos = 30 * MS;
        long jitterNanos = 200_000;
        long sendOffsetUnits;
        long arrivalOffsetNanos = 123_456_789_000L;
        long now;
        private long bottleneckFreeNanos;

        /** Sends for {@code nanos} of sender time; returns the lowest estimate seen. */
        long run(long nanos) {
            long end = now + nanos;
            long lowest = Long.MAX_VALUE;
            while (now < end) {
                long arrival = arrivalOf(now);
                bwe.onPacket(absSendTime(now), PACKET_BYTES, arrival);
                lowest = Math.min(lowest, bwe.estimateBps());
                long rate = followEstimate ? Math.min(rateBps, bwe.estimateBps()) : rateBps;
                now += PACKET_BYTES * 8L * SECOND / rate;
            }
            return lowest;
        }

        /** Sends until the estimate falls below {@code bps}; returns how long that took, or -1. */
        long timeUntilBelow(long bps, long limitNanos) {
            long start = now;
            while (now - start < limitNanos) {
                run(MS);
                if (bwe.estimateBps() < bps) {
                    return now - start;
                }
            }
            return -1;
        }

        long arrivalOf(long sendNanos) {
            long start = Math.max(sendNanos + propagationNanos, bottleneckFreeNanos);
            long departure = start + PACKET_BYTES * 8L * SECOND / capacityBps;
            bottleneckFreeNanos = departure;
            return departure + (jitterNanos > 0 ? (long) (random.nextDouble() * jitterNanos) : 0) + arrivalOffsetNanos;
        }

        int absSendTime(long sendNanos) {
            return (int) ((ReceiveSideBandwidthEstimator.nanosToUnits(sendNanos) + sendOffsetUnits)
                    & ReceiveSideBandwidthEstimator.ABS_SEND_TIME_MAX);
        }
    }

    @Test
    void fixedPointConversionsAgree() {
        assertAll(
                () -> assertEquals(SECOND, ReceiveSideBandwidthEstimator.unitsToNanos(1 << 18)),
                () -> assertEquals(64 * SECOND, ReceiveSideBandwidthEstimator.unitsToNanos(1 << 24)),
                () -> assertEquals(3_814, ReceiveSideBandwidthEstimator.unitsToNanos(1)),
                () -> assertEquals(1 << 17, ReceiveSideBandwidthEstimator.nanosToUnits(SECOND / 2)),
                () -> assertEquals(-SECOND, ReceiveSideBandwidthEstimator.unitsToNanos(-(1 << 18))),
                // Days of extended send time do not overflow.
                () -> assertEquals(86_400 * SECOND, ReceiveSideBandwidthEstimator.unitsToNanos(86_400L << 18)));
    }

    @Test
    void steadyArrivalsClimbToAndAboveTheIncomingRate() {
        Path path = new Path();
        path.run(8 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertAll(
                () -> assertTrue(stats.incomingBps() > 1_400_000 && stats.incomingBps() < 1_600_000,
                        "incoming " + stats.incomingBps()),
                () -> assertTrue(stats.estimateBps() >= 1_500_000, "estimate " + stats.estimateBps()),
                // A rate that is not used is not measured: at most 1.5 x incoming + 10 kbit/s.
                () -> assertTrue(stats.estimateBps() <= 2_300_000, "estimate " + stats.estimateBps()),
                () -> assertEquals(0, stats.overuseEvents()),
                () -> assertEquals(0, stats.outliers() + stats.resyncs() + stats.reorderedPackets()));
    }

    @Test
    void aGrowingQueueBringsTheEstimateBelowTheIncomingRateWithinAFewHundredMilliseconds() {
        Path path = new Path();
        path.run(6 * SECOND);
        path.capacityBps = 1_000_000; // the sender keeps sending 1.5 Mbit/s: the queue grows 0.5 s per second
        long took = path.timeUntilBelow(1_000_000, 2 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertAll(
                () -> assertTrue(took > 0 && took <= 500 * MS, "took " + took / MS + " ms: " + stats),
                () -> assertTrue(stats.overuseEvents() >= 1),
                () -> assertTrue(stats.estimateBps() < stats.incomingBps(), stats.toString()));
    }

    @Test
    void theEstimateRecoversAfterTheCongestionEnds() {
        Path path = new Path();
        path.followEstimate = true;
        path.rateBps = 2_500_000;
        path.run(5 * SECOND);
        path.capacityBps = 800_000;
        long congested = path.run(5 * SECOND);
        assertTrue(congested < 800_000, "congested estimate " + congested);
        long decreases = path.bwe.stats().decreases();
        path.capacityBps = 100_000_000;
        path.run(15 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertTrue(stats.estimateBps() >= 1_500_000, "recovered to " + stats);
        assertTrue(stats.decreases() <= decreases + 1, "decreases after recovery " + stats);
    }

    @Test
    void theSixtyFourSecondWrapIsFollowed() {
        Path plain = new Path();
        Path wrapping = new Path();
        // 2 s before the wrap.
        wrapping.sendOffsetUnits = (1 << 24) - 2 * (1 << 18);
        for (int i = 0; i < 100; i++) {
            plain.run(50 * MS);
            wrapping.run(50 * MS);
            assertEquals(plain.bwe.estimateBps(), wrapping.bwe.estimateBps(), "estimate at " + plain.now / MS + " ms");
        }
        ReceiveSideBandwidthEstimator.Stats stats = wrapping.bwe.stats();
        assertAll(
                () -> assertEquals(1, stats.wraps()),
                () -> assertEquals(0, stats.outliers()),
                () -> assertEquals(0, stats.resyncs()),
                () -> assertEquals(0, stats.reorderedPackets()),
                () -> assertEquals(plain.bwe.stats().groups(), stats.groups()));
    }

    @Test
    void manyWrapsOfALongSessionAreFollowed() {
        Path path = new Path();
        path.jitterNanos = 0;
        path.run(200 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertEquals(3, stats.wraps());
        assertEquals(0, stats.outliers() + stats.resyncs() + stats.overuseEvents(), stats.toString());
    }

    @Test
    void reorderedPacketsAreCountedAndDoNotUnsettleTheEstimate() {
        ReceiveSideBandwidthEstimator bwe = new ReceiveSideBandwidthEstimator(BweConfig.defaults());
        Path path = new Path();
        long interval = PACKET_BYTES * 8L * SECOND / 1_500_000;
        for (int i = 0; i < 1600; i += 2) {
            // Each pair arrives swapped: the second-sent first, 0.1 ms apart.
            long first = i * interval;
            long second = first + interval;
            long arrival = second + 30 * MS;
            bwe.onPacket(path.absSendTime(second), PACKET_BYTES, arrival);
            bwe.onPacket(path.absSendTime(first), PACKET_BYTES, arrival + 100_000);
        }
        ReceiveSideBandwidthEstimator.Stats stats = bwe.stats();
        assertAll(
                () -> assertTrue(stats.reorderedPackets() > 0, stats.toString()),
                () -> assertEquals(0, stats.outliers() + stats.resyncs()),
                () -> assertEquals(0, stats.overuseEvents()),
                () -> assertTrue(stats.estimateBps() >= 1_500_000, stats.toString()));
    }

    @Test
    void aSingleAbsurdSendTimeIsAnOutlierAndChangesNothing() {
        Path clean = new Path();
        Path glitch = new Path();
        clean.run(3 * SECOND);
        glitch.run(3 * SECOND);
        long arrival = glitch.arrivalOffsetNanos + glitch.now;
        glitch.bwe.onPacket(glitch.absSendTime(glitch.now + 20 * SECOND), PACKET_BYTES, arrival);
        clean.run(3 * SECOND);
        glitch.run(3 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = glitch.bwe.stats();
        assertAll(
                () -> assertEquals(1, stats.outliers()),
                () -> assertEquals(0, stats.resyncs()),
                () -> assertEquals(0, stats.overuseEvents()),
                () -> assertEquals(clean.bwe.stats().groups(), stats.groups()),
                () -> assertTrue(Math.abs(clean.bwe.estimateBps() - stats.estimateBps()) < 50_000,
                        clean.bwe.estimateBps() + " vs " + stats.estimateBps()));
    }

    @Test
    void aSenderClockThatJumpsForGoodIsFollowedAfterAFewPackets() {
        Path path = new Path();
        path.run(3 * SECOND);
        long before = path.bwe.estimateBps();
        path.sendOffsetUnits += 20L << 18; // the publisher's clock jumps 20 s ahead and stays there
        path.run(3 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertAll(
                () -> assertEquals(ReceiveSideBandwidthEstimator.RESYNC_AFTER_OUTLIERS, stats.outliers()),
                () -> assertEquals(1, stats.resyncs()),
                () -> assertEquals(0, stats.overuseEvents()),
                () -> assertTrue(stats.estimateBps() >= before, before + " then " + stats));
    }

    @Test
    void aLongSilenceRestartsQuietly() {
        Path path = new Path();
        path.run(3 * SECOND);
        path.now += 100 * SECOND; // muted: beyond the wrap, the next step is ambiguous
        path.run(3 * SECOND);
        ReceiveSideBandwidthEstimator.Stats stats = path.bwe.stats();
        assertAll(
                () -> assertEquals(0, stats.outliers()),
                () -> assertEquals(1, stats.resyncs()),
                () -> assertEquals(0, stats.overuseEvents()));
    }

    @Test
    void hostileSendTimesAreBoundedAndCountedAndNeverThrow() {
        ReceiveSideBandwidthEstimator bwe = new ReceiveSideBandwidthEstimator(BweConfig.defaults());
        Random random = new Random(99);
        long arrival = 5 * SECOND;
        for (int i = 0; i < 200_000; i++) {
            int absSendTime = switch (i % 5) {
                case 0 -> random.nextInt(1 << 24);
                case 1 -> random.nextInt();
                case 2 -> ReceiveSideBandwidthEstimator.NO_SEND_TIME;
                case 3 -> (i * 977) & 0xFF_FFFF;
                default -> 0xFF_FFFF;
            };
            int size = random.nextBoolean() ? random.nextInt() : random.nextInt(1500);
            arrival += random.nextInt(20) == 0 ? -random.nextInt(1_000_000) : random.nextInt(2_000_000);
            long estimate = bwe.onPacket(absSendTime, size, arrival);
            assertTrue(estimate >= BweConfig.defaults().minBps() && estimate <= BweConfig.defaults().maxBps());
        }
        ReceiveSideBandwidthEstimator.Stats stats = bwe.stats();
        assertAll(
                () -> assertEquals(200_000, stats.packets()),
                () -> assertEquals(40_000, stats.packetsWithoutSendTime()),
                () -> assertTrue(stats.invalidSendTimes() > 10_000, stats.toString()),
                () -> assertTrue(stats.outliers() > 10_000, stats.toString()),
                () -> assertTrue(stats.resyncs() > 0, stats.toString()));
    }

    @Test
    void packetHandlingDoesNotAllocate() {
        Path path = new Path();
        path.run(2 * SECOND);
        ReceiveSideBandwidthEstimator bwe = path.bwe;
        long[] clock = {path.now};
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                long send = clock[0];
                clock[0] += 6 * MS;
                // Congestion, reordering, an outlier now and then: every branch of the packet path.
                long arrival = send + 30 * MS + (i % 400 < 200 ? (i % 400) * MS : 0);
                int absSendTime = i % 97 == 0 ? path.absSendTime(send + 30 * SECOND) : path.absSendTime(send);
                bwe.onPacket(absSendTime, PACKET_BYTES, arrival);
                bwe.onPacket(ReceiveSideBandwidthEstimator.NO_SEND_TIME, 100, arrival);
            }
        });
        assertEquals(0, allocated, "bytes allocated for 20000 packets");
    }
}
