package org.videoroom.bwe;

import java.util.List;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtcp.TransportWideCc.PacketStatus;
import org.videoroom.rtp.SequenceNumberUnwrapper;

/**
 * The packets recently sent on one transport, by transport-wide sequence number, so that TWCC
 * feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) can be matched with their send
 * times and sizes.
 *
 * <p>The history is a preallocated ring indexed by the unwrapped sequence number: the newest
 * {@code capacity} packets are kept, older ones are overwritten. Recording a packet allocates
 * nothing. Feedback is matched against the ring and the packets it reports are written into
 * caller-owned {@link PacketResult} holders, again without allocating.
 *
 * <p>Feedback is treated as untrusted. A reported sequence number is placed on the cycle nearest
 * to the highest one sent; one that was never sent (ahead of the newest, or a gap) or is older than
 * the ring is skipped and counted. Each packet is yielded at most once as received and at most once
 * as lost: a repeated report is a duplicate (counted, skipped), except that a packet first reported
 * lost and later received is yielded again as received, flagged
 * {@link PacketResult#previouslyReportedLost()}. Reordered feedback is matched like any other.
 *
 * <p>Arrival times are on the receiver's clock. The 24-bit reference time of each feedback packet
 * is unwrapped against the newest one seen, so arrival times of different feedback packets share
 * one positive timeline in microseconds whose origin means nothing.
 *
 * <p>Thread-safety: thread-safe. {@link #onPacketSent} may run on the send thread while
 * {@link #onFeedback} runs on the subscriber's thread; both take one private lock for the few
 * array accesses they do (no I/O, no callbacks under it).
 */
public final class SendHistory {

    /** Packets kept by {@link #SendHistory()}: several seconds at the rates a subscriber takes. */
    public static final int DEFAULT_CAPACITY = 8192;

    private static final byte UNREPORTED = 0;
    private static final byte REPORTED_LOST = 1;
    private static final byte REPORTED_RECEIVED = 2;
    private static final long EMPTY = Long.MIN_VALUE;
    /** Sizes are clamped to this (the largest UDP payload), keeping byte sums far from overflow. */
    static final int MAX_PACKET_BYTES = 0xFFFF;

    /** First unwrapped reference time, in 64 ms units: far from 0 so arrival times stay positive. */
    private static final long REFERENCE_ORIGIN = 1L << 30;
    /** Unwrapped reference times beyond this restart at the origin (only hostile feedback gets there). */
    private static final long REFERENCE_LIMIT = 1L << 40;

    private final Object lock = new Object();
    private final int capacity;
    private final int mask;
    private final long[] sequenceNumbers;
    private final long[] sendTimesNanos;
    private final int[] sizes;
    private final byte[] reportStates;
    private final SequenceNumberUnwrapper sendUnwrapper = new SequenceNumberUnwrapper();

    private boolean hasReference;
    private int lastReferenceTime;
    private long referenceUnits;

    private long packetsSent;
    private long staleSends;
    private long feedbacks;
    private long reportedReceived;
    private long reportedLost;
    private long unknownPackets;
    private long tooOldPackets;
    private long duplicatePackets;
    private long truncatedPackets;
    private long referenceTimeResets;

