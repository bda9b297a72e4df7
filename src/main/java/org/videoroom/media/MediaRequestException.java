package org.videoroom.media;

/** A participant's offer or candidate that the media layer refuses; the kind tells the signaling which error. */
public final class MediaRequestException extends RuntimeException {

    public enum Kind {
        /** The SDP offer is malformed or cannot be answered. */
        BAD_SDP,
        /** The ICE candidate is malformed or arrives before an offer. */
        BAD_CANDIDATE
    }

    private final Kind kind;

    public MediaRequestException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public MediaRequestException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
