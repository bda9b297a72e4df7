package org.videoroom.load.signaling;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One synthetic participant's signaling socket ({@code docs/protocol.md}), on the JDK's WebSocket client. It
 * sends no {@code Origin}, as programs do, so the server's origin check lets it through. Received messages go to
 * a consumer on the client's delivery thread, one at a time and in order.
 *
 * <p>Thread-safety: sends may come from any thread; they are serialized here because the JDK's WebSocket allows
 * one outstanding send at a time.
 */
public final class SignalingClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private SignalingClient(HttpClient http, URI uri, Consumer<JsonObject> onMessage) {
        socket = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            onMessage.accept(Json.createReader(new StringReader(text)).readObject());
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).join();
    }

    /**
     * Opens {@code ws(s)://host/<context>/ws/rooms/{room}} for the server at {@code base} (its http(s) URL).
     */
    public static SignalingClient connect(HttpClient http, URI base, String room, Consumer<JsonObject> onMessage) {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        String path = base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath();
        if (!path.endsWith("/")) {
            path += "/";
        }
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + path + "ws/rooms/" + room);
        return new SignalingClient(http, uri, onMessage);
    }

    public void join(String name) {
        send(Json.createObjectBuilder().add("type", "join").add("name", name));
    }

    public void leave() {
        send(Json.createObjectBuilder().add("type", "leave"));
    }

    /** An offer with {@code subscriptions}: our receive MID → the remote track wanted there. */
    public void offer(String sdp, Map<String, String> subscriptions) {
        JsonObjectBuilder subs = Json.createObjectBuilder();
        subscriptions.forEach(subs::add);
        send(Json.createObjectBuilder().add("type", "offer").add("sdp", sdp).add("subscriptions", subs));
    }

    /** A trickled candidate; an empty one ends our candidates. */
    public void candidate(String candidate, String sdpMid) {
        send(Json.createObjectBuilder().add("type", "candidate").add("candidate", candidate).add("sdpMid", sdpMid));
    }

    /** Every listed participant's tile is visible at {@code height} device pixels. */
    public void viewport(Iterable<String> participantIds, int height) {
        JsonObjectBuilder tiles = Json.createObjectBuilder();
        for (String id : participantIds) {
            tiles.add(id, Json.createObjectBuilder().add("visible", true).add("height", height));
        }
        send(Json.createObjectBuilder().add("type", "viewport").add("tiles", tiles));
    }

    /** Whether the server closed the socket (or it failed). */
    public boolean isClosed() {
        return closed.isDone();
    }

    private synchronized void send(JsonObjectBuilder message) {
        String text = message.build().toString();
        lastSend = lastSend.handle((ws, error) -> null).thenCompose(ignored -> socket.sendText(text, true));
    }

    @Override
    public void close() {
        synchronized (this) {
            lastSend.handle((ws, error) -> null).join();
        }
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").handle((ws, error) -> null).join();
        }
        socket.abort();
    }
}
