package org.videoroom.load.media;

/**
 * The abs-send-time header extension's clock (24 bits of 6.18 fixed-point seconds, wrapping every 64 s), on this
 * JVM's {@link System#nanoTime()}. Publisher and subscriber of one run share the process, so the difference
 * between a packet's stamp and its arrival is the one-way delay the server added, to about 4 µs.
 */
public final class AbsSendTime {

    private static final long FRACTION = 1L << 18;
    private static final int MASK = 0xFF_FFFF;

    private AbsSendTime() {
    }

    /** The 24-bit value for a {@code nanoTime} reading. */
    public static int of(long nanoTime) {
        // Well inside long range for centuries of nanoTime: 2^18 * 2^63/2^18.
        return (int) (Math.floorDiv(nanoTime, 1_000_000_000L) * FRACTION
                + Math.floorMod(nanoTime, 1_000_000_000L) * FRACTION / 1_000_000_000L) & MASK;
    }

    /**
     * Microseconds from a stamp to a later {@code nanoTime}, assuming less than 32 s passed; a stamp from the
     * future (a reordering of clocks that cannot happen in one process) reads 0.
     */
    public static long elapsedMicros(int stamp, long nowNanos) {
        int diff = (of(nowNanos) - stamp) & MASK;
        if (diff > MASK / 2) {
            return 0;
        }
        return diff * 1_000_000L / FRACTION;
    }
}
