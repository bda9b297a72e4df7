package org.videoroom.load.media;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every synthetic subscriber of a run received, summed: packets, bytes and latencies since the last
 * {@link #drainInterval}, and the streams, whose loss is read from them. Receive threads add; one sampler drains.
 *
 * <p>Thread-safety: all methods from any thread.
 */
public final class ReceiveTotals {

    private final LatencyHistogram interval = new LatencyHistogram();
    private final LatencyHistogram measured = new LatencyHistogram();
    private final LongAdder intervalPackets = new LongAdder();
    private final LongAdder intervalBytes = new LongAdder();
    private final List<InStream> streams = new CopyOnWriteArrayList<>();

    /** One received packet (retransmissions too); {@code latencyMicros < 0} when it had no send time. */
    void onPacket(int bytes, long latencyMicros) {
        intervalPackets.increment();
        intervalBytes.add(bytes);
        if (latencyMicros >= 0) {
            interval.record(latencyMicros);
        }
    }

    void addStream(InStream stream) {
        streams.add(stream);
    }

    public List<InStream> streams() {
        return List.copyOf(streams);
    }

    /** The interval's figures; its latencies move into the measured histogram when {@code measuring}. */
    public Interval drainInterval(boolean measuring) {
        long packets = intervalPackets.sumThenReset();
        long bytes = intervalBytes.sumThenReset();
        double p50 = interval.quantileMillis(0.50);
        double p99 = interval.quantileMillis(0.99);
        if (measuring) {
            interval.drainInto(measured);
        } else {
            interval.clear();
        }
        return new Interval(packets, bytes, p50, p99);
    }

    /** Latencies of every interval drained while measuring. */
    public LatencyHistogram measured() {
        return measured;
    }

    /** Lost packets over all streams so far. */
    public long lost() {
        long n = 0;
        for (InStream s : streams) {
            n += s.lost();
        }
        return n;
    }

    public long uniquePackets() {
        long n = 0;
        for (InStream s : streams) {
            n += s.packets();
        }
        return n;
    }

    public record Interval(long packets, long bytes, double p50Millis, double p99Millis) {
    }
}
