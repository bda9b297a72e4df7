package org.videoroom.sdp;

import java.util.Optional;

/**
 * Media direction attribute (RFC 8866 §6.7, RFC 3264 §5.1), always from the point of view of the
 * description's author. An m= section without one is {@link #SENDRECV}.
 */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String wire;

    Direction(String wire) {
        this.wire = wire;
    }

    /** The attribute name as written in SDP. */
    public String wire() {
        return wire;
    }

    /** The direction named by {@code wire}, if it is one. */
    public static Optional<Direction> fromWire(String wire) {
        for (Direction d : values()) {
            if (d.wire.equals(wire)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The same flow seen from the other end: sendonly and recvonly swap (RFC 3264 §6.1). */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** True when the author sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** True when the author receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
