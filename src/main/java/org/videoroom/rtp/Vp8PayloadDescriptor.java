package org.videoroom.rtp;

import org.videoroom.buffer.Bytes;

/**
 * A re-pointable view over the VP8 payload descriptor at the start of an RTP payload (RFC 7741
 * §4.2), plus the one bit of the VP8 payload header a forwarder needs: whether the frame is a
 * keyframe (RFC 7741 §4.3, RFC 6386 §9.1). Nothing is copied; the picture id and TL0PICIDX are
 * rewritten in place, so the packet keeps its length.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (required)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (present if X)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (present if I; M=1: a second octet follows, 15-bit picture id)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   | (present if M)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (present if L)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (present if T or K)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The VP8 payload proper follows the descriptor. When S=1 and PID=0 it starts with the VP8 payload
 * header, the first octet of the frame tag (RFC 6386 §9.1): {@code |Size0|H| VER |P|}, where P, the
 * least significant bit, is the inverse key frame flag (0 = keyframe).
 *
 * <p>{@link #wrap} checks that every field the flags announce lies inside the payload and that at
 * least one VP8 payload byte follows; afterwards no accessor can read outside it. Bad input comes
 * back as a {@link ParseResult}, never an exception. Accessors on an instance whose last wrap
 * failed are meaningless. Reserved bits are ignored, as RFC 7741 asks of receivers.
 *
 * <p>Thread-safety: not thread-safe; an instance belongs to the thread processing the packet.
 */
public final class Vp8PayloadDescriptor {

    /** Outcome of {@link #wrap}. */
    public enum ParseResult {
        OK,
        /** The offset/length pair does not lie inside the array (or the array is null). */
        BAD_BOUNDS,
        /** The payload ends inside the descriptor (empty payload included). */
        TOO_SHORT,
        /** The descriptor is complete but no VP8 payload byte follows it. */
        NO_VP8_PAYLOAD
    }

    /** Largest 7-bit picture id (M=0). */
    public static final int MAX_SHORT_PICTURE_ID = 0x7F;

    /** Largest 15-bit picture id (M=1). */
    public static final int MAX_PICTURE_ID = 0x7FFF;

    private static final int X_BIT = 0x80;
    private static final int N_BIT = 0x20;
    private static final int S_BIT = 0x10;
    private static final int PID_MASK = 0x07;
    private static final int I_BIT = 0x80;
    private static final int L_BIT = 0x40;
    private static final int T_BIT = 0x20;
    private static final int K_BIT = 0x10;
    private static final int M_BIT = 0x80;
    private static final int Y_BIT = 0x20;
    private static final int KEYIDX_MASK = 0x1F;
    /** Inverse key frame flag in the first VP8 payload header octet (RFC 7741 §4.3). */
    private static final int P_BIT = 0x01;

    private byte[] buf;
    private int off;
    private int len;
    private int descriptorLength;
    /** Absolute indexes of the optional fields, -1 if absent. */
    private int pictureIdAt = -1;
    private int pictureIdBits;
    private int tl0PicIdxAt = -1;
    private int tidKeyIdxAt = -1;
    private boolean hasTid;
    private boolean hasKeyIdx;

    /** An unwrapped view; call {@link #wrap} before use. */
    public Vp8PayloadDescriptor() {
    }

    /**
     * Points this view at the RTP payload {@code buf[payloadOff .. payloadOff + payloadLen)}, e.g.
     * {@code wrap(p.buffer(), p.payloadOffset(), p.payloadLength())}. On failure the view is left
     * unwrapped. Never throws and never copies.
     */
    public ParseResult wrap(byte[] buf, int payloadOff, int payloadLen) {
        ParseResult result = parse(buf, payloadOff, payloadLen);
        if (result != ParseResult.OK) {
            this.buf = null;
            this.off = 0;
            this.len = 0;
            this.descriptorLength = 0;
            this.pictureIdAt = -1;
            this.pictureIdBits = 0;
            this.tl0PicIdxAt = -1;
            this.tidKeyIdxAt = -1;
            this.hasTid = false;
            this.hasKeyIdx = false;
        }
        return result;
    }

