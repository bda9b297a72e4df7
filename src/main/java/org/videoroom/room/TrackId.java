package org.videoroom.room;

/**
 * A published track's stable identity within its room: the publisher's id and the publisher's own MID for it,
 * so it stays the same across renegotiations and can be mapped to a MID on every subscriber.
 */
public record TrackId(String value) {

    public TrackId {
        if (value == null || value.isEmpty() || value.length() > 128) {
            throw new IllegalArgumentException("a track id is 1 to 128 characters");
        }
    }

    public static TrackId of(ParticipantId publisher, String publisherMid) {
        return new TrackId(publisher.value() + "-" + publisherMid);
    }

    @Override
    public String toString() {
        return value;
    }
}
