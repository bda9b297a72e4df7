package org.videoroom.signaling.message;

/**
 * {@code {"trackId":"…","participantId":"…","kind":"video","source":"camera"}}: a remote track a client may
 * subscribe to.
 */
public record TrackSummary(String trackId, String participantId, String kind, String source) {
}
