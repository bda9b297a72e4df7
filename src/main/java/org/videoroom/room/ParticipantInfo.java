package org.videoroom.room;

/** What the other participants of a room may know about a participant. Immutable. */
public record ParticipantInfo(ParticipantId id, DisplayName name) {
}
