package org.videoroom.load.media;

import java.nio.charset.StandardCharsets;

/**
 * Writes the RTP packets a browser would send (RFC 3550 header, RFC 8285 one-byte header extensions) into a
 * caller's buffer. The extension block always has the same fields for a stream, so it is laid out once per packet
 * without a builder.
 *
 * <p>Stateless; thread-safe.
 */
final class RtpWriter {

    static final int HEADER_BYTES = 12;

    private RtpWriter() {
    }

    /** Fixed header at {@code off}; returns the offset after it. */
    static int header(byte[] buf, int off, boolean extension, boolean marker, int payloadType, int sequenceNumber,
                      long timestamp, long ssrc) {
        buf[off] = (byte) (extension ? 0x90 : 0x80);
        buf[off + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        buf[off + 2] = (byte) (sequenceNumber >>> 8);
        buf[off + 3] = (byte) sequenceNumber;
        putInt(buf, off + 4, timestamp);
        putInt(buf, off + 8, ssrc);
        return off + HEADER_BYTES;
    }

    /** Starts a one-byte extension block at {@code off}; returns where the first element goes. */
    static int beginExtensions(byte[] buf, int off) {
        buf[off] = (byte) 0xBE;
        buf[off + 1] = (byte) 0xDE;
        return off + 4;
    }

    /** Pads the block begun at {@code blockOff} to 32 bits and writes its length; returns the offset after it. */
    static int endExtensions(byte[] buf, int blockOff, int end) {
        while ((end - blockOff) % 4 != 0) {
            buf[end++] = 0;
        }
        int words = (end - blockOff - 4) / 4;
        buf[blockOff + 2] = (byte) (words >>> 8);
        buf[blockOff + 3] = (byte) words;
        return end;
    }

    static int stringElement(byte[] buf, int off, int id, byte[] ascii) {
        buf[off] = (byte) ((id << 4) | (ascii.length - 1));
        System.arraycopy(ascii, 0, buf, off + 1, ascii.length);
        return off + 1 + ascii.length;
    }

    static int absSendTime(byte[] buf, int off, int id, int value) {
        buf[off] = (byte) ((id << 4) | 2);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
        return off + 4;
    }

    static int transportSequence(byte[] buf, int off, int id, int value) {
        buf[off] = (byte) ((id << 4) | 1);
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) value;
        return off + 3;
    }

    /** RFC 6464: {@code level} in -dBov (0..127), with the voice activity flag. */
    static int audioLevel(byte[] buf, int off, int id, int level, boolean voice) {
        buf[off] = (byte) (id << 4);
        buf[off + 1] = (byte) ((voice ? 0x80 : 0) | level);
        return off + 2;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void putInt(byte[] buf, int off, long value) {
        buf[off] = (byte) (value >>> 24);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
    }

    static int getUnsignedShort(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }
}
