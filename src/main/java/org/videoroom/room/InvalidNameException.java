package org.videoroom.room;

/** A room or display name that breaks the naming rules; the message says which rule, in words fit for a user. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String message) {
        super(message);
    }
}
