package org.videoroom.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.videoroom.buffer.Bytes;

/**
 * A mutable view over one RTP packet held in a byte array: {@code buf[offset() .. offset() + length())}.
 * Nothing is copied; getters read and setters write the wire bytes in place, big-endian, with
 * unsigned fields widened to {@code int}/{@code long}. One instance can be re-pointed at packet
 * after packet with {@link #wrap}, so the packet path allocates nothing.
 *
 * <p>Layout (RFC 3550 §5.1, header extension §5.3.1, padding §5.1 "P"):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |       contributing source (CSRC) identifiers, CC of them      |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |    length (32-bit words)      |  if X
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  header extension elements                    |  if X
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           payload ...                         |
 * |                               +-------------------------------+
 * |                               | padding ...   | padding count |  if P
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Header extensions follow RFC 8285: "defined by profile" is {@code 0xBEDE} for the one-byte form
 * (element = 4-bit id, 4-bit length-1, data; ids 1..14) or {@code 0x100}<i>x</i> for the two-byte form
 * (element = 8-bit id, 8-bit length, data). Extension lookups take the id negotiated in SDP
 * ({@code a=extmap}); an id of 0 or less means "not negotiated" and always finds nothing. A lookup
 * that meets a malformed element stops and reports the extension as absent.
 *
 * <p>{@link #wrap} validates the packet so that every accessor afterwards stays inside the packet;
 * packet-path problems come back as a {@link ParseResult} or a -1/false result, never as an
 * exception. Accessors on an instance whose last wrap failed (or that was never wrapped) are
 * meaningless.
 *
 * <p>Thread-safety: not thread-safe. An instance belongs to the thread that is processing the
 * packet; the underlying array belongs to the packet's current owner.
 */
public final class RtpPacket {

    /** Length of the fixed header. */
    public static final int FIXED_HEADER_BYTES = 12;

    /** The only RTP version in use (RFC 3550 §5.1). */
    public static final int VERSION = 2;

    /** "Defined by profile" value of the one-byte header extension form (RFC 8285 §4.2). */
    public static final int ONE_BYTE_EXTENSION_PROFILE = 0xBEDE;

    /** "Defined by profile" value of the two-byte form, low 4 bits being app bits (RFC 8285 §4.3). */
    public static final int TWO_BYTE_EXTENSION_PROFILE = 0x1000;

    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;

    /** Outcome of {@link #validate}/{@link #wrap}. */
    public enum ParseResult {
        OK,
        /** The offset/length pair does not lie inside the array (or the array is null). */
        BAD_BOUNDS,
        /** Shorter than the 12-byte fixed header. */
        TOO_SHORT,
        /** Version field is not 2. */
        BAD_VERSION,
        /** The CSRC list or header extension runs past the end of the packet. */
        BAD_LENGTH,
        /** P is set but the padding count is 0 or larger than what follows the header. */
        BAD_PADDING
    }

    private byte[] buf;
    private int off;
    private int len;

    /** An unwrapped view; call {@link #wrap} before use. */
    public RtpPacket() {
    }

