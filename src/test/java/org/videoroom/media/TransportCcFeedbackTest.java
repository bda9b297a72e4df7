package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.TransportWideCc;

/**
 * The feedback built here is parsed back by our own RTCP parser and must report exactly the recorded arrivals:
 * each received sequence number with its arrival time (to the 250 us unit, relative to the first), each gap as
 * lost, across the 16-bit wrap and with reordering.
 */
class TransportCcFeedbackTest {

    private static final long SENDER = 0x1234_5678L;
    private static final long MEDIA = 0x0BAD_CAFEL;
    private static final long MS = 1_000_000L;

    /** One arrival: transport-wide sequence number (16 bits) and time in nanoseconds. */
    record Arrival(int seq, long nanos) {
    }

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("in order, 1 ms apart", arrivals(100, 20, 1 * MS, List.of(), false)),
                Arguments.of("one loss in the middle", arrivals(100, 20, 1 * MS, List.of(7), false)),
                Arguments.of("a burst of 20 losses (run-length chunk)", arrivals(5, 60, 2 * MS,
                        range(20, 40), false)),
                Arguments.of("across the sequence wrap", arrivals(65_530, 30, 1 * MS, List.of(3), false)),
                Arguments.of("reordered pairs", arrivals(1_000, 40, 1 * MS, List.of(), true)),
                Arguments.of("same arrival time for all (zero deltas)", arrivals(7, 50, 0, List.of(), false)),
                Arguments.of("large gaps between arrivals (two-byte deltas)", arrivals(300, 10, 90 * MS,
                        List.of(), false)),
                Arguments.of("wrap, losses and reordering together", arrivals(65_500, 100, 3 * MS / 2,
                        List.of(10, 11, 12, 35, 36, 90), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void feedbackParsesBackToTheRecordedArrivals(String name, List<Arrival> arrivals) {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        for (Arrival a : arrivals) {
            feedback.onPacket(a.seq(), a.nanos());
        }
        long now = arrivals.get(arrivals.size() - 1).nanos() + TransportCcFeedback.FEEDBACK_INTERVAL_NANOS;
        assertTrue(feedback.feedbackDue(now));
        List<TransportWideCc> sent = drain(feedback, now);
        assertFalse(sent.isEmpty());
        assertFalse(feedback.feedbackDue(now));

        TreeMap<Long, Long> expected = expectedByUnwrapped(arrivals);
        TreeMap<Long, Long> reported = new TreeMap<>();
        long firstSeq = arrivals.get(0).seq();
        for (TransportWideCc fb : sent) {
            assertEquals(SENDER, fb.senderSsrc());
            assertEquals(MEDIA, fb.mediaSsrc());
            long[] times = fb.arrivalTimesMicros();
            for (int i = 0; i < times.length; i++) {
                long unwrapped = unwrapNear(fb.sequenceNumber(i), firstSeq);
                reported.put(unwrapped, times[i]);
            }
        }
        // Every sequence number from the lowest to the highest received is reported exactly once.
        assertEquals(expected.keySet(), reported.keySet(), "reported sequence numbers");
        long expectedFirst = expected.firstEntry().getValue();
        long reportedFirst = reported.firstEntry().getValue();
        expected.forEach((seq, micros) -> {
            long got = reported.get(seq);
            if (micros == TransportWideCc.NOT_RECEIVED) {
                assertEquals(TransportWideCc.NOT_RECEIVED, got, "seq " + seq + " lost");
            } else {
                assertTrue(got != TransportWideCc.NOT_RECEIVED, "seq " + seq + " received");
                long want = micros - expectedFirst;
                long have = got - reportedFirst;
                assertTrue(Math.abs(want - have) <= 250, "seq " + seq + ": arrival " + have + " us, want " + want);
            }
        });
    }

    @Test
    void feedbackComesAtTheCadenceAndSoonerAfterAGap() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        long t = 1_000 * MS;
        feedback.onPacket(1, t);
        assertTrue(feedback.feedbackDue(t), "the first packet is reported at once");
        assertEquals(1, drain(feedback, t).size());
        feedback.onPacket(2, t + 5 * MS);
        assertFalse(feedback.feedbackDue(t + 5 * MS));
        assertFalse(feedback.feedbackDue(t + 49 * MS));
        assertTrue(feedback.feedbackDue(t + 50 * MS));
        drain(feedback, t + 50 * MS);
        // 3 and 4 lost: the sender hears of it after the minimum interval, well before the cadence.
        feedback.onPacket(5, t + 52 * MS);
        assertFalse(feedback.feedbackDue(t + 55 * MS));
        assertTrue(feedback.feedbackDue(t + 60 * MS));
        TransportWideCc fb = drain(feedback, t + 60 * MS).get(0);
        assertEquals(3, fb.baseSequenceNumber());
        assertEquals(List.of(false, false, true), fb.packets().stream().map(TransportWideCc.PacketStatus::received)
                .toList());
    }

    @Test
    void feedbackPacketCountAdvancesAndWraps() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        for (int i = 0; i < 300; i++) {
            long t = i * 60 * MS;
            feedback.onPacket(i, t);
            TransportWideCc fb = drain(feedback, t).get(0);
            assertEquals(i & 0xFF, fb.feedbackPacketCount());
        }
    }