    /** A history of {@link #DEFAULT_CAPACITY} packets. */
    public SendHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** @throws IllegalArgumentException unless {@code capacity} is a power of two in 16..32768 */
    public SendHistory(int capacity) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in 16..32768: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.sequenceNumbers = new long[capacity];
        this.sendTimesNanos = new long[capacity];
        this.sizes = new int[capacity];
        this.reportStates = new byte[capacity];
        java.util.Arrays.fill(sequenceNumbers, EMPTY);
    }

    /** Packets this history keeps. */
    public int capacity() {
        return capacity;
    }

    /**
     * Records a packet just sent with transport-wide sequence number {@code transportSequenceNumber}
     * (taken modulo 2^16) and {@code sizeBytes} (clamped to 0..65535). Sequence numbers are expected to increase by one per packet; one more than
     * {@code capacity} behind the newest is ignored and counted. Allocates nothing; never throws.
     */
    public void onPacketSent(int transportSequenceNumber, int sizeBytes, long sendTimeNanos) {
        synchronized (lock) {
            long highest = sendUnwrapper.highest();
            boolean had = sendUnwrapper.hasValue();
            long extended = sendUnwrapper.unwrap(transportSequenceNumber);
            if (had && extended <= highest - capacity) {
                staleSends++;
                return;
            }
            int slot = (int) (extended & mask);
            sequenceNumbers[slot] = extended;
            sendTimesNanos[slot] = sendTimeNanos;
            sizes[slot] = Math.max(0, Math.min(MAX_PACKET_BYTES, sizeBytes));
            reportStates[slot] = UNREPORTED;
            packetsSent++;
        }
    }

    /**
     * Matches one feedback packet against the history and writes what it says about each known
     * packet into {@code out[0..n)}, in feedback order; returns {@code n}. Packets that do not fit
     * into {@code out} are counted as truncated (and stay unreported, so a later feedback may still
     * report them). Allocates nothing; never throws for any feedback content.
     */
    public int onFeedback(TransportWideCc feedback, PacketResult[] out) {
        List<PacketStatus> packets = feedback.packets();
        int reported = packets.size();
        synchronized (lock) {
            feedbacks++;
            if (!sendUnwrapper.hasValue()) {
                unknownPackets += reported;
                return 0;
            }
            long highest = sendUnwrapper.highest();
            long base = sendUnwrapper.peek(feedback.baseSequenceNumber());
            long arrivalMicros = unwrapReferenceTime(feedback.referenceTime())
                    * TransportWideCc.REFERENCE_TIME_UNIT_MICROS;
            int count = 0;
            for (int i = 0; i < reported; i++) {
                PacketStatus status = packets.get(i);
                boolean received = status.received();
                if (received) {
                    arrivalMicros += status.receiveDelta() * TransportWideCc.DELTA_UNIT_MICROS;
                }
                long extended = base + i;
                if (extended > highest) {
                    unknownPackets += reported - i;
                    break;
                }
                int slot = (int) (extended & mask);
                if (sequenceNumbers[slot] != extended) {
                    if (extended <= highest - capacity) {
                        tooOldPackets++;
                    } else {
                        unknownPackets++;
                    }
                    continue;
                }
                byte state = reportStates[slot];
                if (state == REPORTED_RECEIVED || (!received && state == REPORTED_LOST)) {
                    duplicatePackets++;
                    continue;
                }
                if (count == out.length) {
                    truncatedPackets++;
                    continue;
                }
                out[count++].set(extended, sendTimesNanos[slot], sizes[slot],
                        received ? arrivalMicros : PacketResult.NOT_RECEIVED, state == REPORTED_LOST);
                if (received) {
                    reportStates[slot] = REPORTED_RECEIVED;
                    reportedReceived++;
                } else {
                    reportStates[slot] = REPORTED_LOST;
                    reportedLost++;
                }
            }
            return count;
        }
    }

    /** The 24-bit reference time on a continuous scale, relative to the newest one seen. */
    private long unwrapReferenceTime(int referenceTime) {
        if (!hasReference) {
            hasReference = true;
            lastReferenceTime = referenceTime;
            referenceUnits = REFERENCE_ORIGIN;
            return referenceUnits;
        }
        int diff = (referenceTime - lastReferenceTime) << 8 >> 8; // signed 24-bit difference
        long units = referenceUnits + diff;
        if (diff > 0) {
            lastReferenceTime = referenceTime;
            referenceUnits = units;
            if (units > REFERENCE_LIMIT) {
                referenceTimeResets++;
                referenceUnits = REFERENCE_ORIGIN;
                units = REFERENCE_ORIGIN;
            }
        }
        return units;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(packetsSent, staleSends, feedbacks, reportedReceived, reportedLost, unknownPackets,
                    tooOldPackets, duplicatePackets, truncatedPackets, referenceTimeResets);
        }
    }

    /**
     * Counter snapshot.
     *
     * @param packetsSent         packets recorded
     * @param staleSends          sends ignored for a sequence number far behind the newest
     * @param feedbacks           feedback packets matched
     * @param reportedReceived    packets yielded as received
     * @param reportedLost        packets yielded as lost
     * @param unknownPackets      reported packets never sent (ahead of the newest, or not recorded)
     * @param tooOldPackets       reported packets already overwritten in the ring
     * @param duplicatePackets    reports repeating what was already yielded
     * @param truncatedPackets    packets that did not fit into the caller's array
     * @param referenceTimeResets times the unwrapped reference time restarted after absurd jumps
     */
    public record Stats(long packetsSent, long staleSends, long feedbacks, long reportedReceived, long reportedLost,
                        long unknownPackets, long tooOldPackets, long duplicatePackets, long truncatedPackets,
                        long referenceTimeResets) {
    }
}
