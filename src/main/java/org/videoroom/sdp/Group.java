package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;

/**
 * An {@code a=group} line (RFC 5888 §5): {@code <semantics> *(SP <identification-tag>)}. WebRTC
 * uses {@code BUNDLE} (RFC 9143, formerly RFC 8843); the first mid of a BUNDLE group names the
 * tagged m= section whose transport the whole group shares.
 *
 * <p>Immutable; safe to share between threads.
 */
public record Group(String semantics, List<String> mids) {

    /** RFC 9143 semantics. */
    public static final String BUNDLE = "BUNDLE";

    public Group {
        require(SdpSyntax.isToken(semantics), "group semantics", semantics);
        mids = List.copyOf(mids);
        for (String mid : mids) {
            require(SdpSyntax.isToken(mid), "group mid", mid);
        }
    }

    /** True for a BUNDLE group (semantics compare case-insensitively, RFC 5888 §5). */
    public boolean isBundle() {
        return BUNDLE.equalsIgnoreCase(semantics);
    }

    static Group parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.isEmpty()) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "empty group");
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new Group(f.get(0), f.subList(1, f.size())));
    }

    /** The value after {@code a=group:}. */
    public String format() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
