package org.videoroom.bwe;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.TransportWideCc;

/**
 * A synthetic path for the estimator tests, in simulated time only: the server paces 1200-byte
 * packets at the current estimate; each passes a bottleneck of capacity C with an unbounded FIFO
 * queue ({@code departure = max(send + propagation, previous departure) + size * 8 / C}), then
 * may be lost at random (seeded); the receiver sends TWCC feedback every 50 ms for what arrived,
 * which is marshalled, parsed by {@link RtcpParser} and handed to the estimator after the return
 * delay. The receiver's clock has an arbitrary offset from the sender's.
 */
final class LinkSimulator {

    /** Where feedback goes on its way back; tests replace it to duplicate or reorder. */
    interface FeedbackChannel {
        /** Called once per feedback built; delivers it (or not) via {@code sim.deliverAt}. */
        void send(LinkSimulator sim, long deliverAtNanos, TransportWideCc feedback);
    }

    static final int PACKET_BYTES = 1200;
    static final long STEP_NANOS = 1_000_000;
    static final long FEEDBACK_INTERVAL_NANOS = 50_000_000;
    static final long SAMPLE_INTERVAL_NANOS = 10_000_000;
    static final long RECEIVER_CLOCK_OFFSET_MICROS = 987_654_321_000L;

    final SendSideBandwidthEstimator bwe;
    private final RtcpParser parser = new RtcpParser();
    private final Random random;
    private final int firstSequenceNumber;

    long capacityBps;
    double lossRate;
    long propagationNanos = 20_000_000;
    long returnDelayNanos = 20_000_000;
    FeedbackChannel channel = (sim, at, fb) -> sim.deliverAt(at, fb);

    private long now;
    private long nextSendNanos;
    private long bottleneckFreeNanos;
    private long nextFeedbackNanos = FEEDBACK_INTERVAL_NANOS;
    private int feedbackCount;

    // Per sent packet (index = packets sent so far): arrival in sender-clock nanos, or -1 if lost.
    private long[] arrivals = new long[1 << 14];
    private int sent;
    private int reportedUpTo;

    private record Delivery(long atNanos, long order, TransportWideCc feedback) {
    }

    private final PriorityQueue<Delivery> deliveries = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long deliveryOrder;

    private long[] sampleTimes = new long[1 << 12];
    private long[] sampleValues = new long[1 << 12];
    private int samples;
    private long nextSampleNanos;

    LinkSimulator(BweConfig config, long capacityBps, long seed, int firstSequenceNumber) {
        this.bwe = new SendSideBandwidthEstimator(config);
        this.capacityBps = capacityBps;
        this.random = new Random(seed);
        this.firstSequenceNumber = firstSequenceNumber;
    }

    long now() {
        return now;
    }

    /** Queues {@code feedback} for delivery at {@code atNanos} (in call order among equal times). */
    void deliverAt(long atNanos, TransportWideCc feedback) {
        deliveries.add(new Delivery(atNanos, deliveryOrder++, feedback));
    }

    /** Advances simulated time by {@code durationNanos}. */
    void run(long durationNanos) {
        long end = now + durationNanos;
        while (now < end) {
            now += STEP_NANOS;
            while (nextSendNanos <= now) {
                sendPacket(nextSendNanos);
                nextSendNanos += PACKET_BYTES * 8L * 1_000_000_000L / bwe.estimateBps();
            }
            if (now >= nextFeedbackNanos) {
                buildFeedback();
                nextFeedbackNanos += FEEDBACK_INTERVAL_NANOS;
            }
            deliverDue();
            if (now >= nextSampleNanos) {
                sample();
                nextSampleNanos += SAMPLE_INTERVAL_NANOS;
            }
        }
    }

    void runSeconds(double seconds) {
        run((long) (seconds * 1e9));
    }

