package org.videoroom.rtp;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.videoroom.buffer.BufferPool;
import org.videoroom.buffer.Bytes;

/**
 * The recently sent packets of one outgoing RTP stream, kept so that a NACK (RFC 4585 §6.2.1) can
 * be answered with a retransmission (RFC 4588).
 *
 * <p>Each stored packet is a copy in a buffer taken from the {@link BufferPool}; the cache owns those
 * buffers and releases them when a packet falls out of the window, expires, is replaced, or the
 * cache is closed. The window is bounded twice: by count (the last {@link #capacity()} sequence
 * numbers) and by age ({@code maxAgeNanos} since the packet was stored; an older packet is useless
 * because the receiver's jitter buffer has moved on). Lookups copy the packet into the caller's
 * buffer, so the caller never holds a reference into the cache.
 *
 * <p>Packets are placed in a ring indexed by sequence number, so storing and finding are O(1).
 * Sequence numbers are unwrapped against the newest stored one, which is why the capacity is at
 * most {@link #MAX_CAPACITY_PACKETS} (half the sequence space).
 *
 * <p>Thread-safety: thread-safe. The send path stores while the RTCP path looks up; both hold a
 * short lock that covers at most one packet copy.
 */
public final class RtpPacketCache implements AutoCloseable {

    /** Default count bound: about 1 s of 1080p video at ~1000 packets/s. */
    public static final int DEFAULT_CAPACITY_PACKETS = 1024;

    /** Largest allowed count bound: half the 16-bit sequence space keeps lookups unambiguous. */
    public static final int MAX_CAPACITY_PACKETS = SequenceNumbers.MODULUS / 2;

    /** Default age bound; NACKs for older packets arrive too late to help playback. */
    public static final long DEFAULT_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    private static final long NONE = Long.MIN_VALUE;

    private final BufferPool pool;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final int capacity;
    private final int mask;

    // Slot i holds the packet whose extended sequence number is extendedSeqs[i] (i = ext & mask).
    private final byte[][] buffers;
    private final int[] lengths;
    private final long[] extendedSeqs;
    private final long[] storedAtNanos;

    private long newest = NONE;
    /** Lowest extended sequence number that the age sweep has not yet passed. */
    private long sweep = NONE;
    private int size;
    private boolean closed;

    private long stored;
    private long rejected;
    private long hits;
    private long misses;
    private long expired;

    /**
     * @param pool            where packet copies come from and go back to
     * @param capacityPackets count bound, 1..{@link #MAX_CAPACITY_PACKETS}; rounded up to a power of two
     * @param maxAgeNanos     age bound in nanoseconds, positive
     * @param nanoClock       monotonic time in nanoseconds, e.g. {@code System::nanoTime}
     * @throws IllegalArgumentException on out-of-range bounds
     */
    public RtpPacketCache(BufferPool pool, int capacityPackets, long maxAgeNanos, LongSupplier nanoClock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (capacityPackets < 1 || capacityPackets > MAX_CAPACITY_PACKETS) {
            throw new IllegalArgumentException("capacityPackets out of 1.." + MAX_CAPACITY_PACKETS + ": " + capacityPackets);
        }
        if (maxAgeNanos <= 0) {
            throw new IllegalArgumentException("maxAgeNanos must be positive: " + maxAgeNanos);
        }
        this.maxAgeNanos = maxAgeNanos;
        // A power of two lets "seq & mask" pick the slot; MAX_CAPACITY_PACKETS is one, so no overflow.
        this.capacity = Integer.bitCount(capacityPackets) == 1 ? capacityPackets
                : Integer.highestOneBit(capacityPackets) << 1;
        this.mask = capacity - 1;
        this.buffers = new byte[capacity][];
        this.lengths = new int[capacity];
        this.extendedSeqs = new long[capacity];
        this.storedAtNanos = new long[capacity];
    }

    /** The count bound actually used (a power of two). */
    public int capacity() {
        return capacity;
    }

