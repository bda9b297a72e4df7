package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the SFU can receive and forward: codecs per media kind (in preference order: the answer
 * lists them so, and a browser sends with the first one it supports), whether RTX is used, which
 * RTCP feedback messages and RTP header extensions are negotiated, and whether simulcast is
 * accepted. Immutable.
 *
 * @param audioCodecs audio codec rules, most preferred first
 * @param videoCodecs video codec rules, most preferred first
 * @param rtx keep RTX (RFC 4588) for accepted codecs that offer it
 * @param rtcpFeedback accepted {@code a=rtcp-fb} values, e.g. "nack pli"
 * @param headerExtensions accepted extension URIs ({@link HeaderExtensionUris})
 * @param simulcast answer {@code a=simulcast} / {@code a=rid} on publishing m= sections; needs
 *     {@link HeaderExtensionUris#RTP_STREAM_ID} in {@code headerExtensions}, since rids travel in it
 */
public record CodecPolicy(List<CodecRule> audioCodecs, List<CodecRule> videoCodecs, boolean rtx,
        Set<String> rtcpFeedback, Set<String> headerExtensions, boolean simulcast) {

    public CodecPolicy {
        audioCodecs = List.copyOf(audioCodecs);
        videoCodecs = List.copyOf(videoCodecs);
        rtcpFeedback = Set.copyOf(rtcpFeedback);
        headerExtensions = Set.copyOf(headerExtensions);
        require(!simulcast || headerExtensions.contains(HeaderExtensionUris.RTP_STREAM_ID),
                "simulcast without the rtp-stream-id extension", headerExtensions);
    }

    /**
     * The SFU's policy today: Opus 48000/2 required for audio; VP8 required and H264 with
     * packetization-mode=1 accepted for video (VP9 and AV1 not yet); RTX kept; feedback nack,
     * nack pli, ccm fir, goog-remb, transport-cc; header extensions mid, audio level, abs-send-time
     * and transport-wide cc; no simulcast.
     */
    public static CodecPolicy defaults() {
        return new CodecPolicy(
                List.of(CodecRule.required("opus", 48000, 2)),
                List.of(CodecRule.required("VP8", 90000, 1),
                        CodecRule.accepted("H264", 90000, 1).withParameter("packetization-mode", "1")),
                true,
                Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"),
                Set.of(HeaderExtensionUris.MID, HeaderExtensionUris.AUDIO_LEVEL, HeaderExtensionUris.ABS_SEND_TIME,
                        HeaderExtensionUris.TRANSPORT_WIDE_CC),
                false);
    }

    /** This policy accepting simulcast, with the rid extensions added to the accepted ones. */
    public CodecPolicy withSimulcast() {
        Set<String> extensions = new LinkedHashSet<>(headerExtensions);
        extensions.add(HeaderExtensionUris.RTP_STREAM_ID);
        extensions.add(HeaderExtensionUris.REPAIRED_RTP_STREAM_ID);
        return new CodecPolicy(audioCodecs, videoCodecs, rtx, rtcpFeedback, extensions, true);
    }

    /** The codec rules for {@code kind}; none for kinds the SFU does not carry. */
    public List<CodecRule> codecs(MediaKind kind) {
        return switch (kind) {
            case AUDIO -> audioCodecs;
            case VIDEO -> videoCodecs;
            default -> List.of();
        };
    }
}
