package org.videoroom.load.relay;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The relay's sender lookup: datagram source address to its registration, in an immutable open-addressing table
 * (linear probing, at most half full) that a registration replaces whole.
 *
 * <p>Why this and not a {@code ConcurrentHashMap}: neither allocates on a lookup, but an immutable snapshot lets the
 * relay thread read one volatile field and probe a plain array, and a registration publishes its entry and its
 * room together. Why keyed by {@link InetSocketAddress} and not by ip and port packed into a {@code long}: the
 * address object is all {@code DatagramChannel.receive} gives, its {@code hashCode} and {@code equals} only read
 * fields, while getting at the raw address bytes ({@code InetAddress.getAddress()}) copies them into a new array.
 *
 * <p>Thread-safety: immutable.
 */
final class SourceTable<V> {

    private static final SourceTable<?> EMPTY = new SourceTable<>(new InetSocketAddress[2], new Object[2], 0);

    private final InetSocketAddress[] keys;
    private final Object[] values;
    private final int size;
    private final int mask;

    private SourceTable(InetSocketAddress[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.mask = keys.length - 1;
    }

    @SuppressWarnings("unchecked")
    static <V> SourceTable<V> empty() {
        return (SourceTable<V>) EMPTY;
    }

    int size() {
        return size;
    }

    /** The value registered for {@code source}, or null; never allocates. */
    @SuppressWarnings("unchecked")
    V get(SocketAddress source) {
        if (!(source instanceof InetSocketAddress address)) {
            return null;
        }
        for (int i = slot(address, mask); ; i = (i + 1) & mask) {
            InetSocketAddress key = keys[i];
            if (key == null) {
                return null;
            }
            if (key.equals(address)) {
                return (V) values[i];
            }
        }
    }

    /**
     * A table with {@code source} added.
     *
     * @throws IllegalArgumentException if {@code source} is already there, or is unresolved
     */
    SourceTable<V> with(InetSocketAddress source, V value) {
        Objects.requireNonNull(value, "value");
        if (source.isUnresolved()) {
            throw new IllegalArgumentException("unresolved source: " + source);
        }
        if (get(source) != null) {
            throw new IllegalArgumentException("already registered: " + source);
        }
        int capacity = keys.length;
        while (capacity < 2 * (size + 1)) {
            capacity *= 2;
        }
        InetSocketAddress[] k = new InetSocketAddress[capacity];
        Object[] v = new Object[capacity];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                put(k, v, keys[i], values[i]);
            }
        }
        put(k, v, source, value);
        return new SourceTable<>(k, v, size + 1);
    }

    private static void put(InetSocketAddress[] keys, Object[] values, InetSocketAddress key, Object value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Fibonacci hashing: loopback participants differ only in consecutive ports, which must not cluster. */
    private static int slot(InetSocketAddress address, int mask) {
        return ((address.hashCode() * 0x9E3779B9) >>> 16) & mask;
    }
}
