package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

/**
 * A b= line (RFC 8866 §5.8): {@code <bwtype>:<bandwidth>}, e.g. {@code AS:300} (kbit/s) or
 * {@code TIAS:300000} (bit/s, RFC 3890).
 *
 * <p>Immutable; safe to share between threads.
 */
public record Bandwidth(String type, long bandwidth) {

    public Bandwidth {
        require(SdpSyntax.isToken(type), "b= bwtype", type);
        require(bandwidth >= 0, "b= bandwidth", bandwidth);
    }

    static Bandwidth parse(String value) {
        int colon = value.indexOf(':');
        long bw = colon < 0 ? -1 : SdpSyntax.parseUnsigned(value.substring(colon + 1), 18, Long.MAX_VALUE);
        if (bw < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_BANDWIDTH, value);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_BANDWIDTH,
                () -> new Bandwidth(value.substring(0, colon), bw));
    }

    /** The value after {@code b=}. */
    public String format() {
        return type + ":" + bandwidth;
    }
}
