package org.videoroom.signaling.message;

/**
 * {@code {"type":"join","name":"Ada"}}: enter the room named by the socket's path.
 *
 * @param password the room's password, or null (a join that opens the room sets it)
 * @param token    a signed join token (docs/protocol.md "Join tokens"), or null
 * @param resume   the participant this connection takes over after its previous one dropped, or null
 */
public record Join(String name, String password, String token, Resume resume) implements ClientMessage {

    /**
     * {@code "resume":{"participantId":"…","token":"…","media":"keep"}}: who, its resume token from
     * {@code joined}, and whether the page goes on with its media session ({@code keep}) or starts a new one
     * ({@code new}: the server ends the old one).
     */
    public record Resume(String participantId, String token, boolean newMedia) {
    }

    public Join(String name) {
        this(name, null, null, null);
    }

    public Join(String name, String password, String token) {
        this(name, password, token, null);
    }
}