    private void sendPacket(long sendNanos) {
        int seq = (firstSequenceNumber + sent) & 0xFFFF;
        bwe.onPacketSent(seq, PACKET_BYTES, sendNanos);
        long start = Math.max(sendNanos + propagationNanos, bottleneckFreeNanos);
        long departure = start + PACKET_BYTES * 8L * 1_000_000_000L / capacityBps;
        bottleneckFreeNanos = departure;
        if (sent == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, sent * 2);
        }
        arrivals[sent++] = random.nextDouble() < lossRate ? -1 : departure;
    }

    private void buildFeedback() {
        int last = -1;
        for (int i = reportedUpTo; i < sent; i++) {
            if (arrivals[i] < 0) {
                continue;
            }
            if (arrivals[i] > now) {
                break;
            }
            last = i;
        }
        if (last < 0) {
            return;
        }
        long[] times = new long[last - reportedUpTo + 1];
        for (int i = reportedUpTo; i <= last; i++) {
            long arrival = arrivals[i];
            times[i - reportedUpTo] = arrival < 0 ? TransportWideCc.NOT_RECEIVED
                    : arrival / 1000 + RECEIVER_CLOCK_OFFSET_MICROS;
        }
        TransportWideCc built = TransportWideCc.fromArrivalTimes(1, 2, (firstSequenceNumber + reportedUpTo) & 0xFFFF,
                feedbackCount++ & 0xFF, times);
        byte[] wire = new byte[built.marshalSize()];
        built.marshalTo(wire, 0);
        TransportWideCc parsed = (TransportWideCc) parser.parse(wire).packets().get(0);
        reportedUpTo = last + 1;
        channel.send(this, now + returnDelayNanos, parsed);
    }

    private void deliverDue() {
        while (!deliveries.isEmpty() && deliveries.peek().atNanos() <= now) {
            bwe.onFeedback(deliveries.poll().feedback(), now);
        }
    }

    private void sample() {
        if (samples == sampleTimes.length) {
            sampleTimes = Arrays.copyOf(sampleTimes, samples * 2);
            sampleValues = Arrays.copyOf(sampleValues, samples * 2);
        }
        sampleTimes[samples] = now;
        sampleValues[samples++] = bwe.estimateBps();
    }

    /** Seconds from {@code fromSeconds} until the estimate first is at least {@code bps}; -1 if never. */
    double secondsUntilAtLeast(long bps, double fromSeconds) {
        for (int i = 0; i < samples; i++) {
            if (sampleTimes[i] >= fromSeconds * 1e9 && sampleValues[i] >= bps) {
                return sampleTimes[i] / 1e9 - fromSeconds;
            }
        }
        return -1;
    }

    /** Seconds from {@code fromSeconds} until the estimate first is below {@code bps}; -1 if never. */
    double secondsUntilBelow(long bps, double fromSeconds) {
        for (int i = 0; i < samples; i++) {
            if (sampleTimes[i] >= fromSeconds * 1e9 && sampleValues[i] < bps) {
                return sampleTimes[i] / 1e9 - fromSeconds;
            }
        }
        return -1;
    }

    /** Fraction of samples in [from, to) seconds whose estimate exceeds {@code bps}. */
    double fractionAbove(long bps, double fromSeconds, double toSeconds) {
        int in = 0;
        int above = 0;
        for (int i = 0; i < samples; i++) {
            if (sampleTimes[i] >= fromSeconds * 1e9 && sampleTimes[i] < toSeconds * 1e9) {
                in++;
                if (sampleValues[i] > bps) {
                    above++;
                }
            }
        }
        return in == 0 ? 0 : (double) above / in;
    }

    /** Mean estimate over [from, to) seconds. */
    double meanBps(double fromSeconds, double toSeconds) {
        double sum = 0;
        int in = 0;
        for (int i = 0; i < samples; i++) {
            if (sampleTimes[i] >= fromSeconds * 1e9 && sampleTimes[i] < toSeconds * 1e9) {
                sum += sampleValues[i];
                in++;
            }
        }
        return in == 0 ? 0 : sum / in;
    }

    /** Estimate trace, one line per {@code everySeconds}, for diagnosing a failing assertion. */
    String trace(double everySeconds) {
        StringBuilder sb = new StringBuilder();
        long step = Math.max(1, (long) (everySeconds * 1e9 / SAMPLE_INTERVAL_NANOS));
        for (int i = 0; i < samples; i += (int) step) {
            sb.append(String.format("%7.2fs %9d%n", sampleTimes[i] / 1e9, sampleValues[i]));
        }
        return sb.toString();
    }
}
