package org.videoroom.bwe;

/**
 * What feedback said about one packet that {@link SendHistory} knows: a mutable holder, filled in
 * place by {@link SendHistory#onFeedback} so that feedback handling allocates nothing. Callers
 * preallocate an array with {@link #newArray(int)} and reuse it.
 *
 * <p>Thread-safety: not thread-safe; a holder belongs to the thread that passes it in.
 */
public final class PacketResult {

    /** {@link #arrivalTimeMicros()} of a packet reported as not received. */
    public static final long NOT_RECEIVED = -1;

    long sequenceNumber;
    long sendTimeNanos;
    int sizeBytes;
    long arrivalTimeMicros = NOT_RECEIVED;
    boolean previouslyReportedLost;

    /** {@code length} fresh holders. */
    public static PacketResult[] newArray(int length) {
        PacketResult[] results = new PacketResult[length];
        for (int i = 0; i < length; i++) {
            results[i] = new PacketResult();
        }
        return results;
    }

    void set(long sequenceNumber, long sendTimeNanos, int sizeBytes, long arrivalTimeMicros,
             boolean previouslyReportedLost) {
        this.sequenceNumber = sequenceNumber;
        this.sendTimeNanos = sendTimeNanos;
        this.sizeBytes = sizeBytes;
        this.arrivalTimeMicros = arrivalTimeMicros;
        this.previouslyReportedLost = previouslyReportedLost;
    }

    /** The extended (unwrapped) transport-wide sequence number; its low 16 bits are the wire value. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** When the packet was sent, on the sender's clock as given to {@link SendHistory#onPacketSent}. */
    public long sendTimeNanos() {
        return sendTimeNanos;
    }

    /** The size given to {@link SendHistory#onPacketSent}. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /** Whether the packet arrived. */
    public boolean received() {
        return arrivalTimeMicros != NOT_RECEIVED;
    }

    /**
     * Arrival on the receiver's clock in microseconds, continued across feedback packets (only
     * differences are meaningful), or {@link #NOT_RECEIVED}.
     */
    public long arrivalTimeMicros() {
        return arrivalTimeMicros;
    }

    /** Whether earlier feedback reported this received packet as lost. */
    public boolean previouslyReportedLost() {
        return previouslyReportedLost;
    }

    @Override
    public String toString() {
        return "PacketResult[seq=" + sequenceNumber + ", send=" + sendTimeNanos + "ns, size=" + sizeBytes
                + ", arrival=" + (received() ? arrivalTimeMicros + "us" : "lost") + "]";
    }
}
