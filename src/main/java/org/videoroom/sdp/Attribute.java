package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Objects;
import java.util.Optional;

/**
 * An attribute line the model has no typed field for, kept verbatim (RFC 8866 §5.13:
 * {@code a=<name>} or {@code a=<name>:<value>}), so unknown attributes survive a round trip.
 *
 * <p>Immutable; safe to share between threads.
 */
public record Attribute(String name, Optional<String> value) {

    public Attribute {
        require(SdpSyntax.isToken(name), "attribute name", name);
        Objects.requireNonNull(value, "value");
    }

    /** A property attribute, {@code a=<name>}. */
    public static Attribute flag(String name) {
        return new Attribute(name, Optional.empty());
    }

    /** A value attribute, {@code a=<name>:<value>}. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Optional.of(value));
    }

    /** The text after {@code a=}. */
    public String format() {
        return value.map(v -> name + ":" + v).orElse(name);
    }
}
