package org.videoroom.rtcp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An RTCP packet this package does not model (APP, XR, feedback types other than NACK, TWCC, PLI,
 * FIR and REMB), kept verbatim: header, body and padding exactly as received, so that it can be
 * inspected with {@link RtcpHeader}/{@link RtcpFeedback} or relayed unchanged.
 *
 * <p>Immutable: the constructor and {@link #bytes()} copy.
 */
public final class RawRtcpPacket implements RtcpPacket {

    private final byte[] bytes;

    /**
     * @param bytes one whole RTCP packet (copied)
     * @throws RtcpException if it is not a version-2 RTCP packet whose length field matches its size
     */
    public RawRtcpPacket(byte[] bytes) {
        if (bytes.length < RtcpHeader.HEADER_BYTES || RtcpHeader.version(bytes, 0) != RtcpHeader.VERSION
                || RtcpHeader.packetLength(bytes, 0) != bytes.length) {
            throw new RtcpException("not a single RTCP packet: " + bytes.length + " bytes");
        }
        this.bytes = bytes.clone();
    }

    /** Copies the packet at {@code buf[off..off+len)}; the parser has already checked its header. */
    static RawRtcpPacket copyOf(byte[] buf, int off, int len) {
        return new RawRtcpPacket(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public int packetType() {
        return RtcpHeader.packetType(bytes, 0);
    }

    /** The 5-bit count/FMT field. */
    public int count() {
        return RtcpHeader.count(bytes, 0);
    }

    /** The packet, header and padding included (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int marshalSize() {
        return bytes.length;
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        Fields.space(buf, off, bytes.length);
        System.arraycopy(bytes, 0, buf, off, bytes.length);
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRtcpPacket other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawRtcpPacket[pt=" + packetType() + ", count=" + count() + ", bytes="
                + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)) + (bytes.length > 64 ? "..." : "") + "]";
    }
}
