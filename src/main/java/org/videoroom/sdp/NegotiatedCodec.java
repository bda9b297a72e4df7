package org.videoroom.sdp;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * An accepted codec of one m= section, as the answer lists it (feedback already filtered), with
 * the payload type of its RTX format when RTX was negotiated for it. Payload types are the
 * browser's: the answer reuses the offer's numbers (RFC 3264 §6.1), so they differ between
 * participants and the packet path rewrites them when forwarding.
 *
 * <p>Immutable; safe to share between threads.
 */
public record NegotiatedCodec(Codec codec, OptionalInt rtxPayloadType) {

    public NegotiatedCodec {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(rtxPayloadType, "rtxPayloadType");
    }

    /** The codec's payload type. */
    public int payloadType() {
        return codec.payloadType();
    }

    /** The codec's encoding name. */
    public String name() {
        return codec.name();
    }

    /** True when this codec was answered with this feedback ("nack", "nack pli", ...). */
    public boolean hasFeedback(String feedback) {
        return codec.rtcpFeedback().contains(feedback);
    }
}
