package org.videoroom.sdp;

import java.util.Optional;

/**
 * A well-formed offer the SFU cannot answer: it lacks something WebRTC requires (BUNDLE,
 * rtcp-mux, ICE credentials, a DTLS fingerprint) or offers nothing the {@link CodecPolicy}
 * accepts. Control-plane error; callers and tests branch on {@link #reason()}.
 */
public final class SdpNegotiationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the offer cannot be answered. */
    public enum Reason {
        /** No {@code a=group:BUNDLE} (the product requires max-bundle, RFC 9143). */
        NO_BUNDLE,
        /** More than one BUNDLE group; one transport per participant is all the SFU runs. */
        MULTIPLE_BUNDLE_GROUPS,
        /** An accepted m= section lacks {@code a=rtcp-mux} (RFC 5761; the browsers use rtcpMuxPolicy 'require'). */
        NO_RTCP_MUX,
        /** No {@code a=fingerprint} for the bundle transport (RFC 5763 §5). */
        NO_FINGERPRINT,
        /** No {@code a=ice-ufrag} / {@code a=ice-pwd} for the bundle transport (RFC 8839 §5.4). */
        NO_ICE_CREDENTIALS,
        /** The offer's {@code a=setup} does not let the server be the passive DTLS endpoint. */
        INCOMPATIBLE_SETUP,
        /** An m= section has no {@code a=mid} (BUNDLE groups name sections by mid, RFC 5888 §5). */
        NO_MID,
        /** An m= section offers no codec the policy accepts, or lacks a codec the policy requires. */
        NO_COMMON_CODEC,
        /** No m= section can be accepted, so there is no transport to answer with. */
        NOTHING_ACCEPTED,
        /** An {@link OutgoingTrack} was given for a mid that is not a recvonly m= section of its kind. */
        OUTGOING_TRACK_MISMATCH
    }

    private final Reason reason;
    private final String mid;

    /**
     * @param reason why the offer cannot be answered
     * @param mid the m= section concerned, or null when the fault is session-wide
     * @param detail human-readable detail for logs
     */
    public SdpNegotiationException(Reason reason, String mid, String detail) {
        super(mid == null ? reason + ": " + detail : reason + " (mid " + mid + "): " + detail);
        this.reason = reason;
        this.mid = mid;
    }

    /** Why the offer cannot be answered. */
    public Reason reason() {
        return reason;
    }

    /** The m= section concerned, if the fault is tied to one. */
    public Optional<String> mid() {
        return Optional.ofNullable(mid);
    }
}