    private ParseResult parse(byte[] b, int start, int length) {
        if (!Bytes.inBounds(b, start, length)) {
            return ParseResult.BAD_BOUNDS;
        }
        if (length < 1) {
            return ParseResult.TOO_SHORT;
        }
        int end = start + length;
        int p = start;
        int first = b[p++] & 0xFF;
        int picAt = -1;
        int picBits = 0;
        int tl0At = -1;
        int tkAt = -1;
        boolean t = false;
        boolean k = false;
        if ((first & X_BIT) != 0) {
            if (p >= end) {
                return ParseResult.TOO_SHORT;
            }
            int ext = b[p++] & 0xFF;
            if ((ext & I_BIT) != 0) {
                if (p >= end) {
                    return ParseResult.TOO_SHORT;
                }
                picAt = p;
                if ((b[p] & M_BIT) != 0) {
                    picBits = 15;
                    p += 2;
                } else {
                    picBits = 7;
                    p += 1;
                }
            }
            if ((ext & L_BIT) != 0) {
                tl0At = p++;
            }
            t = (ext & T_BIT) != 0;
            k = (ext & K_BIT) != 0;
            if (t || k) {
                tkAt = p++;
            }
            if (p > end) {
                return ParseResult.TOO_SHORT;
            }
        }
        if (p >= end) {
            return ParseResult.NO_VP8_PAYLOAD;
        }
        this.buf = b;
        this.off = start;
        this.len = length;
        this.descriptorLength = p - start;
        this.pictureIdAt = picAt;
        this.pictureIdBits = picBits;
        this.tl0PicIdxAt = tl0At;
        this.tidKeyIdxAt = tkAt;
        this.hasTid = t;
        this.hasKeyIdx = k;
        return ParseResult.OK;
    }

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isWrapped() {
        return buf != null;
    }

    /** Length of the descriptor; the VP8 payload starts this many bytes after the RTP payload start. */
    public int descriptorLength() {
        return descriptorLength;
    }

    /** Whether the X bit (extended control bits) is set. */
    public boolean hasExtendedControlBits() {
        return (buf[off] & X_BIT) != 0;
    }

    /** N: the frame is not used as a reference by other frames and may be discarded. */
    public boolean nonReference() {
        return (buf[off] & N_BIT) != 0;
    }

    /** S: the payload starts a VP8 partition. */
    public boolean startOfPartition() {
        return (buf[off] & S_BIT) != 0;
    }

    /** PID: index of the partition the payload starts in or belongs to, 0..7. */
    public int partitionIndex() {
        return buf[off] & PID_MASK;
    }

    /** S=1 and PID=0: the first packet of a frame. */
    public boolean isStartOfFrame() {
        return startOfPartition() && partitionIndex() == 0;
    }

    /**
     * The first packet of a keyframe: start of frame and the VP8 payload header's P bit is 0
     * (RFC 7741 §4.3; RFC 6386 §9.1 calls it {@code key_frame}, 0 meaning keyframe). Only the first
     * packet of a frame carries the header, so the other packets of a keyframe answer false.
     */
    public boolean isKeyframe() {
        return isStartOfFrame() && (buf[off + descriptorLength] & P_BIT) == 0;
    }

    public boolean hasPictureId() {
        return pictureIdAt >= 0;
    }

    /** 7 (M=0) or 15 (M=1), or 0 without a picture id. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    /** The picture id, 0..127 or 0..32767 according to {@link #pictureIdBits()}; -1 if absent. */
    public int pictureId() {
        if (pictureIdAt < 0) {
            return -1;
        }
        if (pictureIdBits == 15) {
            return Bytes.uint16(buf, pictureIdAt) & MAX_PICTURE_ID;
        }
        return buf[pictureIdAt] & MAX_SHORT_PICTURE_ID;
    }

    /**
     * Overwrites the picture id in place, keeping the packet's width: a 7-bit id stays 7-bit
     * ({@code pictureId & 0x7F}), a 15-bit one stays 15-bit with M=1 ({@code pictureId & 0x7FFF}),
     * so 0x8000 writes 0. Returns false, changing nothing, if the packet has no picture id.
     */
    public boolean setPictureId(int pictureId) {
        if (pictureIdAt < 0) {
            return false;
        }
        if (pictureIdBits == 15) {
            Bytes.putUint16(buf, pictureIdAt, M_BIT << 8 | (pictureId & MAX_PICTURE_ID));
        } else {
            buf[pictureIdAt] = (byte) (pictureId & MAX_SHORT_PICTURE_ID);
        }
        return true;
    }

