package org.videoroom.signaling.message;

/**
 * {@code {"type":"join","name":"Ada"}}: enter the room named by the socket's path.
 *
 * @param password the room's password, or null (a join that opens the room sets it)
 * @param token    a signed join token (docs/protocol.md "Join tokens"), or null
 */
public record Join(String name, String password, String token) implements ClientMessage {

    public Join(String name) {
        this(name, null, null);
    }
}
