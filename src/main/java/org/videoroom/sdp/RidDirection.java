package org.videoroom.sdp;

import java.util.Optional;

/** Direction of an {@code a=rid} line (RFC 8851 §10): the author sends or receives that stream. */
public enum RidDirection {
    SEND("send"),
    RECV("recv");

    private final String wire;

    RidDirection(String wire) {
        this.wire = wire;
    }

    /** The value as written in SDP. */
    public String wire() {
        return wire;
    }

    /** The direction named by {@code wire}, if it is one. */
    public static Optional<RidDirection> fromWire(String wire) {
        for (RidDirection d : values()) {
            if (d.wire.equals(wire)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The other end's view of the same stream. */
    public RidDirection reverse() {
        return this == SEND ? RECV : SEND;
    }
}
