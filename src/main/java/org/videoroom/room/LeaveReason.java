package org.videoroom.room;

/** Why a participant left its room; carried to the others with their wire string. */
public enum LeaveReason {
    /** The participant asked to leave. */
    LEFT("left"),
    /** The signaling connection closed. */
    DISCONNECTED("disconnected"),
    /** The media transport failed or its ICE consent expired (RFC 7675). */
    TRANSPORT_FAILED("transport-failed"),
    /** Joined but never negotiated media, or the socket stopped answering pings: removed so it holds no seat. */
    IDLE("idle"),
    /** The server is shutting down or the room was closed. */
    ROOM_CLOSED("room-closed");

    private final String wire;

    LeaveReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
