package org.videoroom.sdp;

import java.util.Optional;

/**
 * The {@code a=setup} attribute (RFC 4145 §4, RFC 5763 §5): which end opens the DTLS
 * association. {@link #ACTIVE} is the DTLS client, {@link #PASSIVE} the DTLS server.
 */
public enum Setup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String wire;

    Setup(String wire) {
        this.wire = wire;
    }

    /** The value as written in SDP. */
    public String wire() {
        return wire;
    }

    /** The role named by {@code wire}, if it is one. */
    public static Optional<Setup> fromWire(String wire) {
        for (Setup s : values()) {
            if (s.wire.equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
