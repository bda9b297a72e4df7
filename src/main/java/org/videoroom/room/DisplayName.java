package org.videoroom.room;

/**
 * A participant's display name: 1 to 40 characters (Unicode code points) after normalising, with no control
 * characters, no bidirectional-override or isolate characters (a name could render over its neighbours in the
 * participant list) and nothing invisible: format characters (zero-width spaces and joiners, word joiner,
 * byte-order mark), Hangul fillers and the Braille blank, which let two names look alike or a name look empty.
 * Normalising means Unicode NFC (so "e" + combining acute and "é" are one name), every space separator as one
 * plain space, runs of spaces collapsed, trimmed. A name must contain at least one letter, digit, symbol or
 * punctuation mark and must not start with a combining mark. Always stored normalised; rendering must still
 * escape it. Immutable.
 */
public record DisplayName(String value) {

    public static final int MAX_LENGTH = 40;

    public DisplayName {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidNameException(problem);
        }
        value = normalise(value);
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
        // Checked before normalising: a control or format character is refused, not silently folded away (tabs
        // and line breaks around a pasted name are trimmed like spaces; inside it they are refused).
        if (raw.strip().codePoints().anyMatch(DisplayName::isControl)) {
            return "display names may not contain control characters";
        }
        if (raw.codePoints().anyMatch(DisplayName::isInvisible)) {
            return "display names may not contain invisible characters";
        }
        String name = normalise(raw);
        int codePoints = name.codePointCount(0, name.length());
        if (codePoints == 0) {
            return "a display name is required";
        }
        if (codePoints > MAX_LENGTH) {
            return "display names are at most " + MAX_LENGTH + " characters";
        }
        if (isMark(name.codePointAt(0))) {
            return "a display name may not start with a combining mark";
        }
        if (name.codePoints().noneMatch(DisplayName::isVisible)) {
            return "a display name needs at least one letter, digit or symbol";
        }
        return null;
    }

    private static String normalise(String raw) {
        String nfc = java.text.Normalizer.normalize(raw, java.text.Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        boolean space = false;
        for (int i = 0; i < nfc.length(); ) {
            int codePoint = nfc.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.getType(codePoint) == Character.SPACE_SEPARATOR || Character.isWhitespace(codePoint)) {
                space = true;
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    private static boolean isControl(int codePoint) {
        return Character.isISOControl(codePoint)
                || Character.getType(codePoint) == Character.LINE_SEPARATOR
                || Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR
                || (codePoint >= 0x202A && codePoint <= 0x202E)   // bidi embeddings and overrides
                || (codePoint >= 0x2066 && codePoint <= 0x2069);  // bidi isolates
    }

    private static boolean isInvisible(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT // U+200B-U+200F, U+2060-U+2064, U+FEFF, ...
                || codePoint == 0x115F || codePoint == 0x1160 // Hangul choseong and jungseong fillers
                || codePoint == 0x3164 || codePoint == 0xFFA0 // Hangul filler, halfwidth Hangul filler
                || codePoint == 0x2800 // Braille pattern blank
                || codePoint == 0x034F; // combining grapheme joiner
    }

    private static boolean isMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isVisible(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || switch (Character.getType(codePoint)) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
