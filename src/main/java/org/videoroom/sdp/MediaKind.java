package org.videoroom.sdp;

import java.util.Optional;

/** The media type of an m= line (RFC 8866 §5.14). */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video"),
    APPLICATION("application"),
    TEXT("text"),
    MESSAGE("message");

    private final String wire;

    MediaKind(String wire) {
        this.wire = wire;
    }

    /** The media type as written in SDP. */
    public String wire() {
        return wire;
    }

    /** The kind named by {@code wire}, if it is one. */
    public static Optional<MediaKind> fromWire(String wire) {
        for (MediaKind k : values()) {
            if (k.wire.equals(wire)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
