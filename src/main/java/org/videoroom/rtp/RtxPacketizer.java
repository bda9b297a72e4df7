package org.videoroom.rtp;

import java.util.Arrays;
import java.util.Map;
import org.videoroom.buffer.Bytes;

/**
 * Builds RTX retransmission packets (RFC 4588) for one outgoing stream, and turns received RTX
 * packets back into the originals.
 *
 * <p>An RTX packet (RFC 4588 §4) carries the original packet's header with three fields changed,
 * and its payload prefixed with the original sequence number (OSN):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  original RTP header, except: PT = RTX payload type,          |
 * |  sequence number = RTX stream's own, SSRC = RTX SSRC;         |
 * |  timestamp, marker, CSRCs and header extensions are kept      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  original RTP packet payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The original's RTP padding is dropped, as RFC 4588 §4 requires. The RTX payload type is found
 * from the original's through the {@code a=fmtp:<rtx> apt=<original>} pairs negotiated in SDP
 * (RFC 4588 §8.1, the "apt" parameter). The RTX stream numbers its packets itself, starting from
 * a caller-chosen (random, per RFC 3550 §5.1) value.
 *
 * <p>Two ways to build: {@link #packetize} writes into a separate buffer; {@link #packetizeInPlace}
 * shifts the header two bytes into the head room before the packet (see
 * {@link org.videoroom.buffer.BufferPool#HEAD_ROOM_BYTES}) so the payload never moves. Both
 * return failure instead of throwing.
 *
 * <p>Thread-safety: not thread-safe (the RTX sequence counter is plain state); confine an instance
 * to the stream's NACK-responding thread. {@link #depacketizeInPlace} is stateless.
 */
public final class RtxPacketizer {

    /** Size of the original sequence number field that prefixes the RTX payload. */
    public static final int OSN_BYTES = 2;

    private static final int NO_PAYLOAD_TYPE = -1;

    private final long rtxSsrc;
    /** RTX payload type indexed by original payload type, or -1. */
    private final int[] rtxPayloadTypes = new int[128];
    private int nextSequenceNumber;

    /**
     * @param rtxSsrc                  SSRC of the RTX stream ({@code a=ssrc-group:FID primary rtx})
     * @param rtxPayloadTypeByOriginal original payload type to RTX payload type (from {@code apt=})
     * @param initialSequenceNumber    first RTX sequence number; should be random
     * @throws IllegalArgumentException if a payload type or the SSRC is out of range
     */
    public RtxPacketizer(long rtxSsrc, Map<Integer, Integer> rtxPayloadTypeByOriginal, int initialSequenceNumber) {
        if (rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC out of 32-bit range: " + rtxSsrc);
        }
        Arrays.fill(rtxPayloadTypes, NO_PAYLOAD_TYPE);
        rtxPayloadTypeByOriginal.forEach((original, rtx) -> {
            if (original < 0 || original > 127 || rtx < 0 || rtx > 127) {
                throw new IllegalArgumentException("payload type out of 0..127: " + original + " -> " + rtx);
            }
            rtxPayloadTypes[original] = rtx;
        });
        this.rtxSsrc = rtxSsrc;
        this.nextSequenceNumber = initialSequenceNumber & SequenceNumbers.MASK;
    }

    public long rtxSsrc() {
        return rtxSsrc;
    }

    /** The RTX payload type for {@code originalPayloadType}, or -1 if none was negotiated. */
    public int rtxPayloadType(int originalPayloadType) {
        return originalPayloadType >= 0 && originalPayloadType < 128 ? rtxPayloadTypes[originalPayloadType] : NO_PAYLOAD_TYPE;
    }

    /** The sequence number the next RTX packet will get. */
    public int nextSequenceNumber() {
        return nextSequenceNumber;
    }

    /** Bytes an RTX packet built from {@code original} occupies. */
    public static int rtxLength(RtpPacket original) {
        return original.headerLength() + OSN_BYTES + original.payloadLength();
    }

