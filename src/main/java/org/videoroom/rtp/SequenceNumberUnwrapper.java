package org.videoroom.rtp;

/**
 * Turns a stream's 16-bit sequence numbers into extended ones that keep growing across wrap-around,
 * in the spirit of RFC 3550 Appendix A.1: the upper bits count cycles, the lower 16 bits are the
 * wire value. The RTCP receiver report's "extended highest sequence number received" (RFC 3550
 * §6.4.1) is {@link #highest()} truncated to 32 bits.
 *
 * <p>Each new value is placed on the cycle that puts it nearest to the highest value seen so far
 * (within ±32767), so a late packet from before a wrap is recognised as old, not as 65535 ahead.
 * A packet that arrives reordered before the very first one, across a wrap, gets a negative
 * extended value; it can never become the highest.
 *
 * <p>This class only unwraps. Source validation (probation, large jumps that signal a restarted
 * sender, RFC 3550 A.1 {@code MAX_DROPOUT}/{@code MAX_MISORDER}) belongs to the receive statistics
 * built on top of it.
 *
 * <p>Thread-safety: not thread-safe; confine each instance to its stream's thread.
 */
public final class SequenceNumberUnwrapper {

    private static final long NONE = Long.MIN_VALUE;

    private long highest = NONE;

    /** Unwraps {@code seq} and records it (advancing {@link #highest()} if it is newer). */
    public long unwrap(int seq) {
        long extended = peek(seq);
        if (highest == NONE || extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** The extended value {@code seq} would get from {@link #unwrap}, without recording it. */
    public long peek(int seq) {
        if (highest == NONE) {
            return seq & SequenceNumbers.MASK;
        }
        return highest + SequenceNumbers.distance((int) highest, seq);
    }

    /** Whether any sequence number has been unwrapped yet. */
    public boolean hasValue() {
        return highest != NONE;
    }

    /** The highest extended sequence number seen, or -1 if none. */
    public long highest() {
        return highest == NONE ? -1 : highest;
    }

    /** Forgets all history, e.g. after the sender's SSRC restarted. */
    public void reset() {
        highest = NONE;
    }
}
