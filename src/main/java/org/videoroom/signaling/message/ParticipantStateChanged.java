package org.videoroom.signaling.message;

/** {@code {"type":"participantState","participant":{"id":"…","name":"…","state":{…}}}}: the whole new state. */
public record ParticipantStateChanged(ParticipantSummary participant) implements ServerMessage {
}
