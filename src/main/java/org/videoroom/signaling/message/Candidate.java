package org.videoroom.signaling.message;

/**
 * {@code {"type":"candidate","candidate":"candidate:…","sdpMid":"0"}}: a trickled ICE candidate of the browser;
 * an empty {@code candidate} means end of candidates.
 */
public record Candidate(String candidate, String sdpMid) implements ClientMessage {
}
