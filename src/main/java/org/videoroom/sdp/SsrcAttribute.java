package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=ssrc} line (RFC 5576 §4.1): {@code <ssrc-id> SP <attribute>[:<value>]}, e.g.
 * {@code a=ssrc:2791869824 cname:uuEi9sL/eQO693ge}.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param ssrc the RTP SSRC, unsigned 32-bit
 * @param attribute the source attribute's name ({@code cname}, {@code msid}, ...)
 */
public record SsrcAttribute(long ssrc, String attribute, Optional<String> value) {

    /** RFC 5576 §6.1: the source's RTCP CNAME. */
    public static final String CNAME = "cname";
    /** The per-source msid Chromium still writes next to the media-level {@code a=msid}. */
    public static final String MSID = "msid";

    public SsrcAttribute {
        require(ssrc >= 0 && ssrc <= SdpSyntax.MAX_UINT32, "ssrc", ssrc);
        require(SdpSyntax.isToken(attribute), "ssrc attribute", attribute);
        Objects.requireNonNull(value, "value");
    }

    /** {@code <ssrc> <attribute>:<value>}. */
    public static SsrcAttribute of(long ssrc, String attribute, String value) {
        return new SsrcAttribute(ssrc, attribute, Optional.of(value));
    }

    static SsrcAttribute parse(String value) {
        int space = value.indexOf(' ');
        long ssrc = space < 0 ? -1 : SdpSyntax.parseUnsigned(value.substring(0, space), 10, SdpSyntax.MAX_UINT32);
        if (ssrc < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "ssrc: " + value);
        }
        String rest = value.substring(space + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        Optional<String> attrValue = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE, () -> new SsrcAttribute(ssrc, name, attrValue));
    }

    /** The value after {@code a=ssrc:}. */
    public String format() {
        return ssrc + " " + value.map(v -> attribute + ":" + v).orElse(attribute);
    }
}
