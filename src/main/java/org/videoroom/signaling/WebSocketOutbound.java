package org.videoroom.signaling;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a socket's messages in order, one at a time, on a shared executor, so that room events never wait for a
 * slow client and no thread is held per socket. A client that falls {@link #MAX_QUEUED} messages behind is
 * disconnected rather than allowed to grow the server's memory.
 *
 * <p>Thread-safe: any thread may {@link #send} or {@link #close}; at most one drain runs at a time.
 */
final class WebSocketOutbound implements Outbound {

    static final int MAX_QUEUED = 1024;

    private static final System.Logger LOG = System.getLogger(WebSocketOutbound.class.getName());

    /** A queue entry: a text to send, or the close that ends the queue. */
    private record Entry(String text, CloseReason close) {
    }

    private final Session session;
    private final Executor executor;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();

    WebSocketOutbound(Session session, Executor executor) {
        this.session = session;
        this.executor = executor;
    }

    @Override
    public void send(String text) {
        if (closing.get()) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            enqueueClose(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "client too slow"));
            return;
        }
        enqueue(new Entry(text, null));
    }

    @Override
    public void close(String reason) {
        enqueueClose(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, reason));
    }

    /** The container closed the socket: nothing more goes out. */
    void closed() {
        closing.set(true);
        queue.clear();
    }

    private void enqueueClose(CloseReason reason) {
        // The close goes after what is already queued, so a client learns why before the socket goes.
        if (closing.compareAndSet(false, true)) {
            enqueue(new Entry(null, reason));
        }
    }

    private void enqueue(Entry entry) {
        queue.add(entry);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false); // shutting down: the socket goes with the server
            }
        }
    }

    private void drain() {
        Entry entry;
        while ((entry = queue.poll()) != null) {
            queued.decrementAndGet();
            if (entry.close() != null) {
                closeSocket(entry.close());
            } else if (session.isOpen()) {
                sendText(entry.text());
            }
        }
        draining.set(false);
        // An entry added between the last poll and the reset above must still be sent.
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            drain();
        }
    }

    private void sendText(String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "send to socket {0} failed: {1}", session.getId(), e.toString());
        }
    }

    private void closeSocket(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "closing socket {0} failed: {1}", session.getId(), e.toString());
        }
    }
}