    /**
     * Checks that {@code buf[off .. off + len)} is a structurally valid RTP packet: version 2, CSRC
     * list and header extension inside the packet, sane padding (RFC 3550 §5.1, §5.3.1 and
     * Appendix A.1's header validity checks). Payload content and extension elements are not
     * examined. Never throws.
     */
    public static ParseResult validate(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len)) {
            return ParseResult.BAD_BOUNDS;
        }
        if (len < FIXED_HEADER_BYTES) {
            return ParseResult.TOO_SHORT;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != VERSION) {
            return ParseResult.BAD_VERSION;
        }
        int header = FIXED_HEADER_BYTES + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                return ParseResult.BAD_LENGTH;
            }
            header += 4 + 4 * Bytes.uint16(buf, off + header + 2);
        }
        if (header > len) {
            return ParseResult.BAD_LENGTH;
        }
        if ((b0 & 0x20) != 0) {
            // The last octet counts the padding, itself included, so it cannot be 0 (RFC 3550 §5.1).
            int padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || header + padding > len) {
                return ParseResult.BAD_PADDING;
            }
        }
        return ParseResult.OK;
    }

    /**
     * Points this view at {@code buf[off .. off + len)} if it {@link #validate validates}; otherwise
     * leaves the view unwrapped. Never throws and never copies.
     */
    public ParseResult wrap(byte[] buf, int off, int len) {
        ParseResult result = validate(buf, off, len);
        if (result == ParseResult.OK) {
            this.buf = buf;
            this.off = off;
            this.len = len;
        } else {
            this.buf = null;
            this.off = 0;
            this.len = 0;
        }
        return result;
    }

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isWrapped() {
        return buf != null;
    }

    /** The array holding the packet (not a copy). */
    public byte[] buffer() {
        return buf;
    }

    /** Index of the packet's first byte in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Length of the whole packet, header and padding included. */
    public int length() {
        return len;
    }

    // ---- fixed header -----------------------------------------------------------------------

    public int version() {
        return (buf[off] & 0xFF) >>> 6;
    }

    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    /** Payload type, 0..127. */
    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    /** Sets the payload type (low 7 bits of {@code payloadType}), keeping the marker bit. */
    public void setPayloadType(int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    /** Sequence number, 0..65535. */
    public int sequenceNumber() {
        return Bytes.uint16(buf, off + 2);
    }

    public void setSequenceNumber(int sequenceNumber) {
        Bytes.putUint16(buf, off + 2, sequenceNumber);
    }

    /** Timestamp, 0..2^32-1. */
    public long timestamp() {
        return Bytes.uint32(buf, off + 4);
    }

    public void setTimestamp(long timestamp) {
        Bytes.putUint32(buf, off + 4, timestamp);
    }

    /** SSRC, 0..2^32-1. */
    public long ssrc() {
        return Bytes.uint32(buf, off + 8);
    }

    public void setSsrc(long ssrc) {
        Bytes.putUint32(buf, off + 8, ssrc);
    }

    /** The {@code index}-th CSRC (0-based; the caller keeps {@code index < csrcCount()}). */
    public long csrc(int index) {
        return Bytes.uint32(buf, off + FIXED_HEADER_BYTES + 4 * index);
    }

    // ---- lengths ----------------------------------------------------------------------------

    /** Bytes from the packet start to the payload: fixed header, CSRCs and header extension. */
    public int headerLength() {
        int header = FIXED_HEADER_BYTES + 4 * csrcCount();
        if (hasExtension()) {
            header += 4 + 4 * Bytes.uint16(buf, off + header + 2);
        }
        return header;
    }

    /** Index of the first payload byte in {@link #buffer()} (absolute, not relative to {@link #offset()}). */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** Payload bytes, padding excluded. 0 for a padding-only packet (as sent for bandwidth probing). */
    public int payloadLength() {
        return len - headerLength() - paddingLength();
    }

    /** Number of padding bytes at the end, count byte included; 0 if P is clear. */
    public int paddingLength() {
        return hasPadding() ? buf[off + len - 1] & 0xFF : 0;
    }

    /**
     * Drops the padding: clears P and shortens {@link #length()}. The bytes stay in the array; only
     * the view shrinks. Used before relaying a packet whose padding the next hop must not see, e.g.
     * when building an RTX packet (RFC 4588 §4).
     */
    public void removePadding() {
        if (hasPadding()) {
            len -= paddingLength();
            buf[off] &= (byte) ~0x20;
        }
    }

    /** Copies the whole packet to {@code dst[dstOff..]} and returns its length. */
    public int copyTo(byte[] dst, int dstOff) {
        System.arraycopy(buf, off, dst, dstOff, len);
        return len;
    }

    // ---- header extensions (RFC 8285) ---------------------------------------------------------

    /** The header extension's "defined by profile" field, or -1 if X is clear. */
    public int extensionProfile() {
        return hasExtension() ? Bytes.uint16(buf, off + FIXED_HEADER_BYTES + 4 * csrcCount()) : -1;
    }

    /**
     * Absolute index in {@link #buffer()} of extension {@code id}'s data, or -1 if the packet carries
     * no such element (or id is not positive, or the extension block is not RFC 8285).
     */
    public int findExtension(int id) {
        long found = locateExtension(id);
        return found < 0 ? -1 : (int) (found >>> 32);
    }

    /** Length in bytes of extension {@code id}'s data, or -1 if absent. */
    public int extensionLength(int id) {
        long found = locateExtension(id);
        return found < 0 ? -1 : (int) found;
    }

    /**
     * Extension {@code id}'s data decoded as US-ASCII (RFC 8843 MID and RFC 8852 RID values are
     * ASCII tokens), or null if absent. Allocates: use it for control decisions (a new SSRC), and
     * {@link #extensionEquals} on the per-packet path.
     */
    public String extensionAsString(int id) {
        long found = locateExtension(id);
        if (found < 0) {
            return null;
        }
        return new String(buf, (int) (found >>> 32), (int) found, StandardCharsets.US_ASCII);
    }

    /**
     * Whether extension {@code id} is present and its bytes equal the ASCII string {@code expected}
     * (e.g. a MID). Compares without allocating.
     */
    public boolean extensionEquals(int id, String expected) {
        long found = locateExtension(id);
        if (found < 0 || (int) found != expected.length()) {
            return false;
        }
        int at = (int) (found >>> 32);
        for (int i = 0; i < expected.length(); i++) {
            if ((buf[at + i] & 0xFF) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Audio level (RFC 6464 §3) in -dBov, 0 (loudest) .. 127 (silence), or -1 if the extension is
     * absent or not exactly one byte long.
     */
    public int audioLevel(int id) {
        int at = fixedSizeExtension(id, 1);
        return at < 0 ? -1 : buf[at] & 0x7F;
    }

    /** The RFC 6464 voice-activity flag; false if the extension is absent. */
    public boolean voiceActivity(int id) {
        int at = fixedSizeExtension(id, 1);
        return at >= 0 && (buf[at] & 0x80) != 0;
    }

    /**
     * The abs-send-time value (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): a 24-bit
     * 6.18 fixed-point number of seconds, or -1 if absent or not 3 bytes long.
     */
    public int absSendTime(int id) {
        int at = fixedSizeExtension(id, 3);
        return at < 0 ? -1 : Bytes.uint24(buf, at);
    }

    /** Overwrites abs-send-time in place (low 24 bits of {@code value}); false if the element is absent. */
    public boolean setAbsSendTime(int id, int value) {
        int at = fixedSizeExtension(id, 3);
        if (at < 0) {
            return false;
        }
        Bytes.putUint24(buf, at, value);
        return true;
    }

    /**
     * The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2),
     * 0..65535, or -1 if absent or not 2 bytes long.
     */
    public int transportWideCcSequenceNumber(int id) {
        int at = fixedSizeExtension(id, 2);
        return at < 0 ? -1 : Bytes.uint16(buf, at);
    }

    /**
     * Overwrites the transport-wide sequence number in place; false if the element is absent. A
     * forwarder must do this per outgoing transport, since each transport numbers its own packets.
     */
    public boolean setTransportWideCcSequenceNumber(int id, int sequenceNumber) {
        int at = fixedSizeExtension(id, 2);
        if (at < 0) {
            return false;
        }
        Bytes.putUint16(buf, at, sequenceNumber);
        return true;
    }

    /**
     * Renumbers the header extension elements in place according to {@code map}; elements whose id
     * the map does not know are overwritten with zero bytes, which RFC 8285 §4.1.2 defines as
     * padding, so the packet length never changes.
     *
     * <p>Returns false, leaving the packet unchanged, if the extension block is malformed or is in
     * the one-byte form and an element would need an id above 14. Returns true if there is nothing
     * to do (no extension, or a profile other than RFC 8285's, which is left alone).
     */
    public boolean rewriteExtensionIds(HeaderExtensionIdMap map) {
        if (!hasExtension()) {
            return true;
        }
        int start = off + FIXED_HEADER_BYTES + 4 * csrcCount();
        int profile = Bytes.uint16(buf, start);
        int end = start + 4 + 4 * Bytes.uint16(buf, start + 2);
        if (profile == ONE_BYTE_EXTENSION_PROFILE) {
            // First pass checks everything so that a failure leaves the packet untouched.
            return rewriteOneByte(start + 4, end, map, false) && rewriteOneByte(start + 4, end, map, true);
        }
        if ((profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_EXTENSION_PROFILE) {
            return rewriteTwoByte(start + 4, end, map, false) && rewriteTwoByte(start + 4, end, map, true);
        }
        return true;
    }

    private boolean rewriteOneByte(int p, int end, HeaderExtensionIdMap map, boolean write) {
        while (p < end) {
            int id = (buf[p] & 0xFF) >>> 4;
            if (id == 0) {
                p++;
                continue;
            }
            if (id == 15) {
                // RFC 8285 §4.2: processing stops at the reserved id; what follows is left as is.
                return true;
            }
            int elementEnd = p + 1 + (buf[p] & 0x0F) + 1;
            if (elementEnd > end) {
                return false;
            }
            int newId = map.map(id);
            if (newId > HeaderExtensionIdMap.MAX_ONE_BYTE_ID) {
                return false;
            }
            if (write) {
                if (newId == 0) {
                    Arrays.fill(buf, p, elementEnd, (byte) 0);
                } else {
                    buf[p] = (byte) (newId << 4 | (buf[p] & 0x0F));
                }
            }
            p = elementEnd;
        }
        return true;
    }

    private boolean rewriteTwoByte(int p, int end, HeaderExtensionIdMap map, boolean write) {
        while (p < end) {
            int id = buf[p] & 0xFF;
            if (id == 0) {
                p++;
                continue;
            }
            if (p + 2 > end) {
                return false;
            }
            int elementEnd = p + 2 + (buf[p + 1] & 0xFF);
            if (elementEnd > end) {
                return false;
            }
            if (write) {
                int newId = map.map(id);
                if (newId == 0) {
                    Arrays.fill(buf, p, elementEnd, (byte) 0);
                } else {
                    buf[p] = (byte) newId;
                }
            }
            p = elementEnd;
        }
        return true;
    }

    /** Data index of extension {@code id} if present with exactly {@code size} bytes, else -1. */
    private int fixedSizeExtension(int id, int size) {
        long found = locateExtension(id);
        return found < 0 || (int) found != size ? -1 : (int) (found >>> 32);
    }

    /**
     * Finds element {@code id}: returns (data index << 32 | data length), or -1. Padding bytes (id 0)
     * are skipped one at a time, and a one-byte-form id 15 ends the search (RFC 8285 §4.1.2, §4.2).
     */
    private long locateExtension(int id) {
        if (id <= 0 || !hasExtension()) {
            return -1;
        }
        int start = off + FIXED_HEADER_BYTES + 4 * csrcCount();
        int profile = Bytes.uint16(buf, start);
        int end = start + 4 + 4 * Bytes.uint16(buf, start + 2);
        int p = start + 4;
        if (profile == ONE_BYTE_EXTENSION_PROFILE) {
            if (id > HeaderExtensionIdMap.MAX_ONE_BYTE_ID) {
                return -1;
            }
            while (p < end) {
                int b = buf[p] & 0xFF;
                int elementId = b >>> 4;
                if (elementId == 0) {
                    p++;
                    continue;
                }
                if (elementId == 15) {
                    return -1;
                }
                int dataLength = (b & 0x0F) + 1;
                int data = p + 1;
                if (data + dataLength > end) {
                    return -1;
                }
                if (elementId == id) {
                    return (long) data << 32 | dataLength;
                }
                p = data + dataLength;
            }
        } else if ((profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_EXTENSION_PROFILE) {
            if (id > HeaderExtensionIdMap.MAX_ID) {
                return -1;
            }
            while (p < end) {
                int elementId = buf[p] & 0xFF;
                if (elementId == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return -1;
                }
                int dataLength = buf[p + 1] & 0xFF;
                int data = p + 2;
                if (data + dataLength > end) {
                    return -1;
                }
                if (elementId == id) {
                    return (long) data << 32 | dataLength;
                }
                p = data + dataLength;
            }
        }
        return -1;
    }

    /** A one-line summary for logs and test failures (allocates). */
    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket[unwrapped]";
        }
        return "RtpPacket[ssrc=" + ssrc() + ", seq=" + sequenceNumber() + ", ts=" + timestamp()
                + ", pt=" + payloadType() + (marker() ? ", M" : "") + ", len=" + len
                + ", header=" + headerLength() + ", padding=" + paddingLength() + "]";
    }
}
