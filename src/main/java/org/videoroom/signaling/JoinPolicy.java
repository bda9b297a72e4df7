package org.videoroom.signaling;

/**
 * Which rooms need a signed join token ({@link JoinTokens}): with a secret configured, those whose name starts with
 * {@code roomPrefix} (every room when it is empty). {@link #OPEN} needs none.
 */
public record JoinPolicy(JoinTokens tokens, String roomPrefix) {

    public static final JoinPolicy OPEN = new JoinPolicy(null, "");

    public JoinPolicy {
        roomPrefix = roomPrefix == null ? "" : roomPrefix.strip();
    }

    boolean requiresToken(String room) {
        return tokens != null && room.startsWith(roomPrefix);
    }
}
