package org.videoroom.room;

/** A join refused because the room already holds its maximum number of participants. */
public final class RoomFullException extends RuntimeException {
    public RoomFullException(RoomName room, int limit) {
        super("room " + room + " is full (" + limit + " participants)");
    }
}
