package org.videoroom.media;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.videoroom.buffer.BufferPool;

/**
 * One subscriber's send pipeline runs here: publishers' receive threads (many producers) hand it pooled buffers,
 * each with the {@link Sender} that owns the packet (the subscription: layer selection, stream rewriting, packet
 * history, then the subscriber's transport: transport-wide sequence number, encryption, the system call), and a
 * single drain task on the shared send executor runs them in order, then returns each buffer to the pool.
 * Control tasks for the same subscriber (NACKs, sender reports, layer changes) run on the same drain, so the
 * send-side state needs no lock. This keeps a publisher's
 * receive thread down to decrypting and copying, so a burst for many subscribers no longer delays the arrival
 * times the publisher's congestion control is fed with, and it gives each subscriber one place where its
 * packets are serialized (transport-wide sequence numbers, pacing).
 *
 * <p>The queue is a bounded ring with a sequence number per slot (Vyukov's bounded queue, single consumer): no
 * lock and no allocation per packet. When it is full the packet is dropped and counted; a subscriber that cannot
 * keep up loses packets (and NACKs them) instead of holding up its publishers.
 *
 * <p>Thread-safety: {@link #offer} from any thread; {@link Sender#send} is only ever called from one drain task
 * at a time.
 */
final class SendQueue {

    /** Sends one packet; the buffer is the queue's again (and goes back to the pool) once this returns. */
    interface Sender {
        void send(byte[] buf, int len);
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    static final int DEFAULT_CAPACITY = 1024;

    private final int mask;
    private final AtomicLongArray sequences;
    private final AtomicReferenceArray<byte[]> buffers;
    private final Sender[] senders;
    private final int[] lengths;
    private final AtomicLong tail = new AtomicLong();
    /** Consumer only. */
    private long head;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor executor;
    private final BufferPool pool;
    private final Runnable drain = this::drain;
    private volatile boolean closed;
    /** Drain only. */
    private boolean loggedFailure;
    private static final System.Logger LOG = System.getLogger(SendQueue.class.getName());

    private final LongAdder enqueued = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder tasksFailed = new LongAdder();

    /** @param capacity a power of two */
    SendQueue(int capacity, Executor executor, BufferPool pool) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.mask = capacity - 1;
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        this.buffers = new AtomicReferenceArray<>(capacity);
        this.lengths = new int[capacity];
        this.senders = new Sender[capacity];
        this.executor = executor;
        this.pool = pool;
    }

    /**
     * Takes ownership of a pooled buffer holding one packet of {@code len} bytes at offset 0, to be handed to
     * {@code sender} on the drain.
     */
    void offer(Sender sender, byte[] buf, int len) {
        if (closed || !enqueue(sender, buf, len)) {
            dropped.increment();
            pool.release(buf);
            return;
        }
        enqueued.increment();
        schedule();
    }

    /** Runs a control task on the drain, before the packets queued after it are sent. */
    void execute(Runnable task) {
        if (closed) {
            return;
        }
        tasks.add(task);
        schedule();
    }

    private boolean enqueue(Sender sender, byte[] buf, int len) {
        while (true) {
            long pos = tail.get();
            int index = (int) (pos & mask);
            long seq = sequences.get(index);
            if (seq == pos) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    lengths[index] = len;
                    senders[index] = sender;
                    buffers.set(index, buf);
                    sequences.set(index, pos + 1); // publishes the slot (and the plain length write before it)
                    return true;
                }
            } else if (seq < pos) {
                return false; // full: the consumer has not freed this slot yet
            }
            // Another producer took this position: try the next one.
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                close();
            }
        }
    }

    private void drain() {
        do {
            while (true) {
                Runnable task = tasks.poll();
                if (task != null) {
                    try {
                        if (!closed) {
                            task.run();
                        }
                    } catch (RuntimeException e) {
                        tasksFailed.increment();
                        failedOnce(e);
                    }
                    continue;
                }
                int index = (int) (head & mask);
                if (sequences.get(index) != head + 1) {
                    break;
                }
                byte[] buf = buffers.get(index);
                int len = lengths[index];
                Sender sender = senders[index];
                senders[index] = null;
                buffers.set(index, null);
                sequences.set(index, head + mask + 1);
                head++;
                try {
                    if (!closed) {
                        sender.send(buf, len);
                    }
                } catch (RuntimeException e) {
                    dropped.increment();
                    failedOnce(e);
                } finally {
                    pool.release(buf);
                }
            }
            scheduled.set(false);
            // A producer may have enqueued after the last check but seen "scheduled" still set: look once more.
        } while ((sequences.get((int) (head & mask)) == head + 1 || !tasks.isEmpty())
                && scheduled.compareAndSet(false, true));
    }

    /** A bug, not bad input: logged once per queue, then only counted. */
    private void failedOnce(RuntimeException e) {
        if (!loggedFailure) {
            loggedFailure = true;
            LOG.log(System.Logger.Level.WARNING, "a send pipeline stage failed (further failures only counted)", e);
        }
    }

    /** Stops sending; what is queued is released by the drain task (or the next offer's). */
    void close() {
        closed = true;
        schedule();
    }

    long enqueued() {
        return enqueued.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    long tasksFailed() {
        return tasksFailed.sum();
    }
}
