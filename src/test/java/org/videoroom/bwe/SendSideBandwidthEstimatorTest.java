package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The estimator against {@link LinkSimulator}: 1200-byte packets paced at the estimate through a
 * FIFO bottleneck, 20 ms each way, TWCC feedback every 50 ms. Simulated time only.
 */
class SendSideBandwidthEstimatorTest {

    private static final long C_HIGH = 2_500_000;
    private static final long C_LOW = 600_000;
    private static final BweConfig START_LOW = new BweConfig(300_000, 50_000, 10_000_000);

    private static LinkSimulator simulator(long capacityBps) {
        return new LinkSimulator(START_LOW, capacityBps, 42, 0);
    }

    @Test
    void climbsToTheLinkRateAndStaysNearIt() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.runSeconds(30);
        String trace = sim.trace(0.5);
        double climb = sim.secondsUntilAtLeast((long) (0.7 * C_HIGH), 0);
        assertTrue(climb > 0 && climb <= 6, "reached 70 % of C after " + climb + " s\n" + trace);
        assertEquals(0, sim.fractionAbove((long) (1.2 * C_HIGH), 0, 30), "above 1.2 x C\n" + trace);
        double mean = sim.meanBps(10, 30);
        assertTrue(mean >= 0.85 * C_HIGH && mean <= 1.05 * C_HIGH, "mean " + mean + "\n" + trace);
        SendSideBandwidthEstimator.Stats stats = sim.bwe.stats();
        assertTrue(stats.overuseEvents() > 0, "the sawtooth found the bottleneck: " + stats);
        assertEquals(0, stats.history().unknownPackets());
    }

    @Test
    void followsTheLinkDownAndBackUp() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.runSeconds(30);
        sim.capacityBps = C_LOW;
        sim.runSeconds(15);
        sim.capacityBps = C_HIGH;
        sim.runSeconds(25);
        String trace = sim.trace(0.5);

        double down = sim.secondsUntilBelow(800_000, 30);
        assertTrue(down > 0 && down <= 1.0, "below 800 kbit/s " + down + " s after the drop\n" + trace);
        double meanLow = sim.meanBps(33, 45);
        assertTrue(meanLow >= 0.75 * C_LOW && meanLow <= 1.1 * C_LOW, "mean at 600 kbit/s: " + meanLow + "\n" + trace);

        double up = sim.secondsUntilAtLeast(1_500_000, 45);
        assertTrue(up > 0 && up <= 15, "back to 1.5 Mbit/s " + up + " s after the recovery\n" + trace);
        assertEquals(0, sim.fractionAbove((long) (1.2 * C_HIGH), 45, 70), trace);
    }

    @Test
    void heavyRandomLossPullsTheEstimateDown() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.lossRate = 0.20;
        sim.runSeconds(30);
        double mean = sim.meanBps(20, 30);
        assertTrue(mean <= 0.2 * C_HIGH, "mean with 20 % loss: " + mean + "\n" + sim.trace(1));
        SendSideBandwidthEstimator.Stats stats = sim.bwe.stats();
        assertTrue(stats.lossDecreases() > 0);
        assertTrue(stats.lossBasedBps() > 0 && stats.lossBasedBps() < stats.delayBasedBps(), stats.toString());
        assertEquals(stats.lossBasedBps(), stats.estimateBps());
    }

    @Test
    void aCarriedProbeLiftsALossBasedLimitOnceTheLossIsGone() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.lossRate = 0.20;
        sim.runSeconds(20);
        long limited = sim.bwe.stats().lossBasedBps();
        assertTrue(limited > 0 && limited < C_HIGH / 4, sim.bwe.stats().toString());
        sim.lossRate = 0;
        sim.runSeconds(1);
        long probed = 3 * limited;
        sim.bwe.onProbeResult(probed);
        SendSideBandwidthEstimator.Stats stats = sim.bwe.stats();
        assertTrue(stats.lossBasedBps() == -1 || stats.lossBasedBps() >= probed, stats.toString());
        assertTrue(stats.estimateBps() >= probed, "the estimate follows the probe at once: " + stats);
    }

    @Test
    void lightRandomLossDoesNotHoldTheEstimateBack() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.lossRate = 0.01;
        sim.runSeconds(30);
        String trace = sim.trace(0.5);
        double climb = sim.secondsUntilAtLeast((long) (0.7 * C_HIGH), 0);
        assertTrue(climb > 0 && climb <= 6, "reached 70 % of C after " + climb + " s\n" + trace);
        double mean = sim.meanBps(10, 30);
        assertTrue(mean >= 0.85 * C_HIGH, "mean with 1 % loss: " + mean + "\n" + trace);
        assertTrue(sim.bwe.stats().history().reportedLost() > 0);
    }

    @Test
    void sequenceNumbersWrapWithoutLosingTrack() {
        LinkSimulator sim = new LinkSimulator(START_LOW, C_HIGH, 42, 65500);
        sim.runSeconds(20);
        SendHistory.Stats history = sim.bwe.stats().history();
        assertTrue(history.packetsSent() > 65536 - 65500 + 1000, "wrapped: " + history);
        assertEquals(0, history.unknownPackets());
        assertEquals(0, history.tooOldPackets());
        assertEquals(0, history.reportedLost());
        assertTrue(history.packetsSent() - history.reportedReceived() < 100, history.toString());
        double climb = sim.secondsUntilAtLeast((long) (0.7 * C_HIGH), 0);
        assertTrue(climb > 0 && climb <= 6, "reached 70 % of C after " + climb + " s");
    }

    @Test
    void reorderedAndDuplicatedFeedbackDoesNotBreakIt() {
        LinkSimulator sim = new LinkSimulator(START_LOW, C_HIGH, 42, 65000);
        int[] built = {0};
        sim.channel = (s, at, fb) -> {
            // Every other feedback arrives 60 ms late, after the next one; every one arrives twice.
            long late = built[0]++ % 2 == 0 ? 60_000_000 : 0;
            s.deliverAt(at + late, fb);
            s.deliverAt(at + late + 5_000_000, fb);
        };
        sim.runSeconds(30);
        String trace = sim.trace(0.5);
        SendSideBandwidthEstimator.Stats stats = sim.bwe.stats();
        assertEquals(stats.history().reportedReceived(), stats.history().duplicatePackets(), stats.toString());
        assertTrue(stats.reorderedPackets() > 0, stats.toString());
        double climb = sim.secondsUntilAtLeast((long) (0.7 * C_HIGH), 0);
        assertTrue(climb > 0 && climb <= 6, "reached 70 % of C after " + climb + " s\n" + trace);
        assertEquals(0, sim.fractionAbove((long) (1.2 * C_HIGH), 0, 30), trace);
        assertTrue(sim.meanBps(10, 30) >= 0.8 * C_HIGH, trace);
    }

    @Test
    void rembCapsTheEstimate() {
        LinkSimulator sim = simulator(C_HIGH);
        sim.bwe.onRemb(800_000);
        sim.runSeconds(10);
        assertEquals(0, sim.fractionAbove(800_000, 0, 10));
        assertEquals(800_000, sim.bwe.estimateBps());
        sim.bwe.onRemb(5_000_000);
        sim.runSeconds(10);
        assertTrue(sim.bwe.estimateBps() > 1_500_000, sim.trace(0.5));
    }

    @Test
    void startsAtTheConfiguredRate() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(BweConfig.defaults());
        assertEquals(1_000_000, bwe.estimateBps());
        assertEquals(BandwidthUsage.NORMAL, bwe.stats().delayUsage());
        assertTrue(bwe.stats().startup());
    }
}
