package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

/**
 * A media SSRC and the SSRC of its RTX retransmissions ({@code a=ssrc-group:FID}, RFC 4588 §8).
 *
 * <p>Immutable; safe to share between threads.
 */
public record RtxSsrcPair(long mediaSsrc, long rtxSsrc) {

    public RtxSsrcPair {
        require(mediaSsrc >= 0 && mediaSsrc <= SdpSyntax.MAX_UINT32, "media ssrc", mediaSsrc);
        require(rtxSsrc >= 0 && rtxSsrc <= SdpSyntax.MAX_UINT32 && rtxSsrc != mediaSsrc, "rtx ssrc", rtxSsrc);
    }
}
