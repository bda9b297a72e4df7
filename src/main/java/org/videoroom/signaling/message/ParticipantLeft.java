package org.videoroom.signaling.message;

/** {@code {"type":"participantLeft","participantId":"…","reason":"left"}}: someone is gone. */
public record ParticipantLeft(String participantId, String reason) implements ServerMessage {
}
