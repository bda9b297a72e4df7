package org.videoroom.room;

import java.time.Instant;

/**
 * One chat line to the whole room, as the room keeps and relays it: who wrote it (id and the name at the time),
 * the text, and when the server took it. The text is plain text; pages must render it as such. Immutable.
 */
public record ChatMessage(ParticipantId from, DisplayName name, String text, Instant at) {

    /** Longest text, in code points: a paragraph, not a document. */
    public static final int MAX_LENGTH = 1000;

    public ChatMessage {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why the text cannot be sent, or null when it can: it must hold something visible, at most
     * {@link #MAX_LENGTH} code points, and no control characters but line breaks and tabs.
     */
    public static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "a chat message needs some text";
        }
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            return "chat messages are at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                return "chat messages may not contain control characters";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** The text as sent, without leading and trailing blank space. */
    public static String normalize(String text) {
        return text == null ? null : text.strip();
    }
}
