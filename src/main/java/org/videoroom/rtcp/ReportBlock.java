package org.videoroom.rtcp;

import org.videoroom.buffer.Bytes;

/**
 * One reception report block of a sender or receiver report (RFC 3550 §6.4.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_n (SSRC of source being reported)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ssrc                          the source this block reports on
 * @param fractionLost                  loss since the previous report, in 1/256 (0..255)
 * @param cumulativeLost                packets lost since the start, a signed 24-bit value: duplicates
 *                                      can make it negative (RFC 3550 §6.4.1)
 * @param extendedHighestSequenceNumber cycles (upper 16 bits) and highest sequence number received
 * @param interarrivalJitter            in timestamp units (RFC 3550 §6.4.1, A.8)
 * @param lastSenderReport              middle 32 bits of the last SR's NTP timestamp, 0 if none
 *                                      ({@link NtpTime#compact})
 * @param delaySinceLastSenderReport    in units of 1/65536 s, 0 if no SR received
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequenceNumber,
                          long interarrivalJitter, long lastSenderReport, long delaySinceLastSenderReport) {

    /** Size of one block on the wire. */
    public static final int BYTES = 24;

    /** Smallest value the signed 24-bit cumulative loss can hold. */
    public static final int MIN_CUMULATIVE_LOST = -(1 << 23);

    /** Largest value the signed 24-bit cumulative loss can hold. */
    public static final int MAX_CUMULATIVE_LOST = (1 << 23) - 1;

    /** @throws RtcpException if a field is outside its wire range */
    public ReportBlock {
        Fields.uint32("ssrc", ssrc);
        Fields.range("fractionLost", fractionLost, 0, 255);
        Fields.range("cumulativeLost", cumulativeLost, MIN_CUMULATIVE_LOST, MAX_CUMULATIVE_LOST);
        Fields.uint32("extendedHighestSequenceNumber", extendedHighestSequenceNumber);
        Fields.uint32("interarrivalJitter", interarrivalJitter);
        Fields.uint32("lastSenderReport", lastSenderReport);
        Fields.uint32("delaySinceLastSenderReport", delaySinceLastSenderReport);
    }

    static ReportBlock decode(byte[] buf, int at) {
        // Shift the 24-bit field to the top and back to sign-extend it.
        int cumulativeLost = Bytes.uint24(buf, at + 5) << 8 >> 8;
        return new ReportBlock(Bytes.uint32(buf, at), Bytes.uint8(buf, at + 4), cumulativeLost,
                Bytes.uint32(buf, at + 8), Bytes.uint32(buf, at + 12), Bytes.uint32(buf, at + 16),
                Bytes.uint32(buf, at + 20));
    }

    void encode(byte[] buf, int at) {
        Bytes.putUint32(buf, at, ssrc);
        Bytes.putUint8(buf, at + 4, fractionLost);
        Bytes.putUint24(buf, at + 5, cumulativeLost);
        Bytes.putUint32(buf, at + 8, extendedHighestSequenceNumber);
        Bytes.putUint32(buf, at + 12, interarrivalJitter);
        Bytes.putUint32(buf, at + 16, lastSenderReport);
        Bytes.putUint32(buf, at + 20, delaySinceLastSenderReport);
    }
}
