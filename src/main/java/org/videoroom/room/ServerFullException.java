package org.videoroom.room;

/** A join refused because it would open a room beyond the server's maximum number of rooms. */
public final class ServerFullException extends RuntimeException {
    public ServerFullException(int maxRooms) {
        super("the server holds its maximum of " + maxRooms + " rooms");
    }
}
