package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtcp.TransportWideCc.PacketStatus;

class SendHistoryTest {

    private static final long LOST = TransportWideCc.NOT_RECEIVED;
    private static final long MS = 1_000_000;

    private final SendHistory history = new SendHistory(64);
    private final PacketResult[] out = PacketResult.newArray(64);

    private static TransportWideCc feedback(int base, long... arrivalsMicros) {
        return TransportWideCc.fromArrivalTimes(1, 2, base, 0, arrivalsMicros);
    }

    /** Sends {@code count} packets from {@code firstSeq}, 1 ms apart, sized 1000 + index. */
    private void send(int firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            history.onPacketSent(firstSeq + i, 1000 + i, (10 + i) * MS);
        }
    }

    @Test
    void matchesSendTimesSizesAndArrivals() {
        send(10, 5);
        int n = history.onFeedback(feedback(10, 1_000_000, 1_001_000, LOST, 1_003_500, 1_004_000), out);
        assertEquals(5, n);
        for (int i = 0; i < 5; i++) {
            assertEquals(10 + i, out[i].sequenceNumber());
            assertEquals((10 + i) * MS, out[i].sendTimeNanos());
            assertEquals(1000 + i, out[i].sizeBytes());
            assertFalse(out[i].previouslyReportedLost());
        }
        assertFalse(out[2].received());
        assertEquals(PacketResult.NOT_RECEIVED, out[2].arrivalTimeMicros());
        assertEquals(1_000, out[1].arrivalTimeMicros() - out[0].arrivalTimeMicros());
        assertEquals(3_500, out[3].arrivalTimeMicros() - out[0].arrivalTimeMicros());
        assertEquals(4_000, out[4].arrivalTimeMicros() - out[0].arrivalTimeMicros());
        SendHistory.Stats stats = history.stats();
        assertEquals(4, stats.reportedReceived());
        assertEquals(1, stats.reportedLost());
    }

    @Test
    void sequenceNumbersWrap() {
        send(65533, 6); // 65533, 65534, 65535, 0, 1, 2
        int n = history.onFeedback(feedback(65534, 100_000, 101_000, 102_000, 103_000), out);
        assertEquals(4, n);
        assertEquals(65534, out[0].sequenceNumber());
        assertEquals(65537, out[3].sequenceNumber()); // wire value 1, one cycle on
        assertEquals(1001, out[0].sizeBytes());
        assertEquals(1004, out[3].sizeBytes());
        assertEquals(0, history.stats().unknownPackets());
    }

    @Test
    void repeatedFeedbackIsCountedAsDuplicates() {
        send(0, 5);
        TransportWideCc fb = feedback(0, 1_000, 2_000, LOST, 4_000, 5_000);
        assertEquals(5, history.onFeedback(fb, out));
        assertEquals(0, history.onFeedback(fb, out));
        assertEquals(5, history.stats().duplicatePackets());
    }

    @Test
    void packetReportedLostThenReceivedIsYieldedAgain() {
        send(0, 3);
        assertEquals(3, history.onFeedback(feedback(0, 1_000, LOST, 3_000), out));
        assertEquals(0, history.onFeedback(feedback(1, LOST), out)); // lost again: duplicate
        assertEquals(1, history.onFeedback(feedback(1, 2_000), out));
        assertEquals(1, out[0].sequenceNumber());
        assertTrue(out[0].received());
        assertTrue(out[0].previouslyReportedLost());
        assertEquals(1, history.stats().duplicatePackets());
    }

    @Test
    void reorderedFeedbackIsMatched() {
        send(100, 10);
        assertEquals(5, history.onFeedback(feedback(105, 6_000, 7_000, 8_000, 9_000, 10_000), out));
        assertEquals(105, out[0].sequenceNumber());
        assertEquals(5, history.onFeedback(feedback(100, 1_000, 2_000, 3_000, 4_000, 5_000), out));
        assertEquals(100, out[0].sequenceNumber());
        assertEquals(0, history.stats().duplicatePackets());
    }

    @Test
    void packetsNeverSentAreCountedNotYielded() {
        assertEquals(0, history.onFeedback(feedback(0, 1_000), out)); // nothing sent yet
        send(0, 10);
        long[] arrivals = new long[5000];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = 1_000L * i;
        }
        assertEquals(0, history.onFeedback(feedback(10, arrivals), out));
        assertEquals(5001, history.stats().unknownPackets());
        // A range straddling the newest: the known part is yielded.
        assertEquals(2, history.onFeedback(feedback(8, 1_000, 2_000, 3_000, 4_000), out));
        assertEquals(5003, history.stats().unknownPackets());
    }

    @Test
    void packetsOlderThanTheRingAreCountedTooOld() {
        send(0, 100); // capacity 64: 36..99 kept
        assertEquals(0, history.onFeedback(feedback(10, 1_000, 2_000, 3_000), out));
        assertEquals(3, history.stats().tooOldPackets());
        assertEquals(2, history.onFeedback(feedback(35, 1_000, 2_000, 3_000), out));
        assertEquals(36, out[0].sequenceNumber());
        assertEquals(4, history.stats().tooOldPackets());
    }

    @Test
    void packetsBeyondTheOutputArrayStayUnreported() {
        send(0, 5);
        PacketResult[] small = PacketResult.newArray(2);
        TransportWideCc fb = feedback(0, 1_000, 2_000, 3_000, 4_000, 5_000);
        assertEquals(2, history.onFeedback(fb, small));
        assertEquals(3, history.stats().truncatedPackets());
        assertEquals(3, history.onFeedback(fb, out));
        assertEquals(2, out[0].sequenceNumber());
    }

    @Test
    void referenceTimeWrapKeepsArrivalsContinuous() {
        send(0, 2);
        // Reference 2^24 - 1 (the last 64 ms step before the wrap), then 0.
        history.onFeedback(new TransportWideCc(1, 2, 0, 0xFF_FFFF, 0, List.of(PacketStatus.received(4))), out);
        long first = out[0].arrivalTimeMicros();
        history.onFeedback(new TransportWideCc(1, 2, 1, 0, 1, List.of(PacketStatus.received(8))), out);
        assertEquals(64_000 - 1_000 + 2_000, out[0].arrivalTimeMicros() - first);
        assertTrue(first > 0);
    }

    @Test
    void sendsFarBehindTheNewestAreIgnored() {
        send(1000, 100);
        history.onPacketSent(1000, 1, 0);
        assertEquals(1, history.stats().staleSends());
        assertEquals(100, history.stats().packetsSent());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 100, 65536})
    void rejectsCapacitiesThatAreNotPowersOfTwoInRange(int capacity) {
        assertThrows(IllegalArgumentException.class, () -> new SendHistory(capacity));
    }
}
