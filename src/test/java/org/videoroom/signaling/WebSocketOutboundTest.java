package org.videoroom.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The signaling socket's send side: in order, one message in flight, and a client that stops reading holds no
 * thread of the pool every socket shares; its send fails after the timeout and it is disconnected.
 */
class WebSocketOutboundTest {

    /** One thread, as a busy server's whole signaling pool may effectively be. */
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(2, TimeUnit.SECONDS);
    }

    @Test
    void messagesGoOutInOrderOneInFlightAtATime() throws Exception {
        FakeSocket socket = new FakeSocket(false);
        WebSocketOutbound out = new WebSocketOutbound(socket.session(), pool);

        out.send("a");
        out.send("b");
        out.send("c");
        socket.awaitSends(1);
        assertEquals(List.of("a"), socket.texts(), "the next waits for the first to complete");

        socket.complete(0, true);
        socket.awaitSends(2);
        socket.complete(1, true);
        socket.awaitSends(3);
        assertEquals(List.of("a", "b", "c"), socket.texts());
        assertEquals(WebSocketOutbound.SEND_TIMEOUT_MS, socket.sendTimeout);
    }

    @Test
    void aClientThatStopsReadingHoldsNoThreadAndIsDisconnectedWhenItsSendFails() throws Exception {
        FakeSocket stalled = new FakeSocket(false);
        FakeSocket reading = new FakeSocket(true);
        WebSocketOutbound toStalled = new WebSocketOutbound(stalled.session(), pool);
        WebSocketOutbound toReading = new WebSocketOutbound(reading.session(), pool);

        toStalled.send("never read");
        toStalled.send("queued behind it");
        stalled.awaitSends(1);
        for (int i = 0; i < 100; i++) {
            toReading.send("m" + i);
        }
        reading.awaitSends(100);
        assertEquals(100, reading.texts().size(), "the other socket's messages all went out on the one thread");

        stalled.complete(0, false); // what the container reports when the send timeout passes
        stalled.awaitClose();
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, stalled.closeReason.getCloseCode());
        assertEquals(List.of("never read"), stalled.texts(), "nothing more is sent to it");
        toStalled.send("after the close");
        Thread.sleep(50);
        assertEquals(1, stalled.texts().size());
    }

    @Test
    void aCloseGoesOutAfterWhatWasQueued() throws Exception {
        FakeSocket socket = new FakeSocket(true);
        WebSocketOutbound out = new WebSocketOutbound(socket.session(), pool);

        out.send("last words");
        out.close("room-closed");
        socket.awaitClose();

        assertEquals(List.of("last words"), socket.texts());
        assertEquals("room-closed", socket.closeReason.getReasonPhrase());
        assertFalse(socket.open);
    }

    /** A jakarta.websocket Session and its async remote, as far as the outbound uses them. */
    private static final class FakeSocket {
        private final boolean completeAtOnce;
        private final List<String> texts = new ArrayList<>();
        private final List<SendHandler> handlers = new ArrayList<>();
        volatile long sendTimeout = -1;
        volatile boolean open = true;
        volatile CloseReason closeReason;

        FakeSocket(boolean completeAtOnce) {
            this.completeAtOnce = completeAtOnce;
        }

        Session session() {
            RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setSendTimeout" -> sendTimeout = (Long) args[0];
                            case "sendText" -> {
                                SendHandler handler = (SendHandler) args[1];
                                synchronized (this) {
                                    texts.add((String) args[0]);
                                    handlers.add(handler);
                                    notifyAll();
                                }
                                if (completeAtOnce) {
                                    handler.onResult(new SendResult());
                                }
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> async;
                        case "getId" -> "fake";
                        case "isOpen" -> open;
                        case "close" -> {
                            synchronized (this) {
                                closeReason = (CloseReason) args[0];
                                open = false;
                                notifyAll();
                            }
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        synchronized List<String> texts() {
            return List.copyOf(texts);
        }

        void complete(int index, boolean ok) {
            SendHandler handler;
            synchronized (this) {
                handler = handlers.get(index);
            }
            handler.onResult(ok ? new SendResult() : new SendResult(new java.io.IOException("send timed out")));
        }

        synchronized void awaitSends(int count) throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (texts.size() < count) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "only " + texts.size() + " of " + count + " sends started");
                wait(Math.max(1, left / 1_000_000));
            }
        }

        synchronized void awaitClose() throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (closeReason == null) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the socket was not closed");
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
