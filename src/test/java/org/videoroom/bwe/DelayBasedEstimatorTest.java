package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DelayBasedEstimatorTest {

    private static final long MS = 1_000_000;

    /**
     * Feeds one packet every 10 ms (one group each) for {@code count} packets; each arrives
     * {@code extraMicros} later relative to its send time than the one before.
     */
    private static BandwidthUsage feed(DelayBasedEstimator estimator, int count, long extraMicros) {
        BandwidthUsage usage = estimator.usage();
        long arrival = 5_000_000;
        for (int i = 0; i < count; i++) {
            arrival += 10_000 + extraMicros;
            usage = estimator.onPacket(i * 10 * MS, arrival);
        }
        return usage;
    }

    @Test
    void steadyDelayIsNormal() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        assertEquals(BandwidthUsage.NORMAL, feed(estimator, 200, 0));
        assertEquals(199, estimator.groups());
        assertEquals(0, estimator.overuseEvents());
    }

    @Test
    void growingDelayIsOverusing() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        assertEquals(BandwidthUsage.OVERUSING, feed(estimator, 100, 2_000)); // queue grows 2 ms per 10 ms
        assertEquals(1, estimator.overuseEvents());
    }

    @Test
    void shrinkingDelayIsUnderusing() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        assertEquals(BandwidthUsage.UNDERUSING, feed(estimator, 100, -2_000));
    }

    @Test
    void jitterBelowTheThresholdIsNormal() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        long arrival = 0;
        BandwidthUsage usage = BandwidthUsage.NORMAL;
        for (int i = 0; i < 500; i++) {
            arrival = i * 10_000L + (i % 2 == 0 ? 0 : 1_500); // +-1.5 ms alternating
            usage = estimator.onPacket(i * 10 * MS, arrival);
            assertTrue(usage != BandwidthUsage.OVERUSING, "at packet " + i);
        }
        assertEquals(BandwidthUsage.NORMAL, usage);
    }

    @Test
    void packetsWithinFiveMillisecondsFormOneGroup() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        for (int i = 0; i < 100; i++) {
            estimator.onPacket(i * MS, i * 1_000L); // 1 ms apart: groups of 6 packets (first + 5 ms)
        }
        assertEquals(16, estimator.groups());
    }

    @Test
    void packetsSentBeforeTheCurrentGroupAreIgnored() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        estimator.onPacket(100 * MS, 100_000);
        estimator.onPacket(50 * MS, 50_000);
        assertEquals(1, estimator.reorderedPackets());
    }

    @Test
    void arrivalJumpOfSecondsRestarts() {
        DelayBasedEstimator estimator = new DelayBasedEstimator();
        feed(estimator, 50, 0);
        estimator.onPacket(600 * MS, 100_000_000); // arrival 95 s later than the send time suggests
        estimator.onPacket(610 * MS, 100_010_000);
        assertEquals(1, estimator.resets());
        assertEquals(BandwidthUsage.NORMAL, estimator.usage());
    }
}
