package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AcknowledgedBitrateEstimatorTest {

    @Test
    void measuresTheArrivalRate() {
        AcknowledgedBitrateEstimator estimator = new AcknowledgedBitrateEstimator(1024);
        for (int i = 0; i < 1000; i++) {
            estimator.onPacketReceived(i * 4_000L, 1200); // 1200 bytes per 4 ms: 2.4 Mbit/s
        }
        assertEquals(2_400_000, estimator.bitrateBps(), 1000);
    }

    @Test
    void unknownUntilTheSamplesSpanEnough() {
        AcknowledgedBitrateEstimator estimator = new AcknowledgedBitrateEstimator(1024);
        estimator.onPacketReceived(0, 1200);
        assertEquals(AcknowledgedBitrateEstimator.UNKNOWN, estimator.bitrateBps());
        estimator.onPacketReceived(100_000, 1200);
        assertEquals(AcknowledgedBitrateEstimator.UNKNOWN, estimator.bitrateBps());
        estimator.onPacketReceived(200_000, 1200);
        assertEquals(96_000, estimator.bitrateBps());
    }

    @Test
    void followsARateChangeWithinTheWindow() {
        AcknowledgedBitrateEstimator estimator = new AcknowledgedBitrateEstimator(1024);
        long t = 0;
        for (int i = 0; i < 500; i++) {
            estimator.onPacketReceived(t += 4_000, 1200);
        }
        for (int i = 0; i < 40; i++) {
            estimator.onPacketReceived(t += 16_000, 1200); // 600 kbit/s for 640 ms
        }
        assertEquals(600_000, estimator.bitrateBps(), 1000);
    }

    @Test
    void arrivalsFarInThePastRestart() {
        AcknowledgedBitrateEstimator estimator = new AcknowledgedBitrateEstimator(1024);
        for (int i = 0; i < 100; i++) {
            estimator.onPacketReceived(10_000_000 + i * 4_000L, 1200);
        }
        estimator.onPacketReceived(0, 1200);
        assertEquals(1, estimator.resets());
        assertEquals(AcknowledgedBitrateEstimator.UNKNOWN, estimator.bitrateBps());
    }
}
