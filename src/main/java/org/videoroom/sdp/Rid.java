package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code a=rid} line (RFC 8851 §10): {@code <rid-id> SP <send|recv> [SP <restrictions>]}, e.g.
 * {@code a=rid:h send} for one simulcast layer.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param restrictions the optional {@code pt=...;max-width=...} list, kept as written
 */
public record Rid(String id, RidDirection direction, Optional<String> restrictions) {

    public Rid {
        require(isRidId(id), "rid-id", id);
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(restrictions, "restrictions");
        restrictions.ifPresent(r -> require(SdpSyntax.isVisible(r), "rid restrictions", r));
    }

    /** RFC 8851 §10 rid-id: 1*(ALPHA / DIGIT / "-" / "_"). RFC 8852 §3.1 caps it at 255 bytes. */
    static boolean isRidId(String s) {
        if (s == null || s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Rid parse(String value) {
        var f = SdpSyntax.words(value);
        Optional<RidDirection> dir = f.size() >= 2 ? RidDirection.fromWire(f.get(1)) : Optional.empty();
        if (f.size() > 3 || dir.isEmpty()) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "rid: " + value);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new Rid(f.get(0), dir.get(), f.size() == 3 ? Optional.of(f.get(2)) : Optional.empty()));
    }

    /** The value after {@code a=rid:}. */
    public String format() {
        return id + " " + direction.wire() + restrictions.map(r -> " " + r).orElse("");
    }
}
