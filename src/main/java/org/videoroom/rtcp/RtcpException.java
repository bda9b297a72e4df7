package org.videoroom.rtcp;

/**
 * A control-plane error while building RTCP: a field out of its wire range, too many items for a
 * count field, or a destination buffer too small for {@link RtcpPacket#marshalTo}. Parsing never
 * throws it; malformed input is reported through {@link RtcpParser.Status}.
 */
public final class RtcpException extends IllegalArgumentException {

    public RtcpException(String message) {
        super(message);
    }
}
