package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code a=ssrc-group} line (RFC 5576 §4.2): {@code <semantics> *(SP <ssrc-id>)}. {@code FID}
 * (RFC 5576 §4.2, used with RTX, RFC 4588 §8) pairs a media SSRC with its retransmission SSRC;
 * {@code SIM} lists simulcast layers (Chromium's legacy simulcast).
 *
 * <p>Immutable; safe to share between threads.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    /** Flow identification: {@code FID <media ssrc> <rtx ssrc>}. */
    public static final String FID = "FID";
    /** Legacy simulcast layers, lowest first. */
    public static final String SIM = "SIM";

    public SsrcGroup {
        require(SdpSyntax.isToken(semantics), "ssrc-group semantics", semantics);
        ssrcs = List.copyOf(ssrcs);
        require(!ssrcs.isEmpty(), "ssrc-group ssrcs", ssrcs);
        for (long ssrc : ssrcs) {
            require(ssrc >= 0 && ssrc <= SdpSyntax.MAX_UINT32, "ssrc", ssrc);
        }
    }

    /** True for an {@code FID} group. */
    public boolean isFid() {
        return FID.equals(semantics);
    }

    static SsrcGroup parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.size() < 2) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "ssrc-group: " + value);
        }
        List<Long> ssrcs = new ArrayList<>();
        for (String s : f.subList(1, f.size())) {
            long ssrc = SdpSyntax.parseUnsigned(s, 10, SdpSyntax.MAX_UINT32);
            if (ssrc < 0) {
                throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "ssrc-group ssrc: " + s);
            }
            ssrcs.add(ssrc);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE, () -> new SsrcGroup(f.get(0), ssrcs));
    }

    /** The value after {@code a=ssrc-group:}. */
    public String format() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long ssrc : ssrcs) {
            sb.append(' ').append(ssrc);
        }
        return sb.toString();
    }
}
