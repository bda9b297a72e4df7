package org.videoroom.room;

/** The kind of a track, with the wire string SDP and the signaling protocol use. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String wire;

    MediaKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the kind for an SDP media type or protocol string, or null for anything else */
    public static MediaKind fromWire(String wire) {
        for (MediaKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return kind;
            }
        }
        return null;
    }
}