    public boolean hasTl0PicIdx() {
        return tl0PicIdxAt >= 0;
    }

    /** TL0PICIDX, 0..255, or -1 if absent. */
    public int tl0PicIdx() {
        return tl0PicIdxAt < 0 ? -1 : buf[tl0PicIdxAt] & 0xFF;
    }

    /** Overwrites TL0PICIDX in place (low 8 bits); false, changing nothing, if absent. */
    public boolean setTl0PicIdx(int tl0PicIdx) {
        if (tl0PicIdxAt < 0) {
            return false;
        }
        buf[tl0PicIdxAt] = (byte) tl0PicIdx;
        return true;
    }

    /** Whether T is set, i.e. TID and Y are meaningful. */
    public boolean hasTid() {
        return hasTid;
    }

    /** TID, the temporal layer index 0..3, or -1 if T is clear. */
    public int temporalLayer() {
        return hasTid ? (buf[tidKeyIdxAt] & 0xFF) >>> 6 : -1;
    }

    /** Y, layer sync: the frame depends only on base-layer frames. False if T is clear. */
    public boolean layerSync() {
        return hasTid && (buf[tidKeyIdxAt] & Y_BIT) != 0;
    }

    public boolean hasKeyIdx() {
        return hasKeyIdx;
    }

    /** KEYIDX 0..31, or -1 if K is clear. */
    public int keyIdx() {
        return hasKeyIdx ? buf[tidKeyIdxAt] & KEYIDX_MASK : -1;
    }

    /** A one-line summary for logs and test failures (allocates). */
    @Override
    public String toString() {
        if (buf == null) {
            return "Vp8PayloadDescriptor[unwrapped]";
        }
        return "Vp8PayloadDescriptor[" + (startOfPartition() ? "S, " : "") + "pid=" + partitionIndex()
                + (nonReference() ? ", N" : "")
                + (hasPictureId() ? ", pictureId=" + pictureId() + "/" + pictureIdBits : "")
                + (hasTl0PicIdx() ? ", tl0=" + tl0PicIdx() : "")
                + (hasTid ? ", tid=" + temporalLayer() + (layerSync() ? ", Y" : "") : "")
                + (hasKeyIdx ? ", keyIdx=" + keyIdx() : "")
                + (isKeyframe() ? ", keyframe" : "") + ", length=" + descriptorLength + "]";
    }

    /**
     * The frame height of a VP8 keyframe whose first packet this payload is, or 0 (not a keyframe start, or too
     * short). RFC 6386 §9.1: after the 3-byte frame tag of a keyframe come the start code 9d 01 2a, then 14-bit
     * width and height (little-endian, the top two bits a scale). Static and allocation-free.
     */
    public static int keyframeHeight(byte[] buf, int payloadOff, int payloadLen) {
        if (payloadLen < 1 || payloadOff < 0 || payloadOff + payloadLen > buf.length) {
            return 0;
        }
        int first = buf[payloadOff] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0;
        if (!start) {
            return 0;
        }
        int at = payloadOff + 1;
        if (extended) {
            if (payloadLen < 2) {
                return 0;
            }
            int x = buf[at++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, one or two bytes
                if (at >= payloadOff + payloadLen) {
                    return 0;
                }
                at += (buf[at] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        int end = payloadOff + payloadLen;
        if (at + 10 > end) {
            return 0;
        }
        boolean keyframe = (buf[at] & 0x01) == 0;
        if (!keyframe || (buf[at + 3] & 0xFF) != 0x9d || (buf[at + 4] & 0xFF) != 0x01
                || (buf[at + 5] & 0xFF) != 0x2a) {
            return 0;
        }
        return ((buf[at + 8] & 0xFF) | (buf[at + 9] & 0xFF) << 8) & 0x3FFF;
    }
}
