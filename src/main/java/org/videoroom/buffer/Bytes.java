package org.videoroom.buffer;

/**
 * Big-endian (network order, RFC 791 Appendix B) reads and writes of unsigned fields in a byte
 * array, widened to {@code int}/{@code long} so that no value ever appears negative.
 *
 * <p>Callers check bounds first; these helpers index the array directly and are meant for hot paths.
 * Thread-safety: stateless; the array itself must not be written concurrently.
 */
public final class Bytes {

    private Bytes() {
    }

    /**
     * Whether {@code [off, off + len)} is a valid range of {@code buf}, written so that it cannot
     * overflow for large {@code off}/{@code len}.
     */
    public static boolean inBounds(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && len <= buf.length - off;
    }

    public static int uint8(byte[] buf, int i) {
        return buf[i] & 0xFF;
    }

    public static int uint16(byte[] buf, int i) {
        return (buf[i] & 0xFF) << 8 | (buf[i + 1] & 0xFF);
    }

    public static int uint24(byte[] buf, int i) {
        return (buf[i] & 0xFF) << 16 | (buf[i + 1] & 0xFF) << 8 | (buf[i + 2] & 0xFF);
    }

    public static long uint32(byte[] buf, int i) {
        return ((long) uint16(buf, i) << 16) | uint16(buf, i + 2);
    }

    /** The 64 bits at {@code i} (e.g. an NTP timestamp); may be negative when the top bit is set. */
    public static long int64(byte[] buf, int i) {
        return uint32(buf, i) << 32 | uint32(buf, i + 4);
    }

    public static void putUint8(byte[] buf, int i, int value) {
        buf[i] = (byte) value;
    }

    public static void putUint16(byte[] buf, int i, int value) {
        buf[i] = (byte) (value >>> 8);
        buf[i + 1] = (byte) value;
    }

    public static void putUint24(byte[] buf, int i, int value) {
        buf[i] = (byte) (value >>> 16);
        buf[i + 1] = (byte) (value >>> 8);
        buf[i + 2] = (byte) value;
    }

    public static void putUint32(byte[] buf, int i, long value) {
        buf[i] = (byte) (value >>> 24);
        buf[i + 1] = (byte) (value >>> 16);
        buf[i + 2] = (byte) (value >>> 8);
        buf[i + 3] = (byte) value;
    }

    public static void putInt64(byte[] buf, int i, long value) {
        putUint32(buf, i, value >>> 32);
        putUint32(buf, i + 4, value);
    }
}
