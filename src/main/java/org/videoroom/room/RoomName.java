package org.videoroom.room;

import java.util.regex.Pattern;

/**
 * The name of a room as people type it in the lobby and as it appears in URLs: 1 to 64 ASCII letters, digits,
 * {@code -} or {@code _}. The narrow alphabet keeps names safe in paths, logs and HTML without escaping rules of
 * their own. Immutable.
 */
public record RoomName(String value) {

    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    public RoomName {
        if (!isValid(value)) {
            throw new InvalidNameException("room names are 1 to " + MAX_LENGTH + " letters, digits, '-' or '_'");
        }
    }

    /** True when {@code candidate} may name a room; null-safe, so validators can call it on raw input. */
    public static boolean isValid(String candidate) {
        return candidate != null && candidate.length() <= MAX_LENGTH && ALLOWED.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
