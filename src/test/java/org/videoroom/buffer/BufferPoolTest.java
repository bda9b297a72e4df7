package org.videoroom.buffer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BufferPoolTest {

    @ParameterizedTest(name = "take({0}) -> array of {1}")
    @CsvSource({
            // requested, expected array length
            "0,     256",
            "1,     256",
            "256,   256",
            "257,   1600",
            "1548,  1600", // bufferSizeFor(MAX_PACKET_BYTES)
            "1600,  1600",
            "1601,  8192",
            "8192,  8192",
            "8193,  8193", // above the largest tier: plain-allocated, exact size
            "65536, 65536",
    })
    void takeServesSmallestFittingTier(int requested, int expectedLength) {
        BufferPool pool = new BufferPool();
        assertEquals(expectedLength, pool.take(requested).length);
    }

    @Test
    void mtuPacketWithHeadAndTailRoomFitsTheMediumTier() {
        assertEquals(1548, BufferPool.bufferSizeFor(BufferPool.MAX_PACKET_BYTES));
        assertTrue(BufferPool.TIER_SIZES_BYTES.contains(1600));
        assertTrue(BufferPool.HEAD_ROOM_BYTES >= 16);
        assertTrue(BufferPool.TAIL_ROOM_BYTES >= 32);
    }

    @Test
    void releasedBufferIsReused() {
        BufferPool pool = new BufferPool();
        byte[] first = pool.take(1200);
        pool.release(first);
        byte[] second = pool.take(1000);
        assertSame(first, second);
        assertEquals(new BufferPool.Stats(2, 1, 1, 1, 0, 0, 0), pool.stats());
    }

    @Test
    void oversizedBuffersAreNeverPooled() {
        BufferPool pool = new BufferPool();
        byte[] big = pool.take(20_000);
        pool.release(big);
        assertNotSame(big, pool.take(20_000));
        assertEquals(new BufferPool.Stats(2, 1, 2, 1, 0, 0, 0), pool.stats());
    }

    @Test
    void fullTierDiscardsAndCounts() {
        BufferPool pool = new BufferPool(1, false);
        byte[] a = pool.take(100);
        byte[] b = pool.take(100);
        pool.release(a);
        pool.release(b);
        BufferPool.Stats stats = pool.stats();
        assertEquals(1, stats.discarded());
        assertEquals(0, stats.outstanding());
        assertEquals(1, pool.debugState().freeByTierBytes().get(256));
    }

    @Test
    void negativeSizeIsACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> new BufferPool().take(-1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, false));
    }

    @Test
    void nullReleaseIsCountedNotThrown() {
        BufferPool pool = new BufferPool();
        pool.release(null);
        assertEquals(1, pool.stats().foreignReleases());
        assertEquals(0, pool.stats().released());
    }

    @Test
    void debugModeCountsDoubleReleaseAndDoesNotPoolTwice() {
        BufferPool pool = new BufferPool(16, true);
        byte[] buf = pool.take(100);
        pool.release(buf);
        pool.release(buf);
        BufferPool.Stats stats = pool.stats();
        assertAll(
                () -> assertEquals(1, stats.released()),
                () -> assertEquals(1, stats.doubleReleases()),
                () -> assertEquals(0, stats.outstanding()),
                // pooled once only: two takes must not both receive the same array
                () -> assertNotSame(pool.take(100), pool.take(100)));
    }

    @Test
    void debugModeCountsDoubleReleaseOfOversizedBuffer() {
        BufferPool pool = new BufferPool(16, true);
        byte[] big = pool.take(10_000);
        pool.release(big);
        pool.release(big);
        assertEquals(1, pool.stats().doubleReleases());
    }

    @Test
    void debugModeCountsForeignRelease() {
        BufferPool pool = new BufferPool(16, true);
        pool.release(new byte[256]);
        BufferPool.Stats stats = pool.stats();
        assertEquals(1, stats.foreignReleases());
        assertEquals(0, stats.released());
        assertEquals(0, pool.debugState().freeByTierBytes().get(256), "a foreign array must not enter the pool");
    }

    @Test
    void debugModePoisonsReleasedBuffersAndRecordsTakeSites() {
        BufferPool pool = new BufferPool(16, true);
        byte[] kept = pool.take(10);
        byte[] buf = pool.take(10);
        buf[0] = 42;
        pool.release(buf);
        for (byte b : buf) {
            assertEquals(BufferPool.DEBUG_POISON, b);
        }
        BufferPool.DebugState state = pool.debugState();
        assertTrue(state.debugEnabled());
        assertEquals(1, state.outstandingTakeSites().size());
        pool.release(kept);
        assertTrue(pool.debugState().outstandingTakeSites().isEmpty());
    }

    @Test
    void nonDebugStateHasNoTakeSites() {
        BufferPool pool = new BufferPool();
        pool.take(10);
        assertFalse(pool.debugState().debugEnabled());
        assertTrue(pool.debugState().outstandingTakeSites().isEmpty());
    }

    @Test
    void concurrentTakeAndReleaseBalance() throws Exception {
        BufferPool pool = new BufferPool(64, true);
        int threads = 4;
        int rounds = 5_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        byte[] a = pool.take(i % 2000);
                        byte[] b = pool.take(100);
                        pool.release(a);
                        pool.release(b);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        BufferPool.Stats stats = pool.stats();
        assertEquals(2L * threads * rounds, stats.taken());
        assertEquals(stats.taken(), stats.released());
        assertEquals(0, stats.outstanding());
        assertEquals(0, stats.doubleReleases());
        assertEquals(0, stats.foreignReleases());
    }
}
