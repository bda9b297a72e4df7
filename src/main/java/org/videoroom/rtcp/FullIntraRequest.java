package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Full Intra Request, FIR (RFC 5104 §4.3.1): PSFB with FMT=4. Each FCI entry names a stream that
 * must send a decoder refresh point, with a command sequence number that the requester increments
 * for every new request (RFC 5104 §4.3.1.2), so a repeated packet is not taken as a new request.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |   PT=206      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SSRC of media source (unused, sent as 0)          |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                              SSRC                             |  FCI entry,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  repeated
 * | Seq nr.       |    Reserved (0)                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param senderSsrc SSRC of the requesting endpoint
 * @param entries    at least one target stream
 */
public record FullIntraRequest(long senderSsrc, List<Entry> entries) implements RtcpPacket {

    private static final int ENTRY_BYTES = 8;

    /** @throws RtcpException if the SSRC is out of range or there is no entry */
    public FullIntraRequest {
        Fields.uint32("senderSsrc", senderSsrc);
        entries = Fields.list("entries", entries, (0xFFFF * 4 - 8) / ENTRY_BYTES);
        if (entries.isEmpty()) {
            throw new RtcpException("a FIR needs at least one FCI entry (RFC 5104 §4.3.1.1)");
        }
    }

    /** A FIR for one stream. */
    public static FullIntraRequest of(long senderSsrc, long mediaSsrc, int sequenceNumber) {
        return new FullIntraRequest(senderSsrc, List.of(new Entry(mediaSsrc, sequenceNumber)));
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_PSFB;
    }

    @Override
    public int marshalSize() {
        return RtcpFeedback.HEADER_BYTES + ENTRY_BYTES * entries.size();
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, RtcpHeader.FMT_FIR, RtcpHeader.PT_PSFB, size);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, 0);
        int p = off + RtcpFeedback.HEADER_BYTES;
        for (Entry entry : entries) {
            Bytes.putUint32(buf, p, entry.ssrc());
            Bytes.putUint32(buf, p + 4, (long) entry.sequenceNumber() << 24);
            p += ENTRY_BYTES;
        }
        return size;
    }

    /** Parses one FIR at {@code buf[off..off+len)} (padding excluded); null if malformed. */
    static FullIntraRequest decode(byte[] buf, int off, int len) {
        int fci = len - RtcpFeedback.HEADER_BYTES;
        if (fci < ENTRY_BYTES || fci % ENTRY_BYTES != 0) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(fci / ENTRY_BYTES);
        for (int p = off + RtcpFeedback.HEADER_BYTES; p < off + len; p += ENTRY_BYTES) {
            entries.add(new Entry(Bytes.uint32(buf, p), Bytes.uint8(buf, p + 4)));
        }
        return new FullIntraRequest(Bytes.uint32(buf, off + 4), entries);
    }

    /**
     * One FCI entry.
     *
     * @param ssrc           the stream that must send a decoder refresh point
     * @param sequenceNumber command sequence number, 0..255, incremented per new request
     */
    public record Entry(long ssrc, int sequenceNumber) {

        /** @throws RtcpException if a field is out of range */
        public Entry {
            Fields.uint32("ssrc", ssrc);
            Fields.range("sequenceNumber", sequenceNumber, 0, 255);
        }
    }
}
