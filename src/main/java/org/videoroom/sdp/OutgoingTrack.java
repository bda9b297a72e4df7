package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server sends on one recvonly m= section of the offer: a forwarded track, identified to
 * the browser by msid (RFC 8830) and by the SSRCs the server writes in its packets (RFC 5576).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param kind must match the m= section's kind
 * @param streamId the MediaStream id the browser groups the track under (one per participant)
 * @param trackId the MediaStreamTrack id
 * @param ssrc the SSRC the server sends media with
 * @param rtxSsrc the SSRC of its retransmissions, used when RTX is negotiated
 * @param cname RTCP CNAME (RFC 3550 §6.5.1), the same for a participant's audio and video so the
 *     browser lip-syncs them
 */
public record OutgoingTrack(MediaKind kind, String streamId, String trackId, long ssrc, OptionalLong rtxSsrc,
        String cname) {

    public OutgoingTrack {
        Objects.requireNonNull(kind, "kind");
        // Validated through the record that will carry them into the answer.
        Msid.of(streamId, trackId);
        require(ssrc >= 0 && ssrc <= SdpSyntax.MAX_UINT32, "ssrc", ssrc);
        Objects.requireNonNull(rtxSsrc, "rtxSsrc");
        rtxSsrc.ifPresent(r -> require(r >= 0 && r <= SdpSyntax.MAX_UINT32 && r != ssrc, "rtx ssrc", r));
        require(SdpSyntax.isVisible(cname), "cname", cname);
    }

    /** The track's msid. */
    public Msid msid() {
        return new Msid(streamId, Optional.of(trackId));
    }
}