    /**
     * Writes the RTX version of {@code original} to {@code dst[dstOff..]} (which must not overlap the
     * original) and returns its length; or returns -1, consuming no sequence number, if the
     * original's payload type has no RTX payload type or {@code dst} is too small.
     */
    public int packetize(RtpPacket original, byte[] dst, int dstOff) {
        int rtxPt = rtxPayloadType(original.payloadType());
        int length = rtxLength(original);
        if (rtxPt == NO_PAYLOAD_TYPE || !Bytes.inBounds(dst, dstOff, length)) {
            return -1;
        }
        byte[] src = original.buffer();
        int header = original.headerLength();
        System.arraycopy(src, original.offset(), dst, dstOff, header);
        Bytes.putUint16(dst, dstOff + header, original.sequenceNumber());
        System.arraycopy(src, original.payloadOffset(), dst, dstOff + header + OSN_BYTES, original.payloadLength());
        rewriteHeader(dst, dstOff, rtxPt);
        return length;
    }

    /**
     * Turns {@code packet} into its RTX version where it lies: the header moves two bytes towards the
     * array start to make room for the OSN, and the view is re-wrapped at
     * {@code offset() - 2}. Returns false, leaving the packet unchanged, if there is no RTX payload
     * type for it or fewer than {@link #OSN_BYTES} bytes of head room.
     */
    public boolean packetizeInPlace(RtpPacket packet) {
        int rtxPt = rtxPayloadType(packet.payloadType());
        if (rtxPt == NO_PAYLOAD_TYPE || packet.offset() < OSN_BYTES) {
            return false;
        }
        byte[] buf = packet.buffer();
        int header = packet.headerLength();
        int osn = packet.sequenceNumber();
        int length = rtxLength(packet);
        int start = packet.offset() - OSN_BYTES;
        System.arraycopy(buf, packet.offset(), buf, start, header);
        Bytes.putUint16(buf, start + header, osn);
        rewriteHeader(buf, start, rtxPt);
        return packet.wrap(buf, start, length) == RtpPacket.ParseResult.OK;
    }

    /**
     * Restores the original packet from a received RTX packet, in place: the OSN becomes the
     * sequence number, SSRC and payload type become the original stream's, the header moves two
     * bytes forward over the OSN, and the view is re-wrapped at {@code offset() + 2}. Returns false,
     * leaving the packet unchanged, if the payload is shorter than the OSN, e.g. for the
     * padding-only RTX packets that senders use to probe bandwidth.
     */
    public static boolean depacketizeInPlace(RtpPacket rtx, long originalSsrc, int originalPayloadType) {
        if (rtx.payloadLength() < OSN_BYTES) {
            return false;
        }
        byte[] buf = rtx.buffer();
        int header = rtx.headerLength();
        int osn = Bytes.uint16(buf, rtx.payloadOffset());
        int start = rtx.offset() + OSN_BYTES;
        int length = rtx.length() - OSN_BYTES;
        System.arraycopy(buf, rtx.offset(), buf, start, header);
        if (rtx.wrap(buf, start, length) != RtpPacket.ParseResult.OK) {
            return false; // cannot happen: the header is intact and the OSN was inside the payload
        }
        rtx.setSequenceNumber(osn);
        rtx.setSsrc(originalSsrc);
        rtx.setPayloadType(originalPayloadType);
        return true;
    }

    /** Sets PT (keeping M), the next RTX sequence number and the RTX SSRC; clears P. */
    private void rewriteHeader(byte[] buf, int off, int rtxPt) {
        buf[off] &= (byte) ~0x20;
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | rtxPt);
        Bytes.putUint16(buf, off + 2, nextSequenceNumber);
        Bytes.putUint32(buf, off + 8, rtxSsrc);
        nextSequenceNumber = SequenceNumbers.next(nextSequenceNumber);
    }
}
