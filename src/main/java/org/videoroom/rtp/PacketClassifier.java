package org.videoroom.rtp;

import org.videoroom.buffer.Bytes;

/**
 * Tells apart the protocols that share one UDP 5-tuple in WebRTC (STUN, DTLS, RTP, RTCP) by their
 * first bytes, as RFC 7983 §7 prescribes:
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--> STUN
 *                  |      [16..19] -+--> ZRTP (not used by WebRTC)
 *   first byte --> |      [20..63] -+--> DTLS
 *                  |      [64..79] -+--> TURN channel data
 *                  |    [128..191] -+--> RTP or RTCP
 *                  +----------------+
 * </pre>
 *
 * RTP and RTCP are then split on the second byte (RFC 5761 §4): RTCP packet types 192..223 are
 * never used as RTP payload types (with or without the marker bit), so a second byte in 192..223
 * means RTCP.
 *
 * <p>Each check also requires the minimum length of its protocol's fixed header, so a classifier
 * that answers {@code true} guarantees that the fixed header can be read. The methods never
 * allocate and never throw; a range outside the array answers {@code false}.
 *
 * <p>Thread-safety: stateless.
 */
public final class PacketClassifier {

    /** STUN message header: type, length, magic cookie, transaction id (RFC 8489 §5). */
    public static final int STUN_HEADER_BYTES = 20;

    /** DTLS record header: type, version, epoch, sequence number, length (RFC 6347 §4.1). */
    public static final int DTLS_RECORD_HEADER_BYTES = 13;

    /** RTP fixed header (RFC 3550 §5.1). */
    public static final int RTP_HEADER_BYTES = 12;

    /** Smallest RTCP packet: common header plus sender SSRC, e.g. an empty RR (RFC 3550 §6.4.2). */
    public static final int RTCP_MIN_BYTES = 8;

    private PacketClassifier() {
    }

    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return firstByteIn(buf, off, len, STUN_HEADER_BYTES, 0, 3);
    }

    public static boolean looksLikeDtls(byte[] buf, int off, int len) {
        return firstByteIn(buf, off, len, DTLS_RECORD_HEADER_BYTES, 20, 63);
    }

    public static boolean looksLikeRtp(byte[] buf, int off, int len) {
        return firstByteIn(buf, off, len, RTP_HEADER_BYTES, 128, 191) && !isRtcpPacketType(buf[off + 1]);
    }

    public static boolean looksLikeRtcp(byte[] buf, int off, int len) {
        return firstByteIn(buf, off, len, RTCP_MIN_BYTES, 128, 191) && isRtcpPacketType(buf[off + 1]);
    }

    private static boolean isRtcpPacketType(byte secondByte) {
        int pt = secondByte & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    private static boolean firstByteIn(byte[] buf, int off, int len, int minLen, int low, int high) {
        if (len < minLen || !Bytes.inBounds(buf, off, len)) {
            return false;
        }
        int b = buf[off] & 0xFF;
        return b >= low && b <= high;
    }
}
