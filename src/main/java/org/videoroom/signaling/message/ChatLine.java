package org.videoroom.signaling.message;

/**
 * {@code {"type":"chat","from":"…","name":"Ada","text":"…","at":1764547200000}}: one chat line, relayed to
 * everyone in the room (its author too), and in {@code joined.chat} for people who join later.
 *
 * @param at when the server took it, in milliseconds since the epoch
 */
public record ChatLine(String from, String name, String text, long at) implements ServerMessage {
}
