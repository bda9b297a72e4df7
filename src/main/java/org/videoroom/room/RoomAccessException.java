package org.videoroom.room;

/** A join refused by the room's password: none given, a wrong one, or too many wrong ones lately. */
public final class RoomAccessException extends RuntimeException {

    private final RoomPassword.Check reason;

    public RoomAccessException(RoomName room, RoomPassword.Check reason) {
        super("room " + room + ": " + reason);
        this.reason = reason;
    }

    public RoomPassword.Check reason() {
        return reason;
    }
}
