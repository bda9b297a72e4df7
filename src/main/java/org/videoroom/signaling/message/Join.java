package org.videoroom.signaling.message;

/** {@code {"type":"join","name":"Ada"}}: enter the room named by the socket's path. */
public record Join(String name) implements ClientMessage {
}
