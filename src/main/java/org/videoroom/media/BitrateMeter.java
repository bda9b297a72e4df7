package org.videoroom.media;

/**
 * The bitrate of one stream over the last second, in ten 100 ms buckets. The writer publishes the sum of the
 * completed buckets each time it moves to a new bucket, so readers on other threads see a consistent figure that
 * is at most 100 ms old.
 *
 * <p>Thread-safety: {@link #add} from one thread; {@link #bps} from any.
 */
final class BitrateMeter {

    static final long BUCKET_NANOS = 100_000_000L;
    private static final int BUCKETS = 10;

    private final long[] bytes = new long[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;
    private volatile long bps;
    private volatile long lastAddNanos = Long.MIN_VALUE;

    void add(int length, long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, BUCKET_NANOS);
        if (bucket != currentBucket) {
            advance(bucket);
        }
        bytes[(int) Math.floorMod(bucket, BUCKETS)] += length;
        lastAddNanos = nowNanos;
    }

    private void advance(long bucket) {
        if (currentBucket == Long.MIN_VALUE || bucket - currentBucket >= BUCKETS || bucket < currentBucket) {
            java.util.Arrays.fill(bytes, 0);
        } else {
            for (long b = currentBucket + 1; b <= bucket; b++) {
                bytes[(int) Math.floorMod(b, BUCKETS)] = 0;
            }
        }
        currentBucket = bucket;
        long sum = 0;
        for (long b : bytes) {
            sum += b;
        }
        // Nine completed buckets (the current one was just cleared): scale to a second.
        bps = sum * 8 * BUCKETS / (BUCKETS - 1);
    }

    /** Bits per second over about the last second; 0 once nothing arrived for a second. */
    long bps(long nowNanos) {
        long last = lastAddNanos;
        if (last == Long.MIN_VALUE || nowNanos - last > BUCKETS * BUCKET_NANOS) {
            return 0;
        }
        return bps;
    }
}
