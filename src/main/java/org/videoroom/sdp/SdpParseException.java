package org.videoroom.sdp;

/**
 * A session description (or one of its values, such as an ICE candidate line) is malformed or
 * exceeds the parser's limits. Control-plane error: thrown, never seen on the packet path.
 *
 * <p>{@link #reason()} says what was wrong and {@link #lineNumber()} where (1-based, 0 when the
 * input was a single value rather than a whole description, or the fault concerns the whole
 * description). Callers and tests branch on the reason, never on the message.
 */
public final class SdpParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What made the input unacceptable. */
    public enum Reason {
        /** The description is longer than {@link SdpLimits#maxChars()}. */
        TOO_LARGE,
        /** More lines than {@link SdpLimits#maxLines()}. */
        TOO_MANY_LINES,
        /** One line is longer than {@link SdpLimits#maxLineLength()}. */
        LINE_TOO_LONG,
        /** More m= sections than {@link SdpLimits#maxMediaSections()}. */
        TOO_MANY_MEDIA_SECTIONS,
        /** A control character (NUL, a bare CR, ...) inside a line. */
        ILLEGAL_CHARACTER,
        /** A line that is not {@code <letter>=<value>}, or an empty line inside the description. */
        MALFORMED_LINE,
        /** A type letter RFC 8866 §5 does not define; the RFC requires rejecting the description. */
        UNKNOWN_LINE_TYPE,
        /** A known line in the wrong place (RFC 8866 §5 fixes the order). */
        OUT_OF_ORDER,
        /** A required line (v=, o=, s=, t=, c=) is missing. */
        MISSING_FIELD,
        /** A line that may appear once appears twice. */
        DUPLICATE_FIELD,
        /** {@code v=} is not 0. */
        BAD_VERSION,
        /** The o= line is malformed. */
        BAD_ORIGIN,
        /** The c= line is malformed. */
        BAD_CONNECTION,
        /** A b= line is malformed. */
        BAD_BANDWIDTH,
        /** A t= or r= line is malformed. */
        BAD_TIMING,
        /** An m= line is malformed. */
        BAD_MEDIA,
        /** An a= line's name or value is malformed. */
        BAD_ATTRIBUTE,
        /** An attribute that may appear once per level appears twice. */
        DUPLICATE_ATTRIBUTE,
        /** An ICE candidate does not follow RFC 8839 §5.1. */
        BAD_CANDIDATE,
        /**
         * An ICE candidate's {@code typ} is a token RFC 8839 §5.1 allows but no agent here can pair (not host,
         * srflx, prflx or relay); a trickled one is ignored rather than refused.
         */
        UNKNOWN_CANDIDATE_TYPE,
        /** A fingerprint does not follow RFC 8122 §5. */
        BAD_FINGERPRINT,
        /** Two m= sections share a mid (RFC 5888 §4 requires them unique). */
        DUPLICATE_MID,
        /** A group names a mid no m= section carries. */
        UNKNOWN_MID
    }

    private final Reason reason;
    private final int lineNumber;
    private final String detail;

    /**
     * @param reason what was wrong
     * @param lineNumber 1-based line, or 0 when not tied to a line
     * @param detail human-readable detail for logs
     */
    public SdpParseException(Reason reason, int lineNumber, String detail) {
        this(reason, lineNumber, detail, null);
    }

    private SdpParseException(Reason reason, int lineNumber, String detail, Throwable cause) {
        super(lineNumber > 0 ? reason + " at line " + lineNumber + ": " + detail : reason + ": " + detail, cause);
        this.reason = reason;
        this.lineNumber = lineNumber;
        this.detail = detail;
    }

    /** An exception for a single value (no line number). */
    static SdpParseException of(Reason reason, String detail) {
        return new SdpParseException(reason, 0, detail);
    }

    /** The same fault, located at {@code line}; used when a value parser runs inside a description. */
    SdpParseException atLine(int line) {
        if (lineNumber == line) {
            return this;
        }
        return new SdpParseException(reason, line, detail, this);
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }

    /** The 1-based line number, or 0 when the fault is not tied to one line. */
    public int lineNumber() {
        return lineNumber;
    }
}
