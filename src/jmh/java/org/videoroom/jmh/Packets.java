package org.videoroom.jmh;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.videoroom.buffer.BufferPool;

/**
 * The packets the benchmarks feed the per-packet stages: laid out as Chromium 156 sends them on the captured
 * offer's m-lines (the header extension ids of {@code src/test/resources/captures/chromium-156-offer.sdp}), with a
 * pseudo-random payload of a chosen length. Each is written at offset 0 of an array sized like a pooled buffer's
 * ({@link BufferPool#bufferSizeFor}), so stages that grow a packet (the SRTP tag) find the room they would find
 * in production.
 */
public final class Packets {

    /** Chromium's ids on its video m-line (mid 1). */
    public static final int VIDEO_ABS_SEND_TIME_ID = 2;
    public static final int VIDEO_TRANSPORT_CC_ID = 3;
    public static final int VIDEO_MID_ID = 4;
    /** Chromium's ids on its audio m-line (mid 0). */
    public static final int AUDIO_LEVEL_ID = 1;
    public static final int AUDIO_TRANSPORT_CC_ID = 3;
    public static final int AUDIO_MID_ID = 4;

    /** The SSRCs the capture announces for mid 0 (audio) and mid 1 (video). */
    public static final long AUDIO_SSRC = 2791869824L;
    public static final long VIDEO_SSRC = 1968883378L;

    /** A full-size video packet as the issue measures it. */
    public static final int VIDEO_BYTES = 1200;
    /** An Opus packet of a typical voice frame (20 ms at about 32 kbit/s) with its header. */
    public static final int AUDIO_BYTES = 100;

    private static final String VIDEO_HEADER = ""
            + "90"       // V=2 P=0 X=1 CC=0
            + "e0"       // M=1 PT=96 (VP8 in Chromium's offer)
            + "3039"     // sequence number 12345
            + "00bc614e" // timestamp 12345678
            + "755ac6b2" // SSRC 1968883378
            + "bede"     // RFC 8285 one-byte form
            + "0003"     // extension length: 3 words
            + "22" + "123456"     // id 2 L=2: abs-send-time
            + "31" + "002a"       // id 3 L=1: transport-wide sequence number 42
            + "40" + "31"         // id 4 L=0: MID "1"
            + "000000";           // padding to the word boundary

    /** RFC 7741 §4.2 descriptor with X, I (15-bit picture id), L and T, as Chromium sends simulcast VP8. */
    private static final String VP8_DESCRIPTOR = ""
            + "90"       // X=1 N=0 S=1 PID=0
            + "e0"       // I=1 L=1 T=1 K=0
            + "8123"     // M=1, picture id 0x0123
            + "07"       // TL0PICIDX 7
            + "20";      // TID=0 Y=1 KEYIDX=0

    /** RFC 6386 §9.1 frame tag and start code of a 640x480 keyframe (P=0). */
    private static final String VP8_KEYFRAME_START = "0000009d012a8002e001";
    /** The frame tag of an inter frame (P=1). */
    private static final String VP8_INTER_FRAME_START = "010000";

    private static final String AUDIO_HEADER = ""
            + "90"       // V=2 P=0 X=1 CC=0
            + "6f"       // M=0 PT=111 (opus in Chromium's offer)
            + "1234"     // sequence number 4660
            + "0001e240" // timestamp 123456
            + "a6688d80" // SSRC 2791869824
            + "bede" + "0003"
            + "10" + "8a"         // id 1 L=0: audio level, V=1, 10 -dBov
            + "22" + "123456"     // id 2 L=2: abs-send-time
            + "31" + "002a"       // id 3 L=1: transport-wide sequence number 42
            + "40" + "30"         // id 4 L=0: MID "0"
            + "00";               // padding to the word boundary

    private Packets() {
    }

    /** A VP8 packet of {@code length} bytes: the start of a keyframe, or of an inter frame. */
    public static byte[] vp8(int length, boolean keyframe) {
        return withPayload(VIDEO_HEADER + VP8_DESCRIPTOR + (keyframe ? VP8_KEYFRAME_START : VP8_INTER_FRAME_START),
                length);
    }

    /** An Opus packet of {@code length} bytes. */
    public static byte[] opus(int length) {
        return withPayload(AUDIO_HEADER, length);
    }

    /** {@code hexPrefix} followed by pseudo-random bytes up to {@code length}, in a pool-sized array. */
    private static byte[] withPayload(String hexPrefix, int length) {
        byte[] prefix = HexFormat.of().parseHex(hexPrefix);
        if (length < prefix.length) {
            throw new IllegalArgumentException("a packet of this kind has at least " + prefix.length + " bytes");
        }
        byte[] buf = new byte[BufferPool.bufferSizeFor(length)];
        System.arraycopy(prefix, 0, buf, 0, prefix.length);
        SplittableRandom random = new SplittableRandom(length);
        for (int i = prefix.length; i < length; i++) {
            buf[i] = (byte) random.nextInt(256);
        }
        return buf;
    }
}
