package org.videoroom.transport.srtp;

import java.util.Arrays;

/**
 * A bounded map from SSRC to a per-SSRC crypto context, keyed by primitive {@code int} so that a
 * lookup allocates nothing (a {@code HashMap<Integer, V>} would box most SSRCs on every packet).
 *
 * <p>Open addressing with linear probing over a power-of-two array at most half full. When a new
 * SSRC would exceed {@code maxEntries}, the least recently used entry is evicted: the bound is what
 * keeps a peer that invents SSRCs from growing memory, and LRU keeps the streams that are still
 * flowing. Eviction costs one scan of the table, which only a peer cycling through more SSRCs than
 * the bound can trigger.
 *
 * <p>Not thread-safe: {@link SrtpSession} confines each table to one direction's lock.
 *
 * @param <V> the context type
 */
final class SsrcContextTable<V> {
    private final int maxEntries;
    private final int mask;
    private final int[] keys;
    private final Object[] values;
    private final long[] lastUsed;
    private long clock;
    private int size;
    private long evictions;

    SsrcContextTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        int capacity = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1;
        this.mask = capacity - 1;
        this.keys = new int[capacity];
        this.values = new Object[capacity];
        this.lastUsed = new long[capacity];
    }

    /** The context for {@code ssrc}, marking it recently used, or {@code null}. */
    @SuppressWarnings("unchecked")
    V get(int ssrc) {
        int slot = find(ssrc);
        if (slot < 0) {
            return null;
        }
        lastUsed[slot] = ++clock;
        return (V) values[slot];
    }

    /**
     * Stores {@code value} for {@code ssrc} unless one is already present, evicting the least
     * recently used entry if the table is full.
     *
     * @return the evicted value (so the caller can release it), or {@code null}
     */
    @SuppressWarnings("unchecked")
    V putIfAbsent(int ssrc, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (find(ssrc) >= 0) {
            return null;
        }
        V evicted = null;
        if (size == maxEntries) {
            int victim = leastRecentlyUsedSlot();
            evicted = (V) values[victim];
            removeSlot(victim);
            evictions++;
        }
        int slot = home(ssrc);
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = ssrc;
        values[slot] = value;
        lastUsed[slot] = ++clock;
        size++;
        return evicted;
    }

    /** Removes and returns the context for {@code ssrc}, or {@code null}. */
    @SuppressWarnings("unchecked")
    V remove(int ssrc) {
        int slot = find(ssrc);
        if (slot < 0) {
            return null;
        }
        V value = (V) values[slot];
        removeSlot(slot);
        return value;
    }

    int size() {
        return size;
    }

    long evictions() {
        return evictions;
    }

    /** Empties the table. */
    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private int find(int ssrc) {
        int slot = home(ssrc);
        while (values[slot] != null) {
            if (keys[slot] == ssrc) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private int home(int ssrc) {
        // SSRCs are random, but a hostile peer may choose them: mix the bits (Murmur3 finalizer)
        // so that sequential SSRCs do not form one long probe run.
        int h = ssrc;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & mask;
    }

    private int leastRecentlyUsedSlot() {
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && lastUsed[i] < oldest) {
                oldest = lastUsed[i];
                victim = i;
            }
        }
        return victim;
    }

    /** Deletes by backward shifting, so probe chains stay unbroken without tombstones. */
    private void removeSlot(int slot) {
        values[slot] = null;
        size--;
        int hole = slot;
        int next = (slot + 1) & mask;
        while (values[next] != null) {
            int home = home(keys[next]);
            // Move the entry into the hole if its home lies cyclically outside (hole, next].
            boolean movable = hole <= next
                    ? home <= hole || home > next
                    : home <= hole && home > next;
            if (movable) {
                keys[hole] = keys[next];
                values[hole] = values[next];
                lastUsed[hole] = lastUsed[next];
                values[next] = null;
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }
}
