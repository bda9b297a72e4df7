package org.videoroom.load.media;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One-way added latency of received packets, in buckets of {@link #BUCKET_MICROS} up to {@link #MAX_MICROS}
 * (the last bucket holds everything beyond). Fixed memory, no allocation per sample: the receive threads of all
 * synthetic subscribers record into one histogram.
 *
 * <p>Thread-safety: {@link #record} from any number of threads; quantiles read a moving picture, which is what a
 * progress line needs; {@link #drainInto} moves the counts into another histogram (the run's total) atomically per
 * bucket.
 */
public final class LatencyHistogram {

    public static final int BUCKET_MICROS = 20;
    public static final int MAX_MICROS = 500_000;
    private static final int BUCKETS = MAX_MICROS / BUCKET_MICROS + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long micros) {
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, micros) / BUCKET_MICROS));
    }

    /** Adds this histogram's counts to {@code total} and zeroes them here. */
    public void drainInto(LatencyHistogram total) {
        for (int i = 0; i < BUCKETS; i++) {
            long n = counts.getAndSet(i, 0);
            if (n != 0) {
                total.counts.addAndGet(i, n);
            }
        }
    }

    public void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The {@code q} quantile (0..1) in milliseconds, the bucket's upper edge; 0 when empty. */
    public double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank && seen > 0) {
                return (i + 1) * (double) BUCKET_MICROS / 1000.0;
            }
        }
        return MAX_MICROS / 1000.0;
    }
}