    /**
     * Stores a copy of {@code packet} under its sequence number, replacing any packet with the same
     * number. Returns false (and stores nothing) if the cache is closed or the packet is older than
     * the window.
     */
    public synchronized boolean put(RtpPacket packet) {
        if (closed) {
            rejected++;
            return false;
        }
        long now = nanoClock.getAsLong();
        long ext = extend(packet.sequenceNumber());
        if (newest != NONE && ext <= newest - capacity) {
            rejected++;
            return false;
        }
        if (newest == NONE || ext > newest) {
            advanceTo(ext);
        }
        int slot = (int) ext & mask;
        evict(slot);
        byte[] copy = pool.take(packet.length());
        lengths[slot] = packet.copyTo(copy, 0);
        buffers[slot] = copy;
        extendedSeqs[slot] = ext;
        storedAtNanos[slot] = now;
        size++;
        stored++;
        sweepExpired(now);
        return true;
    }

    /**
     * Copies the packet with {@code sequenceNumber} to {@code dst[dstOff..]} and returns its length,
     * or returns -1 if it is not cached, has expired, or does not fit into {@code dst}.
     */
    public synchronized int get(int sequenceNumber, byte[] dst, int dstOff) {
        if (closed || newest == NONE) {
            misses++;
            return -1;
        }
        long ext = extend(sequenceNumber);
        int slot = (int) ext & mask;
        if (ext > newest || ext <= newest - capacity || buffers[slot] == null || extendedSeqs[slot] != ext) {
            misses++;
            return -1;
        }
        if (nanoClock.getAsLong() - storedAtNanos[slot] > maxAgeNanos) {
            evict(slot);
            expired++;
            misses++;
            return -1;
        }
        int length = lengths[slot];
        if (!Bytes.inBounds(dst, dstOff, length)) {
            misses++;
            return -1;
        }
        System.arraycopy(buffers[slot], 0, dst, dstOff, length);
        hits++;
        return length;
    }

    /** Releases every stored buffer to the pool. Idempotent; later puts are rejected, gets miss. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int slot = 0; slot < capacity; slot++) {
            evict(slot);
        }
    }

    /** A snapshot of the counters. */
    public synchronized Stats stats() {
        return new Stats(size, stored, rejected, hits, misses, expired);
    }

    /**
     * Counter snapshot.
     *
     * @param size     packets currently held (each holding one pool buffer)
     * @param stored   packets accepted by {@link #put}
     * @param rejected packets refused by {@link #put} (too old or cache closed)
     * @param hits     lookups answered
     * @param misses   lookups not answered (unknown, out of window, expired or {@code dst} too small)
     * @param expired  packets dropped because they outlived the age bound
     */
    public record Stats(int size, long stored, long rejected, long hits, long misses, long expired) {
    }

    private long extend(int seq) {
        return newest == NONE ? seq & SequenceNumbers.MASK : newest + SequenceNumbers.distance((int) newest, seq);
    }

    /**
     * Moves the window's top to {@code ext}, evicting the slots that the skipped sequence numbers
     * reuse, so that a slot never holds a packet from outside the window.
     */
    private void advanceTo(long ext) {
        if (newest != NONE) {
            for (long s = Math.max(newest + 1, ext - capacity + 1); s < ext; s++) {
                evict((int) s & mask);
            }
        }
        newest = ext;
        if (sweep == NONE || sweep <= ext - capacity) {
            sweep = ext - capacity + 1;
        }
    }

    /**
     * Drops packets older than the age bound, walking up from the oldest. Packets are stored in
     * roughly increasing sequence order, so the walk stops at the first fresh one; each sequence
     * number is passed once, making the cost O(1) amortised per put.
     */
    private void sweepExpired(long now) {
        while (sweep <= newest) {
            int slot = (int) sweep & mask;
            if (buffers[slot] != null && extendedSeqs[slot] == sweep) {
                if (now - storedAtNanos[slot] <= maxAgeNanos) {
                    return;
                }
                evict(slot);
                expired++;
            }
            sweep++;
        }
    }

    private void evict(int slot) {
        byte[] buf = buffers[slot];
        if (buf != null) {
            buffers[slot] = null;
            size--;
            pool.release(buf);
        }
    }
}
