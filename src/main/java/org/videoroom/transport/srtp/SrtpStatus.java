package org.videoroom.transport.srtp;

/**
 * Outcome of one {@link SrtpSession} packet operation.
 *
 * <p>The packet methods return an {@code int} so that the hot path allocates nothing: a value
 * {@code >= 0} is the new packet length and means {@link #OK}; a negative value is the
 * {@link #code()} of one of the failure constants. {@link #of(int)} maps any result back to its
 * constant, e.g. for a per-status counter:
 *
 * <pre>{@code
 * int result = session.decryptRtp(buf, off, len);
 * if (result < 0) {
 *     dropped[SrtpStatus.of(result).ordinal()]++;
 *     return;
 * }
 * len = result;
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public enum SrtpStatus {
    /** Transformed; the result is the new length. */
    OK(0),
    /**
     * Shorter than its own headers (fixed header, CSRCs, header extension) plus what the profile
     * appends: the tag, and for SRTCP the index (RFC 3711 §3.1, §3.4).
     */
    TOO_SHORT(-1),
    /** Not an RTP/RTCP packet (the version field is not 2), or its layout was rejected while transforming. */
    INVALID_PACKET(-2),
    /** The authentication tag did not verify (HMAC-SHA1 per RFC 3711 §4.2, or the GCM tag). */
    AUTH_FAILED(-3),
    /** The index was already received inside the replay window (RFC 3711 §3.3.2). */
    REPLAY(-4),
    /** The index is older than the replay window covers, so it must be treated as a replay. */
    REPLAY_TOO_OLD(-5),
    /** Encrypt only: the array has fewer free bytes after the packet than the tag needs. */
    NO_TAIL_ROOM(-6),
    /** The crypto provider failed (not caused by the packet); counted, not retried. */
    CRYPTO_ERROR(-7),
    /** The session was closed. */
    CLOSED(-8),
    /**
     * A well-formed packet in a form this session does not verify: SRTCP with the E flag clear
     * (authenticated, not encrypted) under {@link SrtpProfile#SRTP_AEAD_AES_128_GCM}. jitsi-srtp
     * 1.1-23 mishandles that form (it leaves the index word inside the tag check), and browsers
     * never send it, so it is dropped rather than passed through unverified.
     */
    UNSUPPORTED(-9);

    private static final SrtpStatus[] BY_NEGATED_CODE = {
            OK, TOO_SHORT, INVALID_PACKET, AUTH_FAILED, REPLAY, REPLAY_TOO_OLD, NO_TAIL_ROOM, CRYPTO_ERROR, CLOSED,
            UNSUPPORTED
    };

    private final int code;

    SrtpStatus(int code) {
        this.code = code;
    }

    /** The value the packet methods return for this status ({@code 0} stands for any length). */
    public int code() {
        return code;
    }

    /**
     * The status a packet method's result stands for: {@link #OK} for every length {@code >= 0}.
     *
     * @throws IllegalArgumentException for a negative value no method returns
     */
    public static SrtpStatus of(int result) {
        if (result >= 0) {
            return OK;
        }
        if (result <= -BY_NEGATED_CODE.length) {
            throw new IllegalArgumentException("not an SRTP result code: " + result);
        }
        return BY_NEGATED_CODE[-result];
    }

    /** {@code true} if {@code result} is a length, i.e. the operation succeeded. */
    public static boolean isOk(int result) {
        return result >= 0;
    }
}
