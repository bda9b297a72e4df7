package org.videoroom.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Goodbye, BYE (RFC 3550 §6.6):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |  SC times
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     length    |               reason for leaving ...          |  optional
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ssrcs  the sources leaving, up to 31
 * @param reason UTF-8 reason text (at most 255 bytes); empty when the packet carries none
 */
public record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {

    /** @throws RtcpException if an SSRC is out of range, there are more than 31, or the reason is too long */
    public Goodbye {
        ssrcs = Fields.list("ssrcs", ssrcs, RtcpHeader.MAX_COUNT);
        ssrcs.forEach(ssrc -> Fields.uint32("ssrc", ssrc));
        Fields.range("reason bytes", reason.getBytes(StandardCharsets.UTF_8).length, 0, 255);
    }

    /** A BYE for {@code ssrcs} with no reason. */
    public static Goodbye of(long... ssrcs) {
        List<Long> list = new ArrayList<>(ssrcs.length);
        for (long ssrc : ssrcs) {
            list.add(ssrc);
        }
        return new Goodbye(list, "");
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_BYE;
    }

    @Override
    public int marshalSize() {
        int size = RtcpHeader.HEADER_BYTES + 4 * ssrcs.size();
        if (!reason.isEmpty()) {
            size += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
        }
        return size;
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, ssrcs.size(), RtcpHeader.PT_BYE, size);
        int p = off + RtcpHeader.HEADER_BYTES;
        for (long ssrc : ssrcs) {
            Bytes.putUint32(buf, p, ssrc);
            p += 4;
        }
        if (!reason.isEmpty()) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            buf[p] = (byte) text.length;
            System.arraycopy(text, 0, buf, p + 1, text.length);
            for (p += 1 + text.length; p < off + size; p++) {
                buf[p] = 0; // pad the reason to a 32-bit boundary with null octets
            }
        }
        return size;
    }

    /** Parses one BYE at {@code buf[off..off+len)} (padding already excluded); null if malformed. */
    static Goodbye decode(byte[] buf, int off, int len) {
        int count = RtcpHeader.count(buf, off);
        int p = off + RtcpHeader.HEADER_BYTES;
        int end = off + len;
        if (p + 4 * count > end) {
            return null;
        }
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(Bytes.uint32(buf, p));
            p += 4;
        }
        String reason = "";
        if (p < end) {
            int length = buf[p] & 0xFF;
            if (p + 1 + length > end) {
                return null;
            }
            reason = new String(buf, p + 1, length, StandardCharsets.UTF_8);
        }
        return new Goodbye(ssrcs, reason);
    }
}
