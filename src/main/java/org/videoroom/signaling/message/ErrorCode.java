package org.videoroom.signaling.message;

/**
 * The {@code code} of an {@code error} message. Clients branch on the code, never on the message text. All but
 * {@link #INTERNAL} leave the socket usable.
 */
public enum ErrorCode {
    /** The text is not a JSON object. */
    BAD_JSON("bad-json"),
    /** The {@code type} is not one this server knows. */
    UNKNOWN_TYPE("unknown-type"),
    /** A required field is absent or of the wrong JSON type. */
    MISSING_FIELD("missing-field"),
    /** A message over the size limit (64 KiB). */
    TOO_LARGE("too-large"),
    /** A {@code join} on a socket that already joined. */
    ALREADY_JOINED("already-joined"),
    /** Anything but {@code join} before joining. */
    NOT_JOINED("not-joined"),
    /** The room name in the socket's path breaks the naming rules. */
    INVALID_ROOM("invalid-room"),
    /** The display name breaks the naming rules. */
    INVALID_NAME("invalid-name"),
    /** An SDP offer that is malformed or cannot be answered (no BUNDLE, no common codec, …). */
    BAD_SDP("bad-sdp"),
    /** An ICE candidate that is malformed or arrives before any offer. */
    BAD_CANDIDATE("bad-candidate"),
    /** A chat message that is empty, too long or holds control characters. */
    INVALID_CHAT("invalid-chat"),
    /** Too many messages of one kind in a short time (chat, state changes); try again shortly. */
    RATE_LIMITED("rate-limited"),
    /** The room has its maximum number of participants. */
    ROOM_FULL("room-full"),
    /** The room has a password and the join gave none. */
    PASSWORD_REQUIRED("password-required"),
    /** The join's password is not the room's. */
    WRONG_PASSWORD("wrong-password"),
    /** A password that cannot be one (empty, over 128 characters). */
    INVALID_PASSWORD("invalid-password"),
    /** The room needs a signed join token and the join's is missing, expired, forged or for someone else. */
    UNAUTHORIZED("unauthorized"),
    /** The server holds its maximum of rooms: a join that would open another is refused. */
    SERVER_FULL("server-full"),
    /** The server failed; the socket closes. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
