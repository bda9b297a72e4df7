package org.videoroom.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * Bouncy Castle's view of the network: a {@link DatagramTransport} whose receive side is a bounded
 * queue filled by the demultiplexer and whose send side is the caller's
 * {@link DtlsServerTransport.Sender}.
 *
 * <p>Bouncy Castle's DTLS is written for a blocking socket: it calls
 * {@link #receive(byte[], int, int, int)} with a timeout and expects to wait. Here that wait is a
 * poll on the queue, bounded three ways: by Bouncy Castle's timeout, by the handshake deadline
 * (after which it throws {@link TlsTimeoutException}, failing the handshake), and by
 * {@link #close()} (which wakes the poll and makes it throw, ending the handshake thread).
 *
 * <p>Thread-safe: {@link #offer} runs on the demultiplexer's thread, receive and send on the
 * handshake thread, {@link #close()} on any.
 */
final class DatagramQueue implements DatagramTransport {
    /** Wakes a blocked poll on close; never handed to Bouncy Castle. */
    private static final byte[] WAKE_UP = new byte[0];
    /** Bouncy Castle passes 0 for "no limit"; poll in slices so the deadline and close are noticed. */
    private static final long UNBOUNDED_WAIT_SLICE_MILLIS = 100;

    private final ArrayBlockingQueue<byte[]> queue;
    private final DtlsServerTransport.Sender sender;
    private final int sendLimit;
    private final System.Logger logger;
    private final String logPrefix;
    private final AtomicLong dropped = new AtomicLong();

    private volatile boolean closed;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean deadlinePassed;

    DatagramQueue(int capacity, int sendLimit, DtlsServerTransport.Sender sender, System.Logger logger,
                  String logPrefix) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = sender;
        this.sendLimit = sendLimit;
        this.logger = logger;
        this.logPrefix = logPrefix;
    }

    /**
     * Copies a datagram in. Never blocks.
     *
     * @return {@code false} if it was dropped (queue full or closed)
     */
    boolean offer(byte[] buf, int off, int len) {
        if (closed || !queue.offer(Arrays.copyOfRange(buf, off, off + len))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long dropped() {
        return dropped.get();
    }

    /** From now on, a receive that would wait past {@code deadlineNanos} fails the handshake. */
    void setDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Lifts the handshake deadline once the handshake is over. */
    void clearDeadline() {
        this.deadlineNanos = Long.MAX_VALUE;
    }

    /** Whether a receive gave up because the handshake deadline passed. */
    boolean deadlinePassed() {
        return deadlinePassed;
    }

    @Override
    public int getReceiveLimit() {
        return DtlsServerTransport.MAX_DATAGRAM_BYTES;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new InterruptedIOException("DTLS transport closed");
        }
        long wait = waitMillis > 0 ? waitMillis : UNBOUNDED_WAIT_SLICE_MILLIS;
        long deadline = deadlineNanos;
        if (deadline != Long.MAX_VALUE) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                deadlinePassed = true;
                throw new TlsTimeoutException("DTLS handshake deadline passed");
            }
            wait = Math.min(wait, remaining);
        }
        byte[] datagram;
        try {
            datagram = queue.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (closed) {
            throw new InterruptedIOException("DTLS transport closed");
        }
        if (datagram == null || datagram == WAKE_UP) {
            return -1;
        }
        // Truncation only hits a datagram longer than Bouncy Castle's buffer, which cannot hold a
        // valid record anyway; Bouncy Castle then discards it.
        int length = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, length);
        return length;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            // A failing socket must not abort the handshake from under Bouncy Castle; DTLS
            // retransmits, and ICE notices a dead path on its own.
            logger.log(System.Logger.Level.DEBUG, () -> logPrefix + "DTLS send failed", e);
        }
    }

    /** Called by Bouncy Castle when it gives up on the connection, and by the transport's close. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.clear();
            queue.offer(WAKE_UP);
        }
    }
}
