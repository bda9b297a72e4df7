package org.videoroom.signaling.message;

/**
 * {@code {"type":"state","audioMuted":true}}: the sender changes its own state; absent fields (null here) stay
 * as they are.
 */
public record SetState(Boolean audioMuted, Boolean videoMuted, Boolean handRaised) implements ClientMessage {
}
