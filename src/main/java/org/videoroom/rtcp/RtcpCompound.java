package org.videoroom.rtcp;

import java.util.List;

/**
 * Concatenates RTCP packets into one compound packet (RFC 3550 §6.1), the unit that is encrypted
 * and sent in one datagram.
 *
 * <p>The caller chooses the order. RFC 3550 §6.1 asks for an SR or RR first and an SDES with a
 * CNAME in every regular compound; feedback-only compounds may omit them where reduced-size RTCP
 * (RFC 5506) was negotiated. Nothing here enforces either. Leave room after the compound in the
 * buffer for the SRTCP index and tag ({@link org.videoroom.buffer.BufferPool#TAIL_ROOM_BYTES}).
 *
 * <p>Thread-safety: stateless.
 */
public final class RtcpCompound {

    private RtcpCompound() {
    }

    /** Total bytes of the packets. */
    public static int marshalSize(List<? extends RtcpPacket> packets) {
        int size = 0;
        for (RtcpPacket packet : packets) {
            size += packet.marshalSize();
        }
        return size;
    }

    /**
     * Writes the packets one after another at {@code buf[off..]} and returns the bytes written.
     *
     * @throws RtcpException if they do not fit (nothing is written then)
     */
    public static int marshalTo(List<? extends RtcpPacket> packets, byte[] buf, int off) {
        Fields.space(buf, off, marshalSize(packets));
        int p = off;
        for (RtcpPacket packet : packets) {
            p += packet.marshalTo(buf, p);
        }
        return p - off;
    }

    /** The compound packet in a new array. */
    public static byte[] marshal(List<? extends RtcpPacket> packets) {
        byte[] buf = new byte[marshalSize(packets)];
        marshalTo(packets, buf, 0);
        return buf;
    }
}
