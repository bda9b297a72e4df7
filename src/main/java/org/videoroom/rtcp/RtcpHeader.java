package org.videoroom.rtcp;

import org.videoroom.buffer.Bytes;

/**
 * The common header that starts every RTCP packet (RFC 3550 §6.4.1), read and written in place:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| count/FMT |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The 5-bit field counts report blocks, chunks or sources in SR/RR/SDES/BYE and is the feedback
 * message type (FMT) in RTPFB/PSFB (RFC 4585 §6.1). The length counts the whole packet, header and
 * padding included, in 32-bit words minus one, so a packet is always a multiple of 4 bytes.
 *
 * <p>The accessors do not check bounds; callers guarantee 4 readable bytes. Thread-safety: stateless.
 */
public final class RtcpHeader {

    public static final int HEADER_BYTES = 4;
    public static final int VERSION = 2;
    /** Largest value of the 5-bit count/FMT field. */
    public static final int MAX_COUNT = 31;

    /** Sender report (RFC 3550 §6.4.1). */
    public static final int PT_SR = 200;
    /** Receiver report (RFC 3550 §6.4.2). */
    public static final int PT_RR = 201;
    /** Source description (RFC 3550 §6.5). */
    public static final int PT_SDES = 202;
    /** Goodbye (RFC 3550 §6.6). */
    public static final int PT_BYE = 203;
    /** Application-defined (RFC 3550 §6.7). */
    public static final int PT_APP = 204;
    /** Transport-layer feedback (RFC 4585 §6.1). */
    public static final int PT_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 §6.1). */
    public static final int PT_PSFB = 206;
    /** Extended reports (RFC 3611). */
    public static final int PT_XR = 207;

    /** RTPFB FMT: Generic NACK (RFC 4585 §6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB FMT: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). */
    public static final int FMT_TRANSPORT_WIDE_CC = 15;
    /** PSFB FMT: Picture Loss Indication (RFC 4585 §6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB FMT: Full Intra Request (RFC 5104 §4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB FMT: application layer feedback, used by REMB (RFC 4585 §6.4). */
    public static final int FMT_AFB = 15;

    private RtcpHeader() {
    }

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xFF) >>> 6;
    }

    public static boolean hasPadding(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    /** The 5-bit count (SR, RR, SDES, BYE) or FMT (RTPFB, PSFB) field. */
    public static int count(byte[] buf, int off) {
        return buf[off] & 0x1F;
    }

    public static int packetType(byte[] buf, int off) {
        return buf[off + 1] & 0xFF;
    }

    /** The raw length field: packet length in 32-bit words, minus one. */
    public static int lengthWords(byte[] buf, int off) {
        return Bytes.uint16(buf, off + 2);
    }

    /** The packet's length in bytes according to its length field, header and padding included. */
    public static int packetLength(byte[] buf, int off) {
        return (lengthWords(buf, off) + 1) * 4;
    }

    /** Writes a header with P clear for a packet of {@code packetBytes} (a multiple of 4). */
    static void write(byte[] buf, int off, int count, int packetType, int packetBytes) {
        buf[off] = (byte) (VERSION << 6 | count);
        buf[off + 1] = (byte) packetType;
        Bytes.putUint16(buf, off + 2, packetBytes / 4 - 1);
    }
}
