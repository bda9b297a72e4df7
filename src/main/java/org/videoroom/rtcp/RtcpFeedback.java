package org.videoroom.rtcp;

import org.videoroom.buffer.Bytes;

/**
 * In-place access to the common part of feedback messages, RTPFB (205) and PSFB (206), per
 * RFC 4585 §6.1:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 *
 * A forwarding SFU relays a subscriber's PLI or NACK to the publisher by rewriting the two SSRCs
 * in the received bytes, without building objects. (FIR and REMB leave the media SSRC at 0 and
 * name their targets in the FCI; build those afresh instead, see {@link FullIntraRequest}.)
 *
 * <p>All methods check bounds and the packet type and report failure by return value; none
 * allocates or throws. {@code off}/{@code len} delimit one RTCP packet. Thread-safety: stateless.
 */
public final class RtcpFeedback {

    /** Common header, sender SSRC and media source SSRC. */
    public static final int HEADER_BYTES = 12;

    private RtcpFeedback() {
    }

    /** Whether {@code buf[off..off+len)} starts with an RTPFB or PSFB header and holds both SSRCs. */
    public static boolean isFeedback(byte[] buf, int off, int len) {
        if (len < HEADER_BYTES || !Bytes.inBounds(buf, off, len)) {
            return false;
        }
        int pt = RtcpHeader.packetType(buf, off);
        return RtcpHeader.version(buf, off) == RtcpHeader.VERSION
                && (pt == RtcpHeader.PT_RTPFB || pt == RtcpHeader.PT_PSFB);
    }

    /** The packet sender's SSRC, or -1 if this is not a feedback message. */
    public static long senderSsrc(byte[] buf, int off, int len) {
        return isFeedback(buf, off, len) ? Bytes.uint32(buf, off + 4) : -1;
    }

    /** The media source SSRC, or -1 if this is not a feedback message. */
    public static long mediaSsrc(byte[] buf, int off, int len) {
        return isFeedback(buf, off, len) ? Bytes.uint32(buf, off + 8) : -1;
    }

    /** Overwrites the packet sender's SSRC; false (nothing written) if this is not a feedback message. */
    public static boolean setSenderSsrc(byte[] buf, int off, int len, long ssrc) {
        if (!isFeedback(buf, off, len)) {
            return false;
        }
        Bytes.putUint32(buf, off + 4, ssrc);
        return true;
    }

    /** Overwrites the media source SSRC; false (nothing written) if this is not a feedback message. */
    public static boolean setMediaSsrc(byte[] buf, int off, int len, long ssrc) {
        if (!isFeedback(buf, off, len)) {
            return false;
        }
        Bytes.putUint32(buf, off + 8, ssrc);
        return true;
    }
}
