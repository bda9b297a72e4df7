package org.videoroom.signaling.message;

/** {@code {"id":"…","name":"…"}}: a participant as other participants see it. */
public record ParticipantSummary(String id, String name) {
}
