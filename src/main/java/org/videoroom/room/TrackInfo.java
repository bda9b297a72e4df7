package org.videoroom.room;

/** A track as the room announces it: who publishes it and whether it is audio or video. Immutable. */
public record TrackInfo(TrackId id, ParticipantId publisher, MediaKind kind) {
}
