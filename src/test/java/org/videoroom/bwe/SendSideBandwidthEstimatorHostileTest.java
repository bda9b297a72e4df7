package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtcp.TransportWideCc.PacketStatus;
import org.videoroom.rtp.AllocationMeter;

/** Feedback and REMB a broken or malicious subscriber might send: bounded, counted, never thrown. */
class SendSideBandwidthEstimatorHostileTest {

    private static final long MS = 1_000_000;
    private final BweConfig config = BweConfig.defaults();
    private final SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(config);

    private void send(int count) {
        for (int i = 0; i < count; i++) {
            bwe.onPacketSent(i, 1200, i * MS);
        }
    }

    private static TransportWideCc received(int base, int count, int delta) {
        return new TransportWideCc(1, 2, base, 0, 0, Collections.nCopies(count, PacketStatus.received(delta)));
    }

    @Test
    void thousandsOfPacketsNeverSentAreIgnored() {
        send(100);
        long before = bwe.estimateBps();
        bwe.onFeedback(received(100, 60_000, 4), 200 * MS);
        bwe.onFeedback(received(40_000, 20_000, 4), 200 * MS); // "behind" the newest by half the circle
        SendSideBandwidthEstimator.Stats stats = bwe.stats();
        assertEquals(before, bwe.estimateBps());
        assertEquals(60_000 + 20_000, stats.history().unknownPackets() + stats.history().tooOldPackets());
        assertEquals(0, stats.history().reportedReceived());
        assertEquals(2, stats.emptyFeedbacks());
    }

    @Test
    void absurdArrivalDeltasAreBoundedAndCounted() {
        Random random = new Random(7);
        int seq = 0;
        long now = 0;
        for (int round = 0; round < 200; round++) {
            List<PacketStatus> packets = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                bwe.onPacketSent(seq + i, 1200, now + i * MS);
                int delta = random.nextBoolean() ? Short.MAX_VALUE : Short.MIN_VALUE + random.nextInt(3);
                packets.add(random.nextInt(10) == 0 ? PacketStatus.LOST : PacketStatus.received(delta));
            }
            now += 50 * MS;
            bwe.onFeedback(new TransportWideCc(1, 2, seq & 0xFFFF, random.nextInt(1 << 24), round & 0xFF, packets), now);
            long estimate = bwe.estimateBps();
            assertTrue(estimate >= config.minBps() && estimate <= config.maxBps(), "estimate " + estimate);
            seq += 50;
        }
        SendSideBandwidthEstimator.Stats stats = bwe.stats();
        assertTrue(stats.delayResets() > 0, stats.toString());
        assertTrue(stats.ackedResets() > 0, stats.toString());
        assertEquals(200, stats.feedbacks());
    }

    @Test
    void feedbackWithClockGoingBackwardsDoesNotThrow() {
        send(100);
        bwe.onFeedback(received(0, 50, 4), Long.MAX_VALUE);
        bwe.onFeedback(received(50, 50, 4), Long.MIN_VALUE);
        long estimate = bwe.estimateBps();
        assertTrue(estimate >= config.minBps() && estimate <= config.maxBps());
    }

    @Test
    void rembOfZeroIsClampedToTheMinimum() {
        assertEquals(config.minBps(), bwe.onRemb(0));
        assertEquals(config.minBps(), bwe.estimateBps());
        assertEquals(1, bwe.stats().rembsClamped());
        assertEquals(config.minBps(), bwe.stats().rembCapBps());
    }

    @Test
    void hugeRembDoesNotRaiseTheEstimate() {
        assertEquals(config.startBps(), bwe.onRemb(1L << 60));
        assertEquals(config.maxBps(), bwe.stats().rembCapBps());
        assertEquals(1, bwe.stats().rembsClamped());
        bwe.onRemb(300_000);
        assertEquals(300_000, bwe.estimateBps());
        bwe.onRemb(Long.MAX_VALUE);
        assertEquals(config.startBps(), bwe.estimateBps());
    }

    @Test
    void negativeRembIsIgnored() {
        bwe.onRemb(400_000);
        assertEquals(400_000, bwe.onRemb(-1));
        assertEquals(1, bwe.stats().rembsInvalid());
        assertEquals(400_000, bwe.stats().rembCapBps());
    }

    /** Feedback handling allocates nothing, however many packets a feedback declares. */
    @Test
    void feedbackHandlingDoesNotAllocate() {
        send(8000);
        TransportWideCc hostile = received(8000, 60_000, 4);
        TransportWideCc genuine = received(7000, 1000, 4);
        for (int i = 0; i < 2000; i++) { // warm up (JIT, class loading)
            bwe.onFeedback(hostile, 9000 * MS);
            bwe.onFeedback(genuine, 9000 * MS);
        }
        int[] next = {8000};
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100; i++) {
                bwe.onFeedback(hostile, 9000 * MS);
                bwe.onFeedback(genuine, 9000 * MS);
                bwe.onPacketSent(next[0]++ & 0xFFFF, 1200, 9000 * MS);
            }
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 200 feedback packets");
    }
}
