package org.videoroom.signaling;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.videoroom.app.MediaService;
import org.videoroom.app.RoomService;

/**
 * The signaling WebSocket of docs/protocol.md, one instance per connection. It only adapts the container's
 * callbacks to a {@link SignalingSession}; the protocol lives there.
 */
@ServerEndpoint(value = "/ws/rooms/{room}", configurator = PeerAddressConfigurator.class)
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

    private static final java.util.Set<ConnectionLimits.Refusal> REFUSALS_LOGGED =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean UNKNOWN_ADDRESS_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Null when the socket was refused at open. */
    private SignalingSession session;
    private WebSocketOutbound outbound;
    private ConnectionLimits.Lease lease;

    @OnOpen
    public void open(Session socket, EndpointConfig config, @PathParam("room") String room) {
        socket.setMaxTextMessageBufferSize(CONTAINER_MAX_MESSAGE_BYTES);
        ConnectionLimits.Admission admission = rooms.admit(peerAddress(socket, config));
        if (!admission.admitted()) {
            refuse(socket, admission.refusal());
            return;
        }
        lease = admission.lease();
        outbound = new WebSocketOutbound(socket, rooms.signalingExecutor());
        session = rooms.newSession(room, outbound, media);
    }

    @OnMessage(maxMessageSize = CONTAINER_MAX_MESSAGE_BYTES)
    public void message(String text) {
        if (session != null) {
            session.onText(text);
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (session != null) {
            session.onPong();
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        if (lease != null) {
            lease.release();
        }
        if (session != null) {
            boolean clientClosed = !outbound.closedByServer() && isLeaving(reason);
            rooms.closed(session);
            outbound.closed();
            session.onClose(clientClosed);
        }
    }

    /**
     * 1001, what a browser sends for a page that goes away. Not 1000: Tyrus reports a connection that ended without
     * a close frame (a proxy that dropped it after the client's network went) as 1000, which must keep the grace.
     */
    private static boolean isLeaving(CloseReason reason) {
        return reason != null && reason.getCloseCode().getCode() == CloseReason.CloseCodes.GOING_AWAY.getCode();
    }

    /** Over a connection limit: said in the close (1013, try again later), logged once per kind. */
    private static void refuse(Session socket, ConnectionLimits.Refusal refusal) {
        if (REFUSALS_LOGGED.add(refusal)) {
            LOG.log(Level.WARNING, "refused a signaling socket: {0} (further refusals are only counted; see"
                    + " videoroom.limits.*)", refusal.message());
        }
        try {
            socket.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, refusal.message()));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "closing refused socket {0} failed: {1}", socket.getId(), e.toString());
        }
    }

    private static String peerAddress(Session socket, EndpointConfig config) {
        Object address = socket.getUserProperties().get(PeerAddressConfigurator.PROPERTY);
        if (address == null) {
            address = config.getUserProperties().get(PeerAddressConfigurator.PROPERTY);
        }
        if (address == null && UNKNOWN_ADDRESS_LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "the container did not pass a signaling client''s address: only the total number"
                    + " of connections is capped");
        }
        return address instanceof String text ? text : null;
    }

    @OnError
    public void error(Session socket, Throwable failure) {
        LOG.log(Level.DEBUG, "socket {0} failed: {1}", socket.getId(), failure.toString());
    }
}
