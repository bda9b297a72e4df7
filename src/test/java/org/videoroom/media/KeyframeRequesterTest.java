package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keyframe request rate limiting, with an injected nanosecond clock. */
class KeyframeRequesterTest {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final int THREADS = 8;

    private ExecutorService threads;

    @BeforeEach
    void startThreads() {
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "clock origin {0}")
    @CsvSource({"0", "-9000000000000000000", "123456789", "9000000000000000000"})
    void sendsAtMostOncePerInterval(long origin) {
        AtomicLong now = new AtomicLong(origin);
        KeyframeRequester requester = new KeyframeRequester(INTERVAL_NANOS, now::get);
        // time since origin in ms (fractions as nanos), whether a request goes out
        long[][] calls = {
                {0, 1},                // the first request always goes out
                {0, 0},                // same instant: absorbed
                {100_000_000, 0},
                {299_999_999, 0},      // 1 ns short of the interval
                {300_000_000, 1},      // exactly one interval after the last one sent
                {300_000_001, 0},
                {599_999_999, 0},
                {600_000_000, 1},      // measured from the last one sent (300 ms), not the last absorbed
                {10_000_000_000L, 1},  // long after
        };
        for (long[] call : calls) {
            now.set(origin + call[0]);
            assertEquals(call[1] == 1, requester.shouldSend(), "at +" + call[0] + " ns");
        }
    }

    @Test
    void zeroIntervalLetsEveryRequestThrough() {
        KeyframeRequester requester = new KeyframeRequester(0, () -> 42);
        assertTrue(requester.shouldSend());
        assertTrue(requester.shouldSend());
        assertTrue(requester.shouldSend());
    }

    @Test
    void concurrentCallersAtOneInstantSendOnce() throws Exception {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        KeyframeRequester requester = new KeyframeRequester(INTERVAL_NANOS, now::get);

        assertEquals(1, countSends(requester, 1000));
        assertEquals(0, countSends(requester, 1000), "still within the interval");
        now.addAndGet(INTERVAL_NANOS);
        assertEquals(1, countSends(requester, 1000), "the next interval");
    }

    /**
     * Callers race while time runs on (every clock read advances it by 1 µs). Each request that goes out is
     * stamped with the clock value its own call read; any two of them must lie at least one interval apart.
     */
    @Test
    void concurrentCallersWhileTimeAdvancesKeepTheInterval() throws Exception {
        AtomicLong clock = new AtomicLong();
        ThreadLocal<Long> lastRead = new ThreadLocal<>();
        LongSupplier ticking = () -> {
            long t = clock.addAndGet(1_000);
            lastRead.set(t);
            return t;
        };
        long interval = TimeUnit.MILLISECONDS.toNanos(10);
        KeyframeRequester requester = new KeyframeRequester(interval, ticking);
        ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();

        race(() -> {
            for (int i = 0; i < 5_000; i++) {
                if (requester.shouldSend()) {
                    sentAt.add(lastRead.get());
                }
            }
            return null;
        });

        List<Long> sorted = new ArrayList<>(sentAt);
        sorted.sort(null);
        // 40,000 calls span 40 ms of simulated time: requests near 0, 10, 20 and 30 ms at most.
        assertTrue(sorted.size() >= 3 && sorted.size() <= 4, "sent " + sorted.size());
        for (int i = 1; i < sorted.size(); i++) {
            long gap = sorted.get(i) - sorted.get(i - 1);
            assertTrue(gap >= interval, "two requests only " + gap + " ns apart");
        }
    }

    @Test
    void aCallerThatReadTheClockBeforeAnotherSentIsAbsorbed() {
        // Thread A reads the clock (t = 1000 ms) and is preempted; B reads t = 1200 ms and sends. A resumes: its
        // older reading lies before B's request, so it must not send a second one.
        long[] readings = {1_000_000_000L, 1_200_000_000L};
        int[] next = {0};
        KeyframeRequester requester = new KeyframeRequester(INTERVAL_NANOS, () -> readings[next[0]++]);
        next[0] = 1;
        assertTrue(requester.shouldSend(), "B");
        next[0] = 0;
        assertFalse(requester.shouldSend(), "A, with the older reading");
    }

    private int countSends(KeyframeRequester requester, int callsPerThread) throws Exception {
        AtomicLong sends = new AtomicLong();
        race(() -> {
            for (int i = 0; i < callsPerThread; i++) {
                if (requester.shouldSend()) {
                    sends.incrementAndGet();
                }
            }
            return null;
        });
        return (int) sends.get();
    }

    /** Runs {@code body} on every thread at once and waits for all. */
    private void race(Callable<Void> body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                start.await();
                return body.call();
            }));
        }
        start.countDown();
        for (Future<Void> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
    }
}
