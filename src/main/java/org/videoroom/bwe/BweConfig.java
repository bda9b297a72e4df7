package org.videoroom.bwe;

/**
 * Limits and starting point of one subscriber transport's send-side bandwidth estimate.
 *
 * @param startBps estimate before any feedback arrived, in bits per second
 * @param minBps   the estimate never goes below this
 * @param maxBps   the estimate never goes above this
 */
public record BweConfig(long startBps, long minBps, long maxBps) {

    /** Largest {@link #maxBps()} accepted: 100 Gbit/s keeps every rate computation far from overflow. */
    public static final long LIMIT_BPS = 100_000_000_000L;

    /** @throws IllegalArgumentException unless {@code 0 < minBps <= startBps <= maxBps <= LIMIT_BPS} */
    public BweConfig {
        if (minBps <= 0) {
            throw new IllegalArgumentException("minBps must be positive: " + minBps);
        }
        if (maxBps > LIMIT_BPS) {
            throw new IllegalArgumentException("maxBps above " + LIMIT_BPS + ": " + maxBps);
        }
        if (startBps < minBps || startBps > maxBps) {
            throw new IllegalArgumentException(
                    "need minBps <= startBps <= maxBps: " + minBps + ", " + startBps + ", " + maxBps);
        }
    }

    /** Start at 1 Mbit/s, between 50 kbit/s and 10 Mbit/s. */
    public static BweConfig defaults() {
        return new BweConfig(1_000_000, 50_000, 10_000_000);
    }

    /** {@code bps} limited to {@code minBps..maxBps}. */
    long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
