package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtp.Vp8PayloadDescriptor.ParseResult;

/** RFC 7741 §4.2 descriptors, §4.3 / RFC 6386 §9.1 keyframe bit. */
class Vp8PayloadDescriptorTest {

    /** First octet of a VP8 keyframe's frame tag: size0=0 H(show_frame)=1 VER=0 P=0 (keyframe). */
    static final String KEY = "10";
    /** Same with P=1: an interframe. */
    static final String DELTA = "11";
    /** The rest of a keyframe's frame tag and the start code 9d 01 2a (RFC 6386 §9.1). */
    static final String KEY_REST = "0200" + "9d012a";

    /** Every field present: X I(M=1) L T K. */
    static final String ALL = ""
            + "b0"   // X=1 R=0 N=1 S=1 R=0 PID=0
            + "f0"   // I=1 L=1 T=1 K=1 RSV=0
            + "ffff" // M=1, picture id 0x7fff
            + "ff"   // TL0PICIDX 255
            + "e5"   // TID=3 Y=1 KEYIDX=5
            + DELTA + "aabb";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static Stream<Arguments> descriptors() {
        return Stream.of(
                // name, hex,
                //   length, S, PID, N, pictureId, bits, tl0, tid, Y, keyIdx, startOfFrame, keyframe
                Arguments.of("no X, keyframe",
                        "10"            // X=0 N=0 S=1 PID=0
                                + KEY + KEY_REST,
                        1, true, 0, false, -1, 0, -1, -1, false, -1, true, true),
                Arguments.of("no X, delta frame",
                        "10"            // X=0 S=1 PID=0
                                + DELTA + "aabb",
                        1, true, 0, false, -1, 0, -1, -1, false, -1, true, false),
                Arguments.of("no X, continuation packet",
                        "00"            // S=0 PID=0
                                + KEY,  // payload bytes, not a frame tag
                        1, false, 0, false, -1, 0, -1, -1, false, -1, false, false),
                Arguments.of("X with 7-bit picture id",
                        "90"            // X=1 S=1 PID=0
                                + "80"  // I=1
                                + "11"  // M=0 picture id 17
                                + DELTA,
                        3, true, 0, false, 17, 7, -1, -1, false, -1, true, false),
                Arguments.of("15-bit picture id, keyframe",
                        "90"            // X=1 S=1 PID=0
                                + "80"  // I=1
                                + "abcd" // M=1 picture id 0x2bcd
                                + KEY + KEY_REST,
                        4, true, 0, false, 0x2bcd, 15, -1, -1, false, -1, true, true),
                Arguments.of("I and L",
                        "90"            // X=1 S=1
                                + "c0"  // I=1 L=1
                                + "8001" // M=1 picture id 1
                                + "2a"  // TL0PICIDX 42
                                + DELTA,
                        5, true, 0, false, 1, 15, 42, -1, false, -1, true, false),
                Arguments.of("L without I",
                        "90"            // X=1 S=1
                                + "40"  // L=1
                                + "07"  // TL0PICIDX 7
                                + DELTA,
                        3, true, 0, false, -1, 0, 7, -1, false, -1, true, false),
                Arguments.of("T and K, not a partition start",
                        "80"            // X=1 S=0 PID=0
                                + "30"  // T=1 K=1
                                + "b3"  // TID=2 Y=1 KEYIDX=19
                                + "00",
                        3, false, 0, false, -1, 0, -1, 2, true, 19, false, false),
                Arguments.of("T only",
                        "90"            // X=1 S=1
                                + "20"  // T=1
                                + "40"  // TID=1 Y=0 KEYIDX=0 (ignored: K=0)
                                + DELTA,
                        3, true, 0, false, -1, 0, -1, 1, false, -1, true, false),
                Arguments.of("K only",
                        "90"            // X=1 S=1
                                + "10"  // K=1
                                + "e9"  // TID/Y ignored (T=0), KEYIDX=9
                                + DELTA,
                        3, true, 0, false, -1, 0, -1, -1, false, 9, true, false),
                Arguments.of("all fields, non-reference",
                        ALL,
                        6, true, 0, true, 0x7fff, 15, 255, 3, true, 5, true, false),
                Arguments.of("keyframe with every field as Chromium sends it",
                        "90"            // X=1 S=1 PID=0
                                + "e0"  // I=1 L=1 T=1
                                + "8000" // M=1 picture id 0
                                + "00"  // TL0PICIDX 0
                                + "20"  // TID=0 Y=1
                                + KEY + KEY_REST,
                        6, true, 0, false, 0, 15, 0, 0, true, -1, true, true),
                Arguments.of("partition 3 start is not a frame start",
                        "13"            // S=1 PID=3
                                + KEY,  // P bit clear, but not the first partition
                        1, true, 3, false, -1, 0, -1, -1, false, -1, false, false),
                Arguments.of("reserved bits are ignored",
                        "58"            // X=0 R=1 N=0 S=1 R=1 PID=0
                                + KEY,
                        1, true, 0, false, -1, 0, -1, -1, false, -1, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void parses(String name, String hex, int length, boolean s, int pid, boolean n, int pictureId, int bits,
                int tl0, int tid, boolean y, int keyIdx, boolean startOfFrame, boolean keyframe) {
        byte[] bytes = hex(hex);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        assertEquals(ParseResult.OK, d.wrap(bytes, 0, bytes.length));
        assertAll(
                () -> assertTrue(d.isWrapped()),
                () -> assertEquals(length, d.descriptorLength()),
                () -> assertEquals(s, d.startOfPartition()),
                () -> assertEquals(pid, d.partitionIndex()),
                () -> assertEquals(n, d.nonReference()),
                () -> assertEquals(pictureId >= 0, d.hasPictureId()),
                () -> assertEquals(pictureId, d.pictureId()),
                () -> assertEquals(bits, d.pictureIdBits()),
                () -> assertEquals(tl0 >= 0, d.hasTl0PicIdx()),
                () -> assertEquals(tl0, d.tl0PicIdx()),
                () -> assertEquals(tid >= 0, d.hasTid()),
                () -> assertEquals(tid, d.temporalLayer()),
                () -> assertEquals(y, d.layerSync()),
                () -> assertEquals(keyIdx >= 0, d.hasKeyIdx()),
                () -> assertEquals(keyIdx, d.keyIdx()),
                () -> assertEquals(startOfFrame, d.isStartOfFrame()),
                () -> assertEquals(keyframe, d.isKeyframe()));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", ParseResult.TOO_SHORT),
                // X=1, extension octet missing
                Arguments.of("X without extension octet", "90", ParseResult.TOO_SHORT),
                // I=1, picture id missing
                Arguments.of("I without picture id", "90 80", ParseResult.TOO_SHORT),
                // I=1 M=1, second picture id octet missing
                Arguments.of("M without second picture id octet", "90 80 80", ParseResult.TOO_SHORT),
                // L=1, TL0PICIDX missing
                Arguments.of("L without TL0PICIDX", "90 40", ParseResult.TOO_SHORT),
                // I=1 L=1, picture id present, TL0PICIDX missing
                Arguments.of("I and L, TL0PICIDX missing", "90 c0 8001", ParseResult.TOO_SHORT),
                // T=1, TID octet missing
                Arguments.of("T without TID octet", "90 20", ParseResult.TOO_SHORT),
                // K=1, KEYIDX octet missing
                Arguments.of("K without KEYIDX octet", "90 10", ParseResult.TOO_SHORT),
                // descriptor complete, nothing after it
                Arguments.of("one-octet descriptor only", "10", ParseResult.NO_VP8_PAYLOAD),
                Arguments.of("extended descriptor only", "90 80 11", ParseResult.NO_VP8_PAYLOAD),
                Arguments.of("every field, no payload", "b0 f0 ffff ff e5", ParseResult.NO_VP8_PAYLOAD));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformed")
    void rejectsMalformedWithoutThrowing(String name, String hex, ParseResult expected) {
        byte[] bytes = hex(hex);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        assertEquals(expected, d.wrap(bytes, 0, bytes.length));
        assertFalse(d.isWrapped());
        assertFalse(d.hasPictureId());
        assertFalse(d.hasTl0PicIdx());
        assertFalse(d.setPictureId(1), "an unwrapped view writes nothing");
        assertFalse(d.setTl0PicIdx(1));
    }

    @Test
    void everyTruncationIsRejectedWithoutThrowing() {
        byte[] full = hex(ALL);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        for (int len = 0; len < 6; len++) {
            assertEquals(ParseResult.TOO_SHORT, d.wrap(full, 0, len), "len " + len);
        }
        assertEquals(ParseResult.NO_VP8_PAYLOAD, d.wrap(full, 0, 6));
        assertEquals(ParseResult.OK, d.wrap(full, 0, 7));
    }

    @ParameterizedTest(name = "wrap(off {0}, len {1})")
    @CsvSource({
            "-1, 3",
            "0,  -1",
            "8,  2", // past the end of a 9-byte array
            "0,  10",
    })
    void badBoundsAreReported(int off, int len) {
        byte[] bytes = hex(ALL);
        assertEquals(ParseResult.BAD_BOUNDS, new Vp8PayloadDescriptor().wrap(bytes, off, len));
        assertEquals(ParseResult.BAD_BOUNDS, new Vp8PayloadDescriptor().wrap(null, 0, 1));
    }

    @Test
    void aFailedWrapForgetsThePreviousPacket() {
        byte[] good = hex(ALL);
        byte[] bad = hex("90 80");
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.wrap(good, 0, good.length);
        assertEquals(ParseResult.TOO_SHORT, d.wrap(bad, 0, bad.length));
        assertFalse(d.isWrapped());
        assertEquals(-1, d.pictureId());
        assertEquals(-1, d.tl0PicIdx());
        assertEquals(-1, d.temporalLayer());
        assertEquals(0, d.pictureIdBits());
    }

    @ParameterizedTest(name = "15-bit set {0} -> {1}")
    @CsvSource({
            // value set, value read, wire octets
            "0,      0,      8000",
            "1,      1,      8001",
            "32767,  32767,  ffff",
            "32768,  0,      8000", // 0x7fff + 1 wraps to 0
            "65537,  1,      8001",
            "-1,     32767,  ffff",
    })
    void setPictureIdKeeps15Bits(int value, int expected, String wire) {
        byte[] bytes = hex(ALL);
        byte[] before = bytes.clone();
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.wrap(bytes, 0, bytes.length);
        assertTrue(d.setPictureId(value));
        assertEquals(expected, d.pictureId());
        assertEquals(15, d.pictureIdBits());
        assertEquals(wire, HexFormat.of().formatHex(bytes, 2, 4));
        // nothing else moved
        before[2] = bytes[2];
        before[3] = bytes[3];
        assertArrayEquals(before, bytes);
        assertEquals(ParseResult.OK, d.wrap(bytes, 0, bytes.length));
        assertEquals(expected, d.pictureId(), "re-parse reads the same");
    }

    @ParameterizedTest(name = "7-bit set {0} -> {1}")
    @CsvSource({
            "0,    0,   00",
            "127,  127, 7f",
            "128,  0,   00", // 7-bit ids wrap at 128; M stays 0
            "300,  44,  2c",
    })
    void setPictureIdKeeps7Bits(int value, int expected, String wire) {
        byte[] bytes = hex("90 80 11" + DELTA + "aa");
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.wrap(bytes, 0, bytes.length);
        assertTrue(d.setPictureId(value));
        assertEquals(expected, d.pictureId());
        assertEquals(7, d.pictureIdBits());
        assertEquals("9080" + wire + DELTA + "aa", HexFormat.of().formatHex(bytes));
        assertEquals(3, d.descriptorLength());
    }

    @Test
    void setTl0PicIdxWritesEightBits() {
        byte[] bytes = hex(ALL);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.wrap(bytes, 0, bytes.length);
        assertTrue(d.setTl0PicIdx(256));
        assertEquals(0, d.tl0PicIdx(), "255 + 1 wraps to 0");
        assertTrue(d.setTl0PicIdx(0x1AB));
        assertEquals(0xAB, d.tl0PicIdx());
        assertEquals("b0f0ffffabe5" + DELTA + "aabb", HexFormat.of().formatHex(bytes));
    }

    @Test
    void settersOnAbsentFieldsChangeNothing() {
        byte[] bytes = hex("90 20 40" + DELTA); // T only
        byte[] before = bytes.clone();
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.wrap(bytes, 0, bytes.length);
        assertFalse(d.setPictureId(5));
        assertFalse(d.setTl0PicIdx(5));
        assertArrayEquals(before, bytes);
    }

    @Test
    void wrapsThePayloadOfAnRtpPacketInsideALargerArray() {
        byte[] packet = hex(""
                + "80" + "60" + "0102" + "00000003" + "00000004" // V=2 PT=96 seq 258 ts 3 SSRC 4
                + "90" + "e0" + "8123" + "07" + "20"          // X S; I L T; picture id 0x123; tl0 7; TID 0 Y
                + KEY + KEY_REST);
        byte[] pooled = new byte[100];
        int base = 9;
        System.arraycopy(packet, 0, pooled, base, packet.length);
        RtpPacket rtp = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, rtp.wrap(pooled, base, packet.length));
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        assertEquals(ParseResult.OK, d.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()));
        assertEquals(0x123, d.pictureId());
        assertEquals(7, d.tl0PicIdx());
        assertTrue(d.isKeyframe());
        d.setPictureId(0x7ABC);
        d.setTl0PicIdx(8);
        assertEquals("90e0fabc0820", HexFormat.of().formatHex(pooled, base + 12, base + 18));
        assertEquals(258, rtp.sequenceNumber(), "RTP header untouched");
    }

    @Test
    void toStringSummarises() {
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        assertEquals("Vp8PayloadDescriptor[unwrapped]", d.toString());
        byte[] bytes = hex(ALL);
        d.wrap(bytes, 0, bytes.length);
        assertEquals("Vp8PayloadDescriptor[S, pid=0, N, pictureId=32767/15, tl0=255, tid=3, Y, keyIdx=5, length=6]",
                d.toString());
        assertNotEquals(d.toString(), new Vp8PayloadDescriptor().toString());
    }

    @Test
    void parsingAndRewritingAllocateNothing() {
        byte[] bytes = hex(ALL);
        byte[] key = hex("90 e0 8000 00 20" + KEY + KEY_REST);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        long[] sink = new long[1];
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                d.wrap(bytes, 0, bytes.length);
                d.setPictureId(d.pictureId() + 1);
                d.setTl0PicIdx(d.tl0PicIdx() + 1);
                sink[0] += d.temporalLayer() + d.keyIdx() + (d.layerSync() ? 1 : 0);
                d.wrap(key, 0, key.length);
                sink[0] += d.isKeyframe() ? 1 : 0;
            }
        });
        assertEquals(0, allocated, "bytes allocated by 10000 descriptors");
        assertTrue(sink[0] > 0);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            no X, 640x480 keyframe                    | 10 504200 9d012a 8002 e001     | 480
            X with a 15-bit picture id, L and T       | 90 e0 8123 05 20 504200 9d012a 0005 d002 | 720
            scale bits in the height are not height   | 10 504200 9d012a 4001 f040     | 240
            a delta frame (P=1)                       | 10 514200 9d012a 8002 e001     | 0
            not the start of partition 0              | 00 504200 9d012a 8002 e001     | 0
            a wrong start code                        | 10 504200 9d012b 8002 e001     | 0
            truncated before the height               | 10 504200 9d012a 8002 e0       | 0
            """)
    void keyframeHeightIsReadFromTheVp8FrameHeader(String name, String hex, int height) {
        byte[] payload = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] buf = new byte[payload.length + 12];
        System.arraycopy(payload, 0, buf, 12, payload.length);
        assertEquals(height, Vp8PayloadDescriptor.keyframeHeight(buf, 12, payload.length));
    }
}
