package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Receiver Estimated Maximum Bitrate, REMB (draft-alvestrand-rmcat-remb-03 §2): an application
 * layer feedback message (PSFB, FMT=15, RFC 4585 §6.4) telling the sender the total bitrate the
 * receiver estimates it can take for the listed streams.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |  Num SSRC
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  times
 * </pre>
 *
 * The bitrate is sent as an 18-bit mantissa times 2^(6-bit exponent), so a marshalled value is
 * rounded down to 18 significant bits: {@code bitrateBps} survives a round trip only if it is
 * representable (e.g. below 262144, or a mantissa shifted left).
 *
 * @param senderSsrc SSRC of the estimating receiver
 * @param bitrateBps the estimate in bits per second (parsed values that overflow a long saturate)
 * @param ssrcs      the streams the estimate applies to, up to 255
 */
public record ReceiverEstimatedMaxBitrate(long senderSsrc, long bitrateBps, List<Long> ssrcs) implements RtcpPacket {

    /** The unique identifier that distinguishes REMB from other application layer feedback. */
    static final int IDENTIFIER = 'R' << 24 | 'E' << 16 | 'M' << 8 | 'B';

    private static final int FIXED_BYTES = 20;
    private static final int MANTISSA_BITS = 18;
    private static final long MANTISSA_MAX = (1L << MANTISSA_BITS) - 1;

    /** @throws RtcpException if a field is out of range or there are more than 255 SSRCs */
    public ReceiverEstimatedMaxBitrate {
        Fields.uint32("senderSsrc", senderSsrc);
        if (bitrateBps < 0) {
            throw new RtcpException("negative bitrate: " + bitrateBps);
        }
        ssrcs = Fields.list("ssrcs", ssrcs, 255);
        ssrcs.forEach(ssrc -> Fields.uint32("ssrc", ssrc));
    }

    /** Whether the PSFB FMT=15 packet at {@code buf[off..off+len)} carries the REMB identifier. */
    static boolean isRemb(byte[] buf, int off, int len) {
        return len >= FIXED_BYTES && Bytes.uint32(buf, off + 12) == IDENTIFIER;
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_PSFB;
    }

    @Override
    public int marshalSize() {
        return marshalSize(ssrcs.size());
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        writeFixed(buf, off, senderSsrc, bitrateBps, ssrcs.size());
        int p = off + FIXED_BYTES;
        for (long ssrc : ssrcs) {
            Bytes.putUint32(buf, p, ssrc);
            p += 4;
        }
        return size;
    }

    /** The size of a REMB listing {@code ssrcCount} streams. */
    public static int marshalSize(int ssrcCount) {
        return FIXED_BYTES + 4 * ssrcCount;
    }

    /**
     * Writes a REMB for {@code ssrcs[0..count)} at {@code buf[off..]} without building the record: the packet
     * path sends one every second or so per publisher and should not leave garbage for it. Same checks and
     * bytes as {@link #marshalTo}.
     *
     * @return the bytes written, {@link #marshalSize(int)}
     * @throws RtcpException if a field is out of range, there are more than 255 SSRCs, or the buffer is too small
     */
    public static int writeTo(byte[] buf, int off, long senderSsrc, long bitrateBps, long[] ssrcs, int count) {
        Fields.uint32("senderSsrc", senderSsrc);
        if (bitrateBps < 0) {
            throw new RtcpException("negative bitrate: " + bitrateBps);
        }
        Fields.range("ssrc count", count, 0, Math.min(255, ssrcs.length));
        for (int i = 0; i < count; i++) {
            Fields.uint32("ssrc", ssrcs[i]);
        }
        int size = marshalSize(count);
        Fields.space(buf, off, size);
        writeFixed(buf, off, senderSsrc, bitrateBps, count);
        for (int i = 0; i < count; i++) {
            Bytes.putUint32(buf, off + FIXED_BYTES + 4 * i, ssrcs[i]);
        }
        return size;
    }

    private static void writeFixed(byte[] buf, int off, long senderSsrc, long bitrateBps, int ssrcCount) {
        RtcpHeader.write(buf, off, RtcpHeader.FMT_AFB, RtcpHeader.PT_PSFB, marshalSize(ssrcCount));
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, 0);
        Bytes.putUint32(buf, off + 12, IDENTIFIER);
        // The largest 18-bit mantissa with an exponent that fits: the value rounded down, never up.
        long mantissa = bitrateBps;
        int exponent = 0;
        while (mantissa > MANTISSA_MAX) {
            mantissa >>>= 1;
            exponent++;
        }
        buf[off + 16] = (byte) ssrcCount;
        Bytes.putUint24(buf, off + 17, exponent << MANTISSA_BITS | (int) mantissa);
    }

    /** Parses one REMB at {@code buf[off..off+len)} (padding excluded); null if malformed. */
    static ReceiverEstimatedMaxBitrate decode(byte[] buf, int off, int len) {
        if (!isRemb(buf, off, len)) {
            return null;
        }
        int count = Bytes.uint8(buf, off + 16);
        if (len < FIXED_BYTES + 4 * count) {
            return null;
        }
        int field = Bytes.uint24(buf, off + 17);
        int exponent = field >>> MANTISSA_BITS;
        long mantissa = field & MANTISSA_MAX;
        // Up to 2^63 * (2^18 - 1) can be signalled; saturate instead of overflowing.
        long bitrate = exponent > 0 && mantissa > Long.MAX_VALUE >>> exponent ? Long.MAX_VALUE : mantissa << exponent;
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(Bytes.uint32(buf, off + FIXED_BYTES + 4 * i));
        }
        return new ReceiverEstimatedMaxBitrate(Bytes.uint32(buf, off + 4), bitrate, ssrcs);
    }
}
