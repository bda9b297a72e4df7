package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code a=msid} line (RFC 8830 §2): {@code <msid-id> [SP <msid-appdata>]}, i.e. the
 * MediaStream id and the MediaStreamTrack id. A track outside any stream has stream id "-".
 *
 * <p>Immutable; safe to share between threads.
 */
public record Msid(String streamId, Optional<String> trackId) {

    public Msid {
        require(isMsidToken(streamId), "msid stream id", streamId);
        Objects.requireNonNull(trackId, "trackId");
        trackId.ifPresent(t -> require(isMsidToken(t), "msid track id", t));
    }

    /** {@code <streamId> <trackId>}. */
    public static Msid of(String streamId, String trackId) {
        return new Msid(streamId, Optional.of(trackId));
    }

    /** RFC 8830 §2: 1 to 64 token characters. */
    private static boolean isMsidToken(String s) {
        return s != null && s.length() <= 64 && SdpSyntax.isToken(s);
    }

    static Msid parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.isEmpty() || f.size() > 2) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "msid: " + value);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new Msid(f.get(0), f.size() == 2 ? Optional.of(f.get(1)) : Optional.empty()));
    }

    /** The value after {@code a=msid:}. */
    public String format() {
        return trackId.map(t -> streamId + " " + t).orElse(streamId);
    }
}
