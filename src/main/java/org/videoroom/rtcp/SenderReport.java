package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Sender report, SR (RFC 3550 §6.4.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * Profile-specific extensions after the report blocks are skipped when parsing and not written.
 *
 * @param senderSsrc   SSRC of the sending stream
 * @param ntpTimestamp 64-bit NTP wallclock time of this report ({@link NtpTime})
 * @param rtpTimestamp the same instant in the stream's RTP clock
 * @param packetCount  RTP packets sent since the start (wraps at 2^32)
 * @param octetCount   payload octets sent since the start (wraps at 2^32)
 * @param reportBlocks up to 31 reception reports
 */
public record SenderReport(long senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reportBlocks) implements RtcpPacket {

    private static final int FIXED_BYTES = 28;

    /** @throws RtcpException if a field is outside its wire range or there are more than 31 blocks */
    public SenderReport {
        Fields.uint32("senderSsrc", senderSsrc);
        Fields.uint32("rtpTimestamp", rtpTimestamp);
        Fields.uint32("packetCount", packetCount);
        Fields.uint32("octetCount", octetCount);
        reportBlocks = Fields.list("reportBlocks", reportBlocks, RtcpHeader.MAX_COUNT);
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_SR;
    }

    @Override
    public int marshalSize() {
        return FIXED_BYTES + ReportBlock.BYTES * reportBlocks.size();
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, reportBlocks.size(), RtcpHeader.PT_SR, size);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putInt64(buf, off + 8, ntpTimestamp);
        Bytes.putUint32(buf, off + 16, rtpTimestamp);
        Bytes.putUint32(buf, off + 20, packetCount);
        Bytes.putUint32(buf, off + 24, octetCount);
        for (int i = 0; i < reportBlocks.size(); i++) {
            reportBlocks.get(i).encode(buf, off + FIXED_BYTES + i * ReportBlock.BYTES);
        }
        return size;
    }

    /** Parses one SR at {@code buf[off..off+len)} (padding already excluded); null if malformed. */
    static SenderReport decode(byte[] buf, int off, int len) {
        int count = RtcpHeader.count(buf, off);
        if (len < FIXED_BYTES + count * ReportBlock.BYTES) {
            return null;
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.decode(buf, off + FIXED_BYTES + i * ReportBlock.BYTES));
        }
        return new SenderReport(Bytes.uint32(buf, off + 4), Bytes.int64(buf, off + 8), Bytes.uint32(buf, off + 16),
                Bytes.uint32(buf, off + 20), Bytes.uint32(buf, off + 24), blocks);
    }
}
