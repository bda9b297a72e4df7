package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossBasedControllerTest {

    private static final long MS = 1_000_000;
    private final LossBasedController controller = new LossBasedController(BweConfig.defaults());

    private long interval(int packets, int lost, long estimateBps, long nowNanos) {
        for (int i = 0; i < packets; i++) {
            controller.onPacket(i >= lost, false);
        }
        return controller.update(estimateBps, 50 * MS, nowNanos);
    }

    @Test
    void startsLiftedAndLowLossKeepsItLifted() {
        assertEquals(LossBasedController.UNLIMITED, interval(100, 1, 1_000_000, 0));
    }

    @Test
    void highLossDecreasesByHalfTheLossFraction() {
        assertEquals(900_000, interval(100, 20, 1_000_000, 0)); // 1 - 0.5 x 0.2
        assertEquals(900_000, interval(100, 20, 1_000_000, 100 * MS)); // too soon for another decrease
        assertEquals(810_000, interval(100, 20, 1_000_000, 400 * MS));
        assertEquals(2, controller.decreases());
    }

    @Test
    void moderateLossHolds() {
        interval(100, 20, 1_000_000, 0);
        assertEquals(900_000, interval(100, 5, 2_000_000, 1000 * MS));
    }

    @Test
    void lowLossGrowsTheLimitUntilItIsLifted() {
        interval(100, 20, 1_000_000, 0);
        long grown = interval(100, 0, 900_000, 1000 * MS);
        assertEquals(900_000 * 1.08 + 1000, grown, 1);
        long now = 1000 * MS;
        while (controller.limitBps() != LossBasedController.UNLIMITED && now < 100_000 * MS) {
            now += 1000 * MS;
            interval(100, 0, 900_000, now);
        }
        assertEquals(LossBasedController.UNLIMITED, controller.limitBps());
    }

    @Test
    void fewPacketsAreAccumulatedBeforeJudging() {
        assertEquals(LossBasedController.UNLIMITED, interval(3, 1, 1_000_000, 0)); // 1 of 3 is not 33 %
        assertEquals(0, controller.decreases());
        interval(17, 1, 1_000_000, 0); // 2 of 20: 10 %, holds
        assertEquals(0, controller.decreases());
        assertTrue(controller.lastLossFraction() > 0.09);
    }

    @Test
    void lateArrivalTakesBackALoss() {
        for (int i = 0; i < 19; i++) {
            controller.onPacket(i >= 3, false);
        }
        controller.onPacket(true, true); // one of the three losses turned up
        controller.onPacket(true, false);
        controller.update(1_000_000, 50 * MS, 0);
        assertEquals(0.1, controller.lastLossFraction(), 1e-9);
    }

    @Test
    void aProbeResultAboveTheLimitRaisesItAndOneBelowDoesNot() {
        interval(100, 20, 1_000_000, 0);
        controller.onProbeResult(700_000);
        assertEquals(900_000, controller.limitBps());
        controller.onProbeResult(1_600_000);
        assertEquals(1_600_000, controller.limitBps());
        controller.onProbeResult(BweConfig.defaults().maxBps());
        assertEquals(LossBasedController.UNLIMITED, controller.limitBps());
    }

    @Test
    void aProbeResultLeavesALiftedLimitLifted() {
        controller.onProbeResult(500_000);
        assertEquals(LossBasedController.UNLIMITED, controller.limitBps());
    }
}
