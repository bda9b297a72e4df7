package org.videoroom.media;

/**
 * The retransmissions the server asked one publisher layer for, so that only those are forwarded when they come
 * back as RTX. A publisher's RTX stream is otherwise a way to inject packets: a hostile client can resend any
 * number of old packets as "repairs", and Chromium itself sends RTX copies of recent packets as padding when it
 * probes its uplink, which were forwarded to every subscriber as duplicates. Three rules:
 * <ul>
 *   <li>a sequence number asked for again within {@link #DEDUPE_NANOS} (several subscribers lost the same
 *       packet, or one NACKs it repeatedly) is not asked for twice;</li>
 *   <li>at most {@link #MAX_REQUESTS_PER_SECOND} sequence numbers a second are asked for (a token bucket of that
 *       depth): the upstream NACKs of a subscriber storm stay bounded;</li>
 *   <li>an RTX packet is forwarded once per request, within {@link #VALID_NANOS} of it; what nobody asked for is
 *       dropped and counted (the arrival observers, congestion control among them, have seen it already).</li>
 * </ul>
 *
 * <p>Fixed arrays indexed by the low bits of the sequence number: no allocation, and memory does not grow with
 * what a client sends. Thread-safe by this object's lock: requests come from the subscribers' RTCP threads, RTX
 * from the publisher's receive thread; both are rare next to media.
 */
final class RepairRequests {

    static final long DEDUPE_NANOS = 100_000_000L;
    static final long VALID_NANOS = 1_000_000_000L;
    static final int MAX_REQUESTS_PER_SECOND = 200;
    /** Outstanding requests at most; a sequence number 512 later reuses the slot (far beyond any NACK window). */
    private static final int SLOTS = 512;
    private static final int NONE = -1;

    private final int[] sequenceNumbers = new int[SLOTS];
    private final long[] requestedAt = new long[SLOTS];
    private double tokens = MAX_REQUESTS_PER_SECOND;
    private long refilledAt = Long.MIN_VALUE;

    RepairRequests() {
        java.util.Arrays.fill(sequenceNumbers, NONE);
    }

    /** Whether to ask the publisher for this sequence number now; if so, it is recorded as asked for. */
    synchronized Decision request(int sequenceNumber, long nowNanos) {
        int slot = sequenceNumber & (SLOTS - 1);
        if (sequenceNumbers[slot] == sequenceNumber && nowNanos - requestedAt[slot] < DEDUPE_NANOS) {
            return Decision.ALREADY_ASKED;
        }
        refill(nowNanos);
        if (tokens < 1) {
            return Decision.OVER_BUDGET;
        }
        tokens--;
        sequenceNumbers[slot] = sequenceNumber;
        requestedAt[slot] = nowNanos;
        return Decision.ASK;
    }

    /** An RTX packet repairing this sequence number arrived: true, once, when the server asked for it. */
    synchronized boolean answer(int sequenceNumber, long nowNanos) {
        int slot = sequenceNumber & (SLOTS - 1);
        if (sequenceNumbers[slot] != sequenceNumber || nowNanos - requestedAt[slot] >= VALID_NANOS) {
            return false;
        }
        sequenceNumbers[slot] = NONE;
        return true;
    }

    private void refill(long nowNanos) {
        if (refilledAt != Long.MIN_VALUE) {
            tokens = Math.min(MAX_REQUESTS_PER_SECOND,
                    tokens + (nowNanos - refilledAt) * (MAX_REQUESTS_PER_SECOND / 1e9));
        }
        refilledAt = nowNanos;
    }

    enum Decision {
        ASK, ALREADY_ASKED, OVER_BUDGET
    }
}
