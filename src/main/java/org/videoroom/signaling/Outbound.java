package org.videoroom.signaling;

/**
 * Where a session's messages go: the WebSocket in production, a list in tests. {@link #send} must not block the
 * caller (room events are delivered under the room's lock), so implementations queue.
 */
public interface Outbound {
    void send(String text);

    /** Sends a WebSocket ping (the client's pong comes back to {@link SignalingSession#onPong}); never blocks. */
    default void ping() {
    }

    /** Closes the connection, e.g. after an internal error; idempotent. */
    void close(String reason);
}
