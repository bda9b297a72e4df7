package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Receiver report, RR (RFC 3550 §6.4.2):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * An RR with no blocks is the customary first packet of a compound sent by a pure receiver.
 * Profile-specific extensions after the report blocks are skipped when parsing and not written.
 *
 * @param senderSsrc   SSRC of the reporting endpoint
 * @param reportBlocks up to 31 reception reports
 */
public record ReceiverReport(long senderSsrc, List<ReportBlock> reportBlocks) implements RtcpPacket {

    private static final int FIXED_BYTES = 8;

    /** @throws RtcpException if the SSRC is out of range or there are more than 31 blocks */
    public ReceiverReport {
        Fields.uint32("senderSsrc", senderSsrc);
        reportBlocks = Fields.list("reportBlocks", reportBlocks, RtcpHeader.MAX_COUNT);
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_RR;
    }

    @Override
    public int marshalSize() {
        return FIXED_BYTES + ReportBlock.BYTES * reportBlocks.size();
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, reportBlocks.size(), RtcpHeader.PT_RR, size);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        for (int i = 0; i < reportBlocks.size(); i++) {
            reportBlocks.get(i).encode(buf, off + FIXED_BYTES + i * ReportBlock.BYTES);
        }
        return size;
    }

    /** Parses one RR at {@code buf[off..off+len)} (padding already excluded); null if malformed. */
    static ReceiverReport decode(byte[] buf, int off, int len) {
        int count = RtcpHeader.count(buf, off);
        if (len < FIXED_BYTES + count * ReportBlock.BYTES) {
            return null;
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.decode(buf, off + FIXED_BYTES + i * ReportBlock.BYTES));
        }
        return new ReceiverReport(Bytes.uint32(buf, off + 4), blocks);
    }
}
