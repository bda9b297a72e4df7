package org.videoroom.room;

/**
 * A participant's display name: 1 to 40 characters (Unicode code points) after trimming, with no control
 * characters and no bidirectional-override or isolate characters, which could make a name render over its
 * neighbours in the participant list. Always stored trimmed; rendering must still escape it. Immutable.
 */
public record DisplayName(String value) {

    public static final int MAX_LENGTH = 40;

    public DisplayName {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidNameException(problem);
        }
        value = value.strip();
    }

    /** Parses raw input, trimming it. */
    public static DisplayName of(String raw) {
        return new DisplayName(raw);
    }

    /** True when {@code raw} is acceptable once trimmed; null-safe. */
    public static boolean isValid(String raw) {
        return problem(raw) == null;
    }

    /** A human-readable reason why {@code raw} is not acceptable, or null when it is. */
    public static String problem(String raw) {
        if (raw == null) {
            return "a display name is required";
        }
        String trimmed = raw.strip();
        int codePoints = trimmed.codePointCount(0, trimmed.length());
        if (codePoints == 0) {
            return "a display name is required";
        }
        if (codePoints > MAX_LENGTH) {
            return "display names are at most " + MAX_LENGTH + " characters";
        }
        boolean forbidden = trimmed.codePoints().anyMatch(DisplayName::isForbidden);
        return forbidden ? "display names may not contain control characters" : null;
    }

    private static boolean isForbidden(int codePoint) {
        return Character.isISOControl(codePoint)
                || Character.getType(codePoint) == Character.LINE_SEPARATOR
                || Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR
                || (codePoint >= 0x202A && codePoint <= 0x202E)   // bidi embeddings and overrides
                || (codePoint >= 0x2066 && codePoint <= 0x2069);  // bidi isolates
    }

    @Override
    public String toString() {
        return value;
    }
}
