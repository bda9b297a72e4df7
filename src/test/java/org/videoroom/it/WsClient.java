package org.videoroom.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A signaling client for tests: sends JSON text and hands received messages out in order. */
public final class WsClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;

    private WsClient(URI uri, HttpClient client, String origin) {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received.add(Json.createReader(new StringReader(partial.toString())).readObject());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closeReason = reason;
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).join();
    }

    /** Opens {@code ws://…/ws/rooms/{room}} below the deployment's base URI. */
    public static WsClient connect(URI base, String room) {
        return connect(base, room, HttpClient.newHttpClient(), null);
    }

    /** The same through {@code client}: {@code wss://} when the base is https, as the page does. */
    static WsClient connect(URI base, String room, HttpClient client) {
        return connect(base, room, client, null);
    }

    /**
     * As {@link #connect(URI, String)}, with an {@code Origin} header as a browser would send it (null: none).
     *
     * @throws java.util.concurrent.CompletionException with a {@link java.net.http.WebSocketHandshakeException}
     *         when the server refuses the handshake
     */
    static WsClient connect(URI base, String room, String origin) {
        return connect(base, room, HttpClient.newHttpClient(), origin);
    }

    private static WsClient connect(URI base, String room, HttpClient client, String origin) {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        return new WsClient(URI.create(scheme + "://" + base.getHost() + ":" + base.getPort() + base.getPath()
                + "ws/rooms/" + room), client, origin);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a join and returns the {@code joined} reply. */
    public JsonObject join(String name) {
        send(Json.createObjectBuilder().add("type", "join").add("name", name).build().toString());
        return expect("joined");
    }

    public JsonObject next() {
        try {
            JsonObject message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + WAIT);
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonObject expect(String type) {
        JsonObject message = next();
        assertEquals(type, message.getString("type"), () -> "got " + message);
        return message;
    }

    JsonObject expectError(String code) {
        JsonObject error = expect("error");
        assertEquals(code, error.getString("code"), () -> "got " + error);
        return error;
    }

    /** Asserts that nothing arrives for a while. */
    public void expectSilence(Duration duration) {
        try {
            JsonObject message = received.poll(duration.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(null, message, "expected no message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public List<JsonObject> drain() {
        List<JsonObject> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Waits for the server to close the socket; its close code and reason, e.g. "1013 too many …". */
    String awaitClosedByServer(Duration timeout) {
        try {
            int code = closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code + " " + closeReason;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("the socket failed instead of closing", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
