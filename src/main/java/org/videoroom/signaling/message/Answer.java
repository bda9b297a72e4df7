package org.videoroom.signaling.message;

/** {@code {"type":"answer","sdp":"v=0…"}}: the server's answer to the last offer. */
public record Answer(String sdp) implements ServerMessage {
}
