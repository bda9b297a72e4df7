package org.videoroom.signaling;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.lang.System.Logger.Level;
import org.videoroom.app.MediaService;
import org.videoroom.app.RoomService;

/**
 * The signaling WebSocket of docs/protocol.md, one instance per connection. It only adapts the container's
 * callbacks to a {@link SignalingSession}; the protocol lives there.
 */
@ServerEndpoint("/ws/rooms/{room}")
public class SignalingEndpoint {

    /**
     * The container's own frame limit. Larger than the protocol's 64 KiB so that a message between the two gets
     * a {@code too-large} error and the socket stays open; beyond this the container closes with 1009.
     */
    static final int CONTAINER_MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(SignalingEndpoint.class.getName());

    @Inject
    RoomService rooms;

    @Inject
    MediaService media;

    private SignalingSession session;
    private WebSocketOutbound outbound;

    @OnOpen
    public void open(Session socket, @PathParam("room") String room) {
        socket.setMaxTextMessageBufferSize(CONTAINER_MAX_MESSAGE_BYTES);
        outbound = new WebSocketOutbound(socket, rooms.signalingExecutor());
        session = rooms.newSession(room, outbound, media);
    }

    @OnMessage(maxMessageSize = CONTAINER_MAX_MESSAGE_BYTES)
    public void message(String text) {
        session.onText(text);
    }

    @OnClose
    public void close(CloseReason reason) {
        outbound.closed();
        session.onClose();
    }

    @OnError
    public void error(Session socket, Throwable failure) {
        LOG.log(Level.DEBUG, "socket {0} failed: {1}", socket.getId(), failure.toString());
    }
}
