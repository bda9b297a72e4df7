package org.videoroom.transport;

import java.util.Objects;

/**
 * SRTP and SRTCP datagrams held, as copies and in arrival order, until the transport's keys are
 * installed. A browser may send media the moment its DTLS handshake completes, which is when our
 * last flight reaches it; our handshake thread installs the keys only after sending that flight,
 * so on a short path (loopback, LAN) the first packets can overtake the keys.
 *
 * <p>Bounded: at most {@code capacity} datagrams of at most {@code maxBytes} each; more are
 * refused, and the caller counts them as dropped. A slot is allocated when first needed and all
 * are released by {@link #clear()}, so a transport past its handshake holds no memory here, and
 * the steady-state packet path never allocates.
 *
 * <p>Not thread-safe: confined to the ICE reader thread.
 */
final class EarlyPacketBuffer {

    private final int capacity;
    private final int maxBytes;
    private byte[][] slots;
    private final int[] lengths;
    private final long[] arrivals;
    private int size;

    EarlyPacketBuffer(int capacity, int maxBytes) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("capacity and maxBytes must be positive: " + capacity + ", " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.lengths = new int[capacity];
        this.arrivals = new long[capacity];
    }

    /**
     * Copies {@code buf[off, off + len)} in, with the time it reached the socket.
     *
     * @return {@code false} if it was refused: the buffer is full or the datagram too long
     */
    boolean offer(byte[] buf, int off, int len, long arrivalNanos) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (size == capacity || len > maxBytes) {
            return false;
        }
        if (slots == null) {
            slots = new byte[capacity][];
        }
        byte[] slot = slots[size];
        if (slot == null) {
            slot = new byte[maxBytes];
            slots[size] = slot;
        }
        System.arraycopy(buf, off, slot, 0, len);
        lengths[size] = len;
        arrivals[size] = arrivalNanos;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The array holding the {@code index}-th datagram (oldest first) at offset 0; valid until {@link #clear()}. */
    byte[] data(int index) {
        Objects.checkIndex(index, size);
        return slots[index];
    }

    int length(int index) {
        Objects.checkIndex(index, size);
        return lengths[index];
    }

    /** When the {@code index}-th datagram reached the socket: held packets keep their real arrival time. */
    long arrivalNanos(int index) {
        Objects.checkIndex(index, size);
        return arrivals[index];
    }

    /**
     * Forgets every held datagram and releases the slots.
     *
     * @return how many were held
     */
    int clear() {
        int held = size;
        size = 0;
        slots = null;
        return held;
    }
}
