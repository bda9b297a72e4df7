package org.videoroom.signaling.message;

/** {@code {"type":"participantJoined","participant":{…}}}: someone entered the room. */
public record ParticipantJoined(ParticipantSummary participant) implements ServerMessage {
}
