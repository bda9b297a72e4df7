package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;

/**
 * The session-level {@code a=msid-semantic} line from the msid drafts that browsers still write
 * ({@code WMS <stream ids>} from Chromium, {@code WMS *} from Firefox). RFC 8830 no longer defines
 * it; it is modelled because both browsers send it and older Chromium builds expect it back.
 *
 * <p>Immutable; safe to share between threads.
 */
public record MsidSemantic(String semantic, List<String> identifiers) {

    public MsidSemantic {
        require(SdpSyntax.isToken(semantic), "msid-semantic", semantic);
        identifiers = List.copyOf(identifiers);
        for (String id : identifiers) {
            require(SdpSyntax.isVisible(id), "msid-semantic identifier", id);
        }
    }

    static MsidSemantic parse(String value) {
        // Chromium writes "a=msid-semantic: WMS id", with a space after the colon.
        List<String> f = SdpSyntax.words(value);
        if (f.isEmpty()) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "empty msid-semantic");
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new MsidSemantic(f.get(0), f.subList(1, f.size())));
    }

    /** The value after {@code a=msid-semantic:}. */
    public String format() {
        return identifiers.isEmpty() ? semantic : semantic + " " + String.join(" ", identifiers);
    }
}
