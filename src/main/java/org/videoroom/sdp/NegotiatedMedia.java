package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What was agreed for one m= section, in the form the packet path needs.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param index position of the m= section (the same in offer and answer)
 * @param role what the server does here
 * @param codecs accepted codecs, preferred first; empty when {@link MediaRole#REJECTED}
 * @param headerExtensionIds negotiated extension id by URI (the offer's ids, RFC 8285 §7)
 * @param ssrcs for {@link MediaRole#RECEIVE}: every SSRC the offer announced (media and RTX), for
 *     {@link MediaRole#SEND}: the server's; empty when the browser announces none (Chromium
 *     simulcast), in which case packets are matched by the mid/rid header extensions
 * @param rtxSsrcs media/RTX SSRC pairs (FID groups) among {@code ssrcs}
 * @param rids the simulcast rids the browser sends, lowest layer first as it listed them; empty
 *     without simulcast
 * @param msid the browser's msid for a published track, or the forwarded track's
 * @param cname the RTCP CNAME announced for {@code ssrcs}
 * @param outgoingTrack for {@link MediaRole#SEND}: the forwarded track
 * @param rtcpReducedSize reduced-size RTCP (RFC 5506) was negotiated
 */
public record NegotiatedMedia(int index, String mid, MediaKind kind, MediaRole role, List<NegotiatedCodec> codecs,
        Map<String, Integer> headerExtensionIds, List<Long> ssrcs, List<RtxSsrcPair> rtxSsrcs, List<String> rids,
        Optional<Msid> msid, Optional<String> cname, Optional<OutgoingTrack> outgoingTrack, boolean rtcpReducedSize) {

    public NegotiatedMedia {
        require(index >= 0, "index", index);
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(role, "role");
        codecs = List.copyOf(codecs);
        headerExtensionIds = Collections.unmodifiableMap(new LinkedHashMap<>(headerExtensionIds));
        ssrcs = List.copyOf(ssrcs);
        rtxSsrcs = List.copyOf(rtxSsrcs);
        rids = List.copyOf(rids);
        Objects.requireNonNull(msid, "msid");
        Objects.requireNonNull(cname, "cname");
        Objects.requireNonNull(outgoingTrack, "outgoingTrack");
        require(outgoingTrack.isPresent() == (role == MediaRole.SEND), "outgoing track for role", role);
    }

    /** The negotiated id of a header extension, if it was negotiated here. */
    public OptionalInt headerExtensionId(String uri) {
        Integer id = headerExtensionIds.get(uri);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The primary (non-RTX) codec with this payload type. */
    public Optional<NegotiatedCodec> codec(int payloadType) {
        for (NegotiatedCodec c : codecs) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The codec whose RTX payload type this is (RFC 4588 {@code apt}). */
    public Optional<NegotiatedCodec> codecForRtx(int rtxPayloadType) {
        for (NegotiatedCodec c : codecs) {
            if (c.rtxPayloadType().isPresent() && c.rtxPayloadType().getAsInt() == rtxPayloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The codec with this encoding name and clock rate, first if several (H264 profiles). */
    public Optional<NegotiatedCodec> codec(String name, int clockRate) {
        return codecs.stream().filter(c -> c.codec().is(name, clockRate)).findFirst();
    }

    /** The preferred codec: the first one the answer lists. */
    public Optional<NegotiatedCodec> preferredCodec() {
        return codecs.isEmpty() ? Optional.empty() : Optional.of(codecs.get(0));
    }
}
