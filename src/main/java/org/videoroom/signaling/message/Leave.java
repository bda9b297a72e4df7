package org.videoroom.signaling.message;

/** {@code {"type":"leave"}}: leave the room; the socket may join again. */
public record Leave() implements ClientMessage {
}
