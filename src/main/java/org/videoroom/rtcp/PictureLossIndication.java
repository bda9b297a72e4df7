package org.videoroom.rtcp;

import org.videoroom.buffer.Bytes;

/**
 * Picture Loss Indication, PLI (RFC 4585 §6.3.1): PSFB with FMT=1 and no FCI. It asks the sender of
 * {@code mediaSsrc} for a new keyframe.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param senderSsrc SSRC of the requesting endpoint
 * @param mediaSsrc  SSRC of the stream that needs a keyframe
 */
public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpPacket {

    private static final int BYTES = RtcpFeedback.HEADER_BYTES;

    /** @throws RtcpException if an SSRC is out of range */
    public PictureLossIndication {
        Fields.uint32("senderSsrc", senderSsrc);
        Fields.uint32("mediaSsrc", mediaSsrc);
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_PSFB;
    }

    @Override
    public int marshalSize() {
        return BYTES;
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        Fields.space(buf, off, BYTES);
        RtcpHeader.write(buf, off, RtcpHeader.FMT_PLI, RtcpHeader.PT_PSFB, BYTES);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, mediaSsrc);
        return BYTES;
    }

    /** Parses one PLI at {@code buf[off..off+len)} (padding excluded); null if malformed. */
    static PictureLossIndication decode(byte[] buf, int off, int len) {
        if (len < BYTES) {
            return null;
        }
        return new PictureLossIndication(Bytes.uint32(buf, off + 4), Bytes.uint32(buf, off + 8));
    }
}
