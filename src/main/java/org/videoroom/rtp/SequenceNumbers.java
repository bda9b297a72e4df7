package org.videoroom.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0 (RFC 3550 §5.1).
 *
 * <p>Two sequence numbers are compared by the shorter way round the circle: {@code b} is newer than
 * {@code a} when it is 1..32767 steps ahead. Exactly half the circle (32768 steps) is ambiguous; it
 * is broken by numeric order, so that {@link #isNewer} is still antisymmetric.
 *
 * <p>All inputs are taken modulo 2^16, so callers may pass {@code seq + 1} without masking. All
 * results lie in 0..65535 unless stated otherwise. Thread-safety: stateless.
 */
public final class SequenceNumbers {

    /** Number of distinct sequence numbers. */
    public static final int MODULUS = 1 << 16;

    /** Mask that reduces an int to a sequence number. */
    public static final int MASK = MODULUS - 1;

    private static final int HALF = MODULUS / 2;

    private SequenceNumbers() {
    }

    /** Whether {@code a} comes after {@code b}, allowing for wrap-around. */
    public static boolean isNewer(int a, int b) {
        int ahead = (a - b) & MASK;
        return ahead != 0 && (ahead < HALF || (ahead == HALF && (a & MASK) > (b & MASK)));
    }

    /** The newer of the two (either, if equal). */
    public static int newest(int a, int b) {
        return isNewer(a, b) ? a & MASK : b & MASK;
    }

    /**
     * Signed steps from {@code from} to {@code to} the short way round, in -32768..32767: positive
     * when {@code to} is ahead. For example {@code distance(65535, 0) == 1}.
     */
    public static int distance(int from, int to) {
        return (short) (to - from);
    }

    /** Steps forward from {@code from} to {@code to}, in 0..65535 ({@code forwardDistance(65535, 0) == 1}). */
    public static int forwardDistance(int from, int to) {
        return (to - from) & MASK;
    }

    /** {@code seq + delta}, wrapped; {@code delta} may be negative. */
    public static int add(int seq, int delta) {
        return (seq + delta) & MASK;
    }

    /** The sequence number after {@code seq}. */
    public static int next(int seq) {
        return (seq + 1) & MASK;
    }
}
