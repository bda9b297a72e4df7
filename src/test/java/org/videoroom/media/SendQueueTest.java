package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;

/** The per-subscriber send queue: order per producer, bounded with counted drops, every buffer back in the pool. */
class SendQueueTest {

    private final BufferPool pool = new BufferPool(64, true);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(2, TimeUnit.SECONDS);
    }

    @Test
    void manyProducersOneOrderedConsumerAndNoBufferLeft() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        List<int[]> seen = new ArrayList<>();
        int[] lastByProducer = new int[producers];
        java.util.Arrays.fill(lastByProducer, -1);
        boolean[] outOfOrder = new boolean[1];
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        boolean[] concurrent = new boolean[1];
        SendQueue queue = new SendQueue(256, executor, pool);
        SendQueue.Sender sender = (buf, len) -> {
            // Two pool threads may take turns draining, never run it side by side.
            if (inside.incrementAndGet() > 1) {
                concurrent[0] = true;
            }
            int producer = buf[0];
            int n = ((buf[1] & 0xFF) << 16) | ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
            if (n <= lastByProducer[producer]) {
                outOfOrder[0] = true;
            }
            lastByProducer[producer] = n;
            assertEquals(4, len);
            inside.decrementAndGet();
        };
        CountDownLatch done = new CountDownLatch(producers);
        for (int p = 0; p < producers; p++) {
            int id = p;
            new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    byte[] buf = pool.take(4);
                    buf[0] = (byte) id;
                    buf[1] = (byte) (i >>> 16);
                    buf[2] = (byte) (i >>> 8);
                    buf[3] = (byte) i;
                    queue.offer(sender, buf, 4);
                }
                done.countDown();
            }).start();
        }
        assertTrue(done.await(20, TimeUnit.SECONDS));
        awaitIdle(queue);
        assertEquals(false, outOfOrder[0], "each producer's packets leave in the order they came");
        assertEquals(false, concurrent[0], "one drain at a time");
        assertEquals((long) producers * perProducer, queue.enqueued() + queue.dropped());
        assertEquals(0, pool.stats().outstanding(), "every buffer back in the pool");
        assertEquals(0, pool.stats().doubleReleases());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sent = new ArrayList<>();
        SendQueue queue = new SendQueue(8, executor, pool);
        SendQueue.Sender sender = (buf, len) -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (sent) {
                sent.add((int) buf[0]);
            }
        };
        for (int i = 0; i < 20; i++) {
            byte[] buf = pool.take(1);
            buf[0] = (byte) i;
            queue.offer(sender, buf, 1);
        }
        release.countDown();
        awaitIdle(queue);
        assertTrue(queue.dropped() >= 20 - 9, "at most the ring plus the one being sent are kept: "
                + queue.dropped());
        assertEquals(20, queue.enqueued() + queue.dropped());
        synchronized (sent) {
            assertEquals(queue.enqueued(), sent.size());
            for (int i = 1; i < sent.size(); i++) {
                assertTrue(sent.get(i) > sent.get(i - 1), "in order");
            }
        }
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void afterCloseNothingIsSentAndBuffersStillReturn() throws Exception {
        List<Integer> sent = new ArrayList<>();
        SendQueue queue = new SendQueue(8, executor, pool);
        queue.close();
        for (int i = 0; i < 5; i++) {
            queue.offer((buf, len) -> sent.add(len), pool.take(10), 10);
        }
        awaitIdle(queue);
        assertEquals(List.of(), sent);
        assertEquals(5, queue.dropped());
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void aSenderThatThrowsCostsOnePacketNotTheQueue() throws Exception {
        List<Integer> sent = new ArrayList<>();
        SendQueue queue = new SendQueue(8, executor, pool);
        SendQueue.Sender sender = (buf, len) -> {
            if (len == 2) {
                throw new IllegalStateException("boom");
            }
            synchronized (sent) {
                sent.add(len);
            }
        };
        for (int len = 1; len <= 3; len++) {
            queue.offer(sender, pool.take(len), len);
        }
        awaitIdle(queue);
        synchronized (sent) {
            assertEquals(List.of(1, 3), sent);
        }
        assertEquals(1, queue.dropped());
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SendQueue(100, executor, pool));
        assertThrows(IllegalArgumentException.class, () -> new SendQueue(1, executor, pool));
    }

    @Test
    void tasksRunOnTheDrainInOrderWithPackets() throws Exception {
        List<String> order = new ArrayList<>();
        SendQueue queue = new SendQueue(8, Runnable::run, pool);
        queue.offer((buf, len) -> order.add("packet " + len), pool.take(1), 1);
        queue.execute(() -> order.add("task"));
        queue.offer((buf, len) -> order.add("packet " + len), pool.take(2), 2);
        assertEquals(List.of("packet 1", "task", "packet 2"), order);
        queue.execute(() -> {
            throw new IllegalStateException("a failing task costs only itself");
        });
        queue.execute(() -> order.add("after"));
        assertEquals("after", order.get(order.size() - 1));
        assertEquals(1, queue.tasksFailed());
    }

    private void awaitIdle(SendQueue queue) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.stats().outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
