package org.videoroom.signaling;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a socket's messages in order, one at a time, without ever blocking a thread on a client: each message is
 * an asynchronous send whose completion hands the next one to the shared executor. A client that stops reading
 * (its TCP window closes) fails its send after {@link #SEND_TIMEOUT_MS} and is disconnected; one that falls
 * {@link #MAX_QUEUED} messages behind is disconnected too, rather than allowed to grow the server's memory. So a
 * hostile or stalled client holds neither a signaling thread (the pool is shared by every socket) nor memory in
 * proportion to what the room sends it.
 *
 * <p>Thread-safe: any thread may {@link #send} or {@link #close}; at most one send is in flight at a time.
 */
final class WebSocketOutbound implements Outbound {

    static final int MAX_QUEUED = 1024;
    private static final byte[] PING = {'v', 'r'};
    /** How long one message may wait for the client to read it. */
    static final long SEND_TIMEOUT_MS = 10_000;

    private static final System.Logger LOG = System.getLogger(WebSocketOutbound.class.getName());

    /** A queue entry: a text to send, or the close that ends the queue. */
    private record Entry(String text, CloseReason close) {
    }

    private final Session session;
    private final Executor executor;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** True from the moment a drain is scheduled until the queue is empty and no send is in flight. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();

    WebSocketOutbound(Session session, Executor executor) {
        this.session = session;
        this.executor = executor;
        try {
            session.getAsyncRemote().setSendTimeout(SEND_TIMEOUT_MS);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "socket {0}: no send timeout: {1}", session.getId(), e.toString());
        }
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

    @Override
    public void ping() {
        // Only between messages: with a send in flight a ping could meet a full TCP window, and some containers
        // write control frames synchronously; a client that does not read is closed by its send timeout anyway.
        if (closing.get() || draining.get()) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    if (session.isOpen()) {
                        session.getAsyncRemote().sendPing(ByteBuffer.wrap(PING));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.DEBUG, "ping to socket {0} failed: {1}", session.getId(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    /** Whether this side decided to close the socket (a close was queued, or a send failed). */
    boolean closedByServer() {
        return closing.get();
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
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining.set(false); // shutting down: the socket goes with the server
        }
    }

    /** Executor: sends the next message and returns; its completion schedules the one after. */
    private void drain() {
        while (true) {
            Entry entry = queue.poll();
            if (entry == null) {
                draining.set(false);
                // An entry added between the last poll and the reset above must still be sent.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            queued.decrementAndGet();
            if (entry.close() != null) {
                closeSocket(entry.close());
            } else if (session.isOpen() && startSend(entry.text())) {
                return;
            }
        }
    }

    /** True when the send is in flight (its handler goes on), false when it could not start. */
    private boolean startSend(String text) {
        try {
            session.getAsyncRemote().sendText(text, this::sent);
            return true;
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, "send to socket {0} failed: {1}", session.getId(), e.toString());
            return false;
        }
    }

    /** The container's thread: one send ended. */
    private void sent(SendResult result) {
        if (!result.isOK()) {
            // Timed out (the client does not read) or the connection broke: nothing queued can reach it.
            LOG.log(Level.DEBUG, "socket {0}: a send failed, closing: {1}", session.getId(),
                    String.valueOf(result.getException()));
            closing.set(true);
            queue.clear();
            queued.set(0);
            closeSocket(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "not reading"));
            draining.set(false);
            return;
        }
        schedule();
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