    @Test
    void aLongBurstIsSplitOverSeveralFeedbackPackets() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        int n = TransportCcFeedback.MAX_PACKETS_PER_FEEDBACK * 2 + 10;
        for (int i = 0; i < n; i++) {
            feedback.onPacket(i, 10 * MS + i * 10_000L);
        }
        List<TransportWideCc> sent = drain(feedback, 100 * MS);
        assertEquals(3, sent.size());
        assertEquals(n, sent.stream().mapToInt(fb -> fb.packets().size()).sum());
        assertEquals(TransportCcFeedback.MAX_PACKETS_PER_FEEDBACK, sent.get(1).baseSequenceNumber());
    }

    @Test
    void aJumpFarAheadStartsAFreshWindowInsteadOfReportingThousandsOfLosses() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        feedback.onPacket(10, 0);
        feedback.onPacket(11, MS);
        feedback.onPacket(30_000, 2 * MS);
        feedback.onPacket(30_001, 3 * MS);
        List<TransportWideCc> sent = drain(feedback, 100 * MS);
        assertEquals(1, sent.size());
        assertEquals(30_000, sent.get(0).baseSequenceNumber());
        assertEquals(2, sent.get(0).packets().size());
        assertEquals(1, feedback.stats().windowsRestarted());
    }

    @Test
    void moreLossesInARowThanOneFeedbackHoldsAreSkippedNotSentAsAnEmptyReport() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        feedback.onPacket(1, 0);
        drain(feedback, 0);
        feedback.onPacket(3_000, 100 * MS);
        List<TransportWideCc> sent = drain(feedback, 200 * MS);
        assertEquals(1, sent.size());
        assertEquals(3_000, sent.get(0).baseSequenceNumber());
        assertEquals(1, sent.get(0).packets().size());
    }

    @Test
    void packetsArrivingAfterTheirFeedbackAreCountedNotReportedAgain() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        feedback.onPacket(1, 0);
        feedback.onPacket(3, MS);
        drain(feedback, 100 * MS);
        feedback.onPacket(2, 101 * MS);
        feedback.onPacket(1, 101 * MS);
        assertFalse(feedback.feedbackDue(200 * MS));
        assertEquals(2, feedback.stats().packetsTooLate());
    }

    @Test
    void arrivalsSecondsApartStartANewReferenceTime() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        feedback.onPacket(1, 0);
        feedback.onPacket(2, 9_000 * MS); // beyond a 16-bit delta of 250 us units (8.2 s)
        List<TransportWideCc> sent = drain(feedback, 9_100 * MS);
        assertEquals(2, sent.size());
        assertEquals(1, sent.get(0).packets().size());
        assertEquals(2, sent.get(1).baseSequenceNumber());
        long[] times = sent.get(1).arrivalTimesMicros();
        assertTrue(Math.abs(times[0] - 9_000_000) < 64_000 + 250);
    }

    @Test
    void writesNothingWhenNothingArrived() {
        TransportCcFeedback feedback = new TransportCcFeedback(SENDER);
        assertFalse(feedback.feedbackDue(0));
        assertEquals(0, feedback.writeFeedback(MEDIA, 0, new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES], 0));
    }

    @Test
    void randomTracesRoundTrip() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int start = random.nextInt(65_536);
            int n = 1 + random.nextInt(400);
            List<Integer> lost = new ArrayList<>();
            for (int i = 1; i < n - 1; i++) {
                if (random.nextInt(10) == 0) {
                    lost.add(i);
                }
            }
            List<Arrival> arrivals = arrivals(start, n, random.nextInt(3 * (int) MS), lost, random.nextBoolean());
            feedbackParsesBackToTheRecordedArrivals("trial " + trial, arrivals);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static List<TransportWideCc> drain(TransportCcFeedback feedback, long now) {
        List<TransportWideCc> out = new ArrayList<>();
        byte[] buf = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES + 8];
        do {
            int length = feedback.writeFeedback(MEDIA, now, buf, 4);
            if (length == 0) {
                break;
            }
            assertEquals(0, length % 4, "padded to 32 bits");
            RtcpParser.Result result = new RtcpParser().parse(buf, 4, length);
            assertEquals(RtcpParser.Status.OK, result.status(), "parses cleanly");
            assertEquals(1, result.packets().size());
            RtcpPacket packet = result.packets().get(0);
            out.add((TransportWideCc) packet);
        } while (feedback.hasMore());
        return out;
    }

    private static List<Arrival> arrivals(int start, int n, long spacingNanos, List<Integer> lostIndexes,
                                          boolean swapPairs) {
        List<Arrival> out = new ArrayList<>();
        long t = 5_000 * MS;
        for (int i = 0; i < n; i++) {
            t += spacingNanos;
            if (!lostIndexes.contains(i)) {
                out.add(new Arrival((start + i) & 0xFFFF, t));
            }
        }
        if (swapPairs) {
            // Swap neighbours after the first, keeping the first packet first (it sets the window's start).
            for (int i = 1; i + 1 < out.size(); i += 3) {
                Collections.swap(out, i, i + 1);
            }
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private static TreeMap<Long, Long> expectedByUnwrapped(List<Arrival> arrivals) {
        TreeMap<Long, Long> received = new TreeMap<>();
        long first = arrivals.get(0).seq();
        for (Arrival a : arrivals) {
            received.put(unwrapNear(a.seq(), first), a.nanos() / 1000);
        }
        TreeMap<Long, Long> expected = new TreeMap<>();
        for (long s = received.firstKey(); s <= received.lastKey(); s++) {
            expected.put(s, received.getOrDefault(s, TransportWideCc.NOT_RECEIVED));
        }
        return expected;
    }

    private static long unwrapNear(int seq, long reference) {
        long candidate = (reference & ~0xFFFFL) | seq;
        if (candidate < reference - 32_768) {
            candidate += 65_536;
        } else if (candidate > reference + 32_768) {
            candidate -= 65_536;
        }
        return candidate;
    }
}
