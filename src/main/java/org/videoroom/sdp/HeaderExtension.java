package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code a=extmap} line (RFC 8285 §8): {@code <id>[/<direction>] SP <uri> [SP <attributes>]},
 * mapping an RTP header extension URI to the local id used in packets.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param id 1..14 fits the one-byte header form, 1..255 the two-byte form (RFC 8285 §4.2, §4.3)
 * @param direction present when the mapping is for one direction only (Firefox writes
 *     {@code 2/recvonly} for csrc-audio-level)
 * @param attributes extension-specific attributes, kept as written
 */
public record HeaderExtension(int id, Optional<Direction> direction, String uri, Optional<String> attributes) {

    public HeaderExtension {
        require(id >= 1 && id <= 255, "extmap id", id);
        Objects.requireNonNull(direction, "direction");
        require(SdpSyntax.isVisible(uri), "extmap uri", uri);
        Objects.requireNonNull(attributes, "attributes");
    }

    /** {@code a=extmap:<id> <uri>}. */
    public static HeaderExtension of(int id, String uri) {
        return new HeaderExtension(id, Optional.empty(), uri, Optional.empty());
    }

    static HeaderExtension parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.size() < 2) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "extmap: " + value);
        }
        String idPart = f.get(0);
        int slash = idPart.indexOf('/');
        long id = SdpSyntax.parseUnsigned(slash < 0 ? idPart : idPart.substring(0, slash), 3, 255);
        Optional<Direction> direction = slash < 0 ? Optional.empty() : Direction.fromWire(idPart.substring(slash + 1));
        if (id < 1 || (slash >= 0 && direction.isEmpty())) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "extmap id: " + idPart);
        }
        Optional<String> attributes = f.size() > 2
                ? Optional.of(String.join(" ", f.subList(2, f.size())))
                : Optional.empty();
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new HeaderExtension((int) id, direction, f.get(1), attributes));
    }

    /** The value after {@code a=extmap:}. */
    public String format() {
        return id + direction.map(d -> "/" + d.wire()).orElse("") + " " + uri + attributes.map(a -> " " + a).orElse("");
    }
}
