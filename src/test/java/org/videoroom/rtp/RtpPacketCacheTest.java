package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.buffer.BufferPool;

class RtpPacketCacheTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BufferPool pool = new BufferPool(64, true);
    private long nowNanos;

    @BeforeEach
    void resetClock() {
        nowNanos = 1_000_000 * MS; // arbitrary non-zero start
    }

    /** A 16-byte packet: fixed header plus a 4-byte payload that repeats the sequence number. */
    private static RtpPacket packet(int seq) {
        byte[] b = new byte[16];
        b[0] = (byte) 0x80;      // V=2
        b[1] = 96;               // PT 96
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[11] = 1;               // SSRC 1
        b[12] = (byte) (seq >>> 8);
        b[13] = (byte) seq;
        RtpPacket p = new RtpPacket();
        p.wrap(b, 0, b.length);
        return p;
    }

    private RtpPacketCache cache(int capacity, long maxAgeMs) {
        return new RtpPacketCache(pool, capacity, maxAgeMs * MS, () -> nowNanos);
    }

    private static boolean hit(RtpPacketCache cache, int seq) {
        byte[] dst = new byte[64];
        int len = cache.get(seq, dst, 8);
        if (len < 0) {
            return false;
        }
        assertEquals(16, len);
        assertEquals(seq, ((dst[8 + 2] & 0xFF) << 8) | (dst[8 + 3] & 0xFF), "sequence number of the copy");
        return true;
    }

    static Stream<Arguments> windows() {
        return Stream.of(
                // name, capacity, puts, expected hits, expected misses
                Arguments.of("in order", 8, new int[] {1, 2, 3}, new int[] {1, 2, 3}, new int[] {0, 4, 65535}),
                Arguments.of("wrap", 8, new int[] {65534, 65535, 0, 1}, new int[] {65534, 65535, 0, 1},
                        new int[] {65533, 2}),
                Arguments.of("count bound", 4, new int[] {1, 2, 3, 4, 5, 6}, new int[] {3, 4, 5, 6}, new int[] {1, 2}),
                Arguments.of("count bound across wrap", 4, new int[] {65533, 65534, 65535, 0, 1, 2},
                        new int[] {65535, 0, 1, 2}, new int[] {65533, 65534}),
                Arguments.of("gap keeps older packets in the window", 8, new int[] {1, 2, 6}, new int[] {1, 2, 6},
                        new int[] {3, 4, 5}),
                Arguments.of("jump beyond the window evicts everything", 8, new int[] {1, 2, 5000}, new int[] {5000},
                        new int[] {1, 2}),
                Arguments.of("late packet inside the window", 8, new int[] {10, 12, 11}, new int[] {10, 11, 12},
                        new int[] {9}),
                Arguments.of("late packet outside the window is rejected", 4, new int[] {10, 5}, new int[] {10},
                        new int[] {5}),
                Arguments.of("late packet across the wrap", 8, new int[] {65535, 1, 0}, new int[] {65535, 0, 1},
                        new int[] {2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void keepsTheLastCapacitySequenceNumbers(String name, int capacity, int[] puts, int[] hits, int[] misses) {
        try (RtpPacketCache cache = cache(capacity, 1000)) {
            for (int seq : puts) {
                cache.put(packet(seq));
            }
            for (int seq : hits) {
                assertTrue(hit(cache, seq), "expected hit " + seq);
            }
            for (int seq : misses) {
                assertFalse(hit(cache, seq), "expected miss " + seq);
            }
            assertEquals(hits.length, cache.stats().size(), "one pool buffer per cached packet");
            assertEquals(hits.length, pool.stats().outstanding());
        }
        assertEquals(0, pool.stats().outstanding());
        assertEquals(0, pool.stats().doubleReleases());
        assertEquals(0, pool.stats().foreignReleases());
    }

    @ParameterizedTest(name = "get after {0} ms -> hit {1}")
    @CsvSource({
            "0,    true",
            "999,  true",
            "1000, true",  // the bound is inclusive
            "1001, false",
    })
    void ageBound(long elapsedMs, boolean expectHit) {
        try (RtpPacketCache cache = cache(16, 1000)) {
            cache.put(packet(7));
            nowNanos += elapsedMs * MS;
            assertEquals(expectHit, hit(cache, 7));
            assertEquals(expectHit ? 0 : 1, cache.stats().expired());
        }
    }

    @Test
    void expiredPacketsAreReleasedByLaterPuts() {
        try (RtpPacketCache cache = cache(16, 1000)) {
            cache.put(packet(1));
            cache.put(packet(2));
            nowNanos += 600 * MS;
            cache.put(packet(3));
            nowNanos += 600 * MS; // 1 and 2 are now 1200 ms old, 3 is 600 ms old
            cache.put(packet(4));
            assertEquals(2, cache.stats().size());
            assertEquals(2, cache.stats().expired());
            assertEquals(2, pool.stats().outstanding());
            assertTrue(hit(cache, 3));
            assertTrue(hit(cache, 4));
        }
    }

    @Test
    void storesACopyNotTheCallersBuffer() {
        try (RtpPacketCache cache = cache(16, 1000)) {
            RtpPacket p = packet(9);
            cache.put(p);
            Arrays.fill(p.buffer(), (byte) 0);
            byte[] dst = new byte[16];
            assertEquals(16, cache.get(9, dst, 0));
            assertArrayEquals(packet(9).buffer(), dst);
        }
    }

    @Test
    void sameSequenceNumberReplacesAndReleasesTheOldCopy() {
        try (RtpPacketCache cache = cache(16, 1000)) {
            cache.put(packet(5));
            RtpPacket again = packet(5);
            again.buffer()[15] = 42;
            cache.put(again);
            byte[] dst = new byte[16];
            cache.get(5, dst, 0);
            assertEquals(42, dst[15]);
            assertEquals(1, pool.stats().outstanding());
        }
    }

    @Test
    void tooSmallDestinationMisses() {
        try (RtpPacketCache cache = cache(16, 1000)) {
            cache.put(packet(5));
            assertEquals(-1, cache.get(5, new byte[15], 0));
            assertEquals(-1, cache.get(5, new byte[20], 5));
            assertEquals(16, cache.get(5, new byte[20], 4));
            assertEquals(new RtpPacketCache.Stats(1, 1, 0, 1, 2, 0), cache.stats());
        }
    }

    @Test
    void closeReleasesEverythingAndIsIdempotent() {
        RtpPacketCache cache = cache(16, 1000);
        for (int seq = 0; seq < 10; seq++) {
            cache.put(packet(seq));
        }
        assertEquals(10, pool.stats().outstanding());
        cache.close();
        cache.close();
        assertEquals(0, pool.stats().outstanding());
        assertEquals(0, pool.stats().doubleReleases());
        assertFalse(cache.put(packet(11)));
        assertEquals(-1, cache.get(9, new byte[64], 0));
        assertEquals(0, cache.stats().size());
    }

    @Test
    void emptyCacheMisses() {
        try (RtpPacketCache cache = cache(16, 1000)) {
            assertEquals(-1, cache.get(0, new byte[64], 0));
        }
    }

    @ParameterizedTest(name = "capacity {0} -> {1}")
    @CsvSource({
            "1,     1",
            "2,     2",
            "3,     4",
            "1000,  1024",
            "1024,  1024",
            "32768, 32768",
    })
    void capacityRoundsUpToAPowerOfTwo(int requested, int actual) {
        try (RtpPacketCache cache = cache(requested, 1000)) {
            assertEquals(actual, cache.capacity());
        }
    }

    @Test
    void rejectsBadBounds() {
        assertThrows(IllegalArgumentException.class, () -> cache(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> cache(RtpPacketCache.MAX_CAPACITY_PACKETS + 1, 1000));
        assertThrows(IllegalArgumentException.class, () -> cache(16, 0));
    }

    @Test
    void steadyStateStoreAndLookupAllocateNothing() {
        BufferPool plainPool = new BufferPool(2048, false); // debug tracking would allocate
        RtpPacket p = packet(0);
        byte[] dst = new byte[64];
        int[] seq = {0};
        try (RtpPacketCache cache = new RtpPacketCache(plainPool, 256, 1000 * MS, () -> nowNanos)) {
            long allocated = AllocationMeter.bytesAllocatedBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seq[0] = SequenceNumbers.next(seq[0]);
                    p.setSequenceNumber(seq[0]);
                    cache.put(p);
                    cache.get(SequenceNumbers.add(seq[0], -10), dst, 0);
                    nowNanos += MS;
                }
            });
            assertEquals(0, allocated, "bytes allocated by 10000 puts and gets");
        }
    }

    @Test
    void longRunAcrossSeveralWrapsKeepsPoolBalanced() {
        try (RtpPacketCache cache = cache(RtpPacketCache.DEFAULT_CAPACITY_PACKETS, 1000)) {
            int seq = 60000;
            for (int i = 0; i < 200_000; i++) {
                if (i % 50 != 7) { // a few packets never sent
                    cache.put(packet(seq));
                }
                nowNanos += 2 * MS; // 500 packets/s: the age bound (500 packets) is tighter than the count
                if (i % 1000 == 999) {
                    assertTrue(hit(cache, SequenceNumbers.add(seq, -100)));
                    assertFalse(hit(cache, SequenceNumbers.add(seq, -600)), "expired by age");
                }
                seq = SequenceNumbers.next(seq);
            }
            assertTrue(cache.stats().size() <= 501, "size " + cache.stats().size());
            assertEquals(cache.stats().size(), pool.stats().outstanding());
        }
        assertEquals(0, pool.stats().outstanding());
    }
}
