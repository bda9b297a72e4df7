package org.videoroom.signaling.message;

/** {@code {"type":"chat","text":"…"}}: a line for the room's chat. */
public record SendChat(String text) implements ClientMessage {
}
