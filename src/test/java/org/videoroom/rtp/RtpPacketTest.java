package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtp.RtpPacket.ParseResult;

class RtpPacketTest {

    /**
     * An Opus packet as Chromium sends it: one-byte extensions with Chromium's default audio ids
     * (1 ssrc-audio-level, 2 abs-send-time, 3 transport-wide-cc, 4 sdes:mid) and RTP padding.
     */
    static final String OPUS_ONE_BYTE_EXTENSIONS_PADDED = ""
            + "b0"       // V=2 P=1 X=1 CC=0
            + "6f"       // M=0 PT=111
            + "1234"     // sequence number 4660
            + "0001e240" // timestamp 123456
            + "deadbeef" // SSRC 3735928559
            + "bede"     // RFC 8285 one-byte form
            + "0003"     // extension length: 3 words
            + "10" + "8a"         // id 1 L=0: audio level, V=1, level 10 -dBov
            + "22" + "123456"     // id 2 L=2: abs-send-time 0x123456
            + "31" + "002a"       // id 3 L=1: transport-wide seq 42
            + "40" + "30"         // id 4 L=0: MID "0"
            + "00"                // padding to the word boundary
            + "780b1122" // payload (4 bytes)
            + "000003";  // RTP padding, count 3

    /** VP8 packet with a CSRC and the two-byte extension form (extmap-allow-mixed). */
    static final String VP8_TWO_BYTE_EXTENSIONS = ""
            + "91"       // V=2 P=0 X=1 CC=1
            + "e0"       // M=1 PT=96
            + "ffff"     // sequence number 65535
            + "ffffffff" // timestamp 2^32-1
            + "00000001" // SSRC 1
            + "00000002" // CSRC 2
            + "1000"     // RFC 8285 two-byte form, appbits 0
            + "0002"     // extension length: 2 words
            + "0f" + "02" + "0007" // id 15 len 2: transport-wide seq 7
            + "00"                 // padding between elements
            + "14" + "01" + "61"   // id 20 len 1: MID "a"
            + "10009d";  // payload (3 bytes)

    /** Smallest valid packet: fixed header only, PT 0. */
    static final String MINIMAL = "80" + "00" + "0000" + "00000000" + "00000000";

    /** A padding-only probe (as sent for bandwidth estimation): 4 bytes of padding, no payload. */
    static final String PADDING_ONLY = "a0" + "60" + "0100" + "00000010" + "00000020" + "00000004";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static Stream<Arguments> validPackets() {
        return Stream.of(
                // name, hex, V, P, X, CC, M, PT, seq, ts, ssrc, headerLength, payloadLength, paddingLength
                Arguments.of("opus one-byte padded", OPUS_ONE_BYTE_EXTENSIONS_PADDED,
                        2, true, true, 0, false, 111, 4660, 123456L, 3735928559L, 28, 4, 3),
                Arguments.of("vp8 two-byte csrc", VP8_TWO_BYTE_EXTENSIONS,
                        2, false, true, 1, true, 96, 65535, 4294967295L, 1L, 28, 3, 0),
                Arguments.of("minimal", MINIMAL,
                        2, false, false, 0, false, 0, 0, 0L, 0L, 12, 0, 0),
                Arguments.of("padding only", PADDING_ONLY,
                        2, true, false, 0, false, 96, 256, 16L, 32L, 12, 0, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPackets")
    void parsesFixedHeader(String name, String hex, int version, boolean padding, boolean extension, int cc,
                           boolean marker, int pt, int seq, long ts, long ssrc,
                           int headerLength, int payloadLength, int paddingLength) {
        byte[] bytes = hex(hex);
        RtpPacket p = new RtpPacket();
        assertEquals(ParseResult.OK, p.wrap(bytes, 0, bytes.length));
        assertAll(
                () -> assertEquals(version, p.version()),
                () -> assertEquals(padding, p.hasPadding()),
                () -> assertEquals(extension, p.hasExtension()),
                () -> assertEquals(cc, p.csrcCount()),
                () -> assertEquals(marker, p.marker()),
                () -> assertEquals(pt, p.payloadType()),
                () -> assertEquals(seq, p.sequenceNumber()),
                () -> assertEquals(ts, p.timestamp()),
                () -> assertEquals(ssrc, p.ssrc()),
                () -> assertEquals(headerLength, p.headerLength()),
                () -> assertEquals(headerLength, p.payloadOffset()),
                () -> assertEquals(payloadLength, p.payloadLength()),
                () -> assertEquals(paddingLength, p.paddingLength()),
                () -> assertEquals(bytes.length, p.length()));
    }

    static Stream<Arguments> malformedPackets() {
        return Stream.of(
                Arguments.of("empty", "", ParseResult.TOO_SHORT),
                Arguments.of("11 bytes", "80 6f 0001 00000000 112233", ParseResult.TOO_SHORT),
                // V=1
                Arguments.of("version 1", "40 6f 0001 00000000 11223344", ParseResult.BAD_VERSION),
                // V=0 (looks like STUN)
                Arguments.of("version 0", "00 01 0000 2112a442 11223344", ParseResult.BAD_VERSION),
                // V=3
                Arguments.of("version 3", "c0 6f 0001 00000000 11223344", ParseResult.BAD_VERSION),
                // CC=3 but one CSRC present
                Arguments.of("truncated csrc list", "83 6f 0001 00000000 11223344 00000001", ParseResult.BAD_LENGTH),
                // X=1 but only half of the extension header
                Arguments.of("truncated extension header", "90 6f 0001 00000000 11223344 bede", ParseResult.BAD_LENGTH),
                // extension length says 2 words, 1 present
                Arguments.of("truncated extension body", "90 6f 0001 00000000 11223344 bede 0002 108a0000",
                        ParseResult.BAD_LENGTH),
                // extension length 0xffff words
                Arguments.of("huge extension length", "90 6f 0001 00000000 11223344 bede ffff", ParseResult.BAD_LENGTH),
                // P=1, last byte 0
                Arguments.of("zero padding count", "a0 6f 0001 00000000 11223344 aabb00", ParseResult.BAD_PADDING),
                // P=1, count 5 but only 2 bytes after the header
                Arguments.of("padding longer than body", "a0 6f 0001 00000000 11223344 aa05", ParseResult.BAD_PADDING),
                // P=1, count 255
                Arguments.of("padding count 255", "a0 6f 0001 00000000 11223344 ff", ParseResult.BAD_PADDING),
                // P=1 with nothing after the header: the count byte would be inside the header
                Arguments.of("padding bit without bytes", "a0 6f 0001 00000000 11223344", ParseResult.BAD_PADDING));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedPackets")
    void rejectsMalformedWithoutThrowing(String name, String hex, ParseResult expected) {
        byte[] bytes = hex(hex);
        assertEquals(expected, RtpPacket.validate(bytes, 0, bytes.length));
        RtpPacket p = new RtpPacket();
        assertEquals(expected, p.wrap(bytes, 0, bytes.length));
        assertFalse(p.isWrapped());
    }

    @Test
    void everyTruncationOfAValidPacketIsRejectedOrStillConsistent() {
        byte[] full = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        RtpPacket p = new RtpPacket();
        for (int len = 0; len < full.length; len++) {
            // Must not throw, and whatever wraps must describe a packet inside [0, len).
            if (p.wrap(full, 0, len) == ParseResult.OK) {
                assertTrue(p.headerLength() + p.paddingLength() <= len, "len " + len);
                assertTrue(p.payloadLength() >= 0, "len " + len);
            }
        }
    }

    @ParameterizedTest(name = "wrap(off {0}, len {1})")
    @CsvSource({
            "-1, 12",
            "0,  -1",
            "30, 12", // past the end of a 35-byte array
            "0,  36",
    })
    void badBoundsAreReported(int off, int len) {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        assertEquals(ParseResult.BAD_BOUNDS, new RtpPacket().wrap(bytes, off, len));
        assertEquals(ParseResult.BAD_BOUNDS, RtpPacket.validate(null, 0, 12));
    }

    @ParameterizedTest(name = "one-byte id {0} at +{1}, length {2}")
    @CsvSource({
            // id, data offset from packet start (-1 = absent), length (-1 = absent)
            "1,  17, 1",
            "2,  19, 3",
            "3,  23, 2",
            "4,  26, 1",
            "5,  -1, -1", // not present
            "0,  -1, -1", // 0 is padding, never an id
            "-1, -1, -1", // "not negotiated"
            "15, -1, -1", // reserved in the one-byte form
    })
    void findsOneByteExtensions(int id, int dataOffset, int length) {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        int base = 7; // place the packet inside a larger array: offsets are absolute
        byte[] big = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, big, base, bytes.length);
        RtpPacket p = new RtpPacket();
        assertEquals(ParseResult.OK, p.wrap(big, base, bytes.length));
        assertEquals(dataOffset < 0 ? -1 : base + dataOffset, p.findExtension(id));
        assertEquals(length, p.extensionLength(id));
    }

    @ParameterizedTest(name = "two-byte id {0} at +{1}, length {2}")
    @CsvSource({
            "15, 22, 2", // id 15 is an ordinary id in the two-byte form
            "20, 27, 1", // found after a padding byte
            "4,  -1, -1",
            "256, -1, -1",
    })
    void findsTwoByteExtensions(int id, int dataOffset, int length) {
        byte[] bytes = hex(VP8_TWO_BYTE_EXTENSIONS);
        RtpPacket p = new RtpPacket();
        assertEquals(ParseResult.OK, p.wrap(bytes, 0, bytes.length));
        assertEquals(RtpPacket.TWO_BYTE_EXTENSION_PROFILE, p.extensionProfile());
        assertEquals(dataOffset, p.findExtension(id));
        assertEquals(length, p.extensionLength(id));
    }

    static Stream<Arguments> oddExtensionBlocks() {
        String fixed = "90 6f 0001 00000000 11223344";
        return Stream.of(
                // name, hex, id, expected data offset
                Arguments.of("element after id 15 is ignored",
                        fixed + "bede 0002" + "10 aa" + "f0" + "21 bbccdd" + "00", 2, -1),
                Arguments.of("element before id 15 is found",
                        fixed + "bede 0002" + "10 aa" + "f0" + "21 bbccdd" + "00", 1, 17),
                Arguments.of("element longer than the block",
                        fixed + "bede 0001" + "13 aabbcc", 1, -1),
                Arguments.of("leading padding bytes",
                        fixed + "bede 0001" + "0000" + "20 aa", 2, 19),
                Arguments.of("two-byte element header cut by the block end",
                        fixed + "1000 0001" + "000000" + "05", 5, -1),
                Arguments.of("two-byte zero-length element",
                        fixed + "1000 0001" + "0700" + "0000", 7, 18),
                Arguments.of("unknown profile is not RFC 8285",
                        fixed + "abcd 0001" + "10aa0000", 1, -1),
                Arguments.of("no extension at all", "80 6f 0001 00000000 11223344", 1, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddExtensionBlocks")
    void toleratesOddExtensionBlocks(String name, String hex, int id, int expectedOffset) {
        byte[] bytes = hex(hex);
        RtpPacket p = new RtpPacket();
        assertEquals(ParseResult.OK, p.wrap(bytes, 0, bytes.length));
        assertEquals(expectedOffset, p.findExtension(id));
    }

    @Test
    void readsWellKnownExtensions() {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertAll(
                () -> assertEquals(10, p.audioLevel(1)),
                () -> assertTrue(p.voiceActivity(1)),
                () -> assertEquals(0x123456, p.absSendTime(2)),
                () -> assertEquals(42, p.transportWideCcSequenceNumber(3)),
                () -> assertEquals("0", p.extensionAsString(4)),
                () -> assertTrue(p.extensionEquals(4, "0")),
                () -> assertFalse(p.extensionEquals(4, "1")),
                () -> assertFalse(p.extensionEquals(4, "00")),
                () -> assertFalse(p.extensionEquals(9, "0")),
                // wrong sizes read as absent
                () -> assertEquals(-1, p.audioLevel(2)),
                () -> assertEquals(-1, p.absSendTime(3)),
                () -> assertEquals(-1, p.transportWideCcSequenceNumber(1)),
                // absent
                () -> assertEquals(-1, p.audioLevel(7)),
                () -> assertFalse(p.voiceActivity(7)),
                () -> assertNull(p.extensionAsString(7)));
    }

    @ParameterizedTest(name = "audio level byte {0}")
    @CsvSource({
            // byte, voice activity, level
            "00, false, 0",
            "7f, false, 127",
            "80, true,  0",
            "ff, true,  127",
            "1e, false, 30",
    })
    void audioLevelSplitsVoiceFlagAndLevel(String levelByte, boolean voice, int level) {
        byte[] bytes = hex("90 6f 0001 00000000 11223344 bede 0001 10" + levelByte + "0000");
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertEquals(voice, p.voiceActivity(1));
        assertEquals(level, p.audioLevel(1));
    }

    @Test
    void readsTwoByteExtensionValues() {
        byte[] bytes = hex(VP8_TWO_BYTE_EXTENSIONS);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertEquals(7, p.transportWideCcSequenceNumber(15));
        assertEquals("a", p.extensionAsString(20));
        assertTrue(p.extensionEquals(20, "a"));
        assertEquals(2L, p.csrc(0));
    }

    @Test
    void settersWriteInPlace() {
        byte[] bytes = hex(MINIMAL);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        p.setMarker(true);
        p.setPayloadType(100);
        p.setSequenceNumber(0xBEEF);
        p.setTimestamp(0xFEDCBA98L);
        p.setSsrc(0x80000001L);
        assertArrayEquals(hex(""
                + "80"        // V=2
                + "e4"        // M=1 PT=100
                + "beef"      // seq
                + "fedcba98"  // ts
                + "80000001"), bytes);
        p.setPayloadType(0x7F);
        assertTrue(p.marker(), "setting PT keeps the marker");
        p.setMarker(false);
        assertEquals(0x7F, p.payloadType(), "clearing the marker keeps PT");
        assertEquals(0x7F, bytes[1]);
    }

    @Test
    void extensionSettersWriteInPlace() {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertTrue(p.setTransportWideCcSequenceNumber(3, 0xFFFF));
        assertTrue(p.setAbsSendTime(2, 0xABCDEF));
        assertFalse(p.setTransportWideCcSequenceNumber(9, 1));
        assertFalse(p.setAbsSendTime(1, 1), "id 1 is one byte, not abs-send-time");
        assertEquals(0xFFFF, p.transportWideCcSequenceNumber(3));
        assertEquals(0xABCDEF, p.absSendTime(2));
        assertEquals("22abcdef31ffff", HexFormat.of().formatHex(bytes, 18, 25));
    }

    static Stream<Arguments> extensionRewrites() {
        return Stream.of(
                // name, packet, map old->new, expected extension block elements (after the 4-byte block header)
                Arguments.of("one-byte renumber and strip", OPUS_ONE_BYTE_EXTENSIONS_PADDED,
                        Map.of(1, 5, 3, 7, 4, 1),
                        "508a" + "00000000" + "71002a" + "1030" + "00"), // id 2 became padding
                Arguments.of("one-byte identity", OPUS_ONE_BYTE_EXTENSIONS_PADDED,
                        Map.of(1, 1, 2, 2, 3, 3, 4, 4),
                        "108a" + "22123456" + "31002a" + "4030" + "00"),
                Arguments.of("one-byte strip all", OPUS_ONE_BYTE_EXTENSIONS_PADDED,
                        Map.of(),
                        "000000000000000000000000"),
                Arguments.of("two-byte renumber above 14", VP8_TWO_BYTE_EXTENSIONS,
                        Map.of(15, 3, 20, 200),
                        "03020007" + "00" + "c80161"),
                Arguments.of("two-byte strip one", VP8_TWO_BYTE_EXTENSIONS,
                        Map.of(20, 4),
                        "00000000" + "00" + "040161"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensionRewrites")
    void rewritesExtensionIdsInPlace(String name, String packetHex, Map<Integer, Integer> map, String expectedElements) {
        byte[] bytes = hex(packetHex);
        byte[] before = bytes.clone();
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        int elementsStart = RtpPacket.FIXED_HEADER_BYTES + 4 * p.csrcCount() + 4;
        int elementsEnd = p.headerLength();

        assertTrue(p.rewriteExtensionIds(HeaderExtensionIdMap.of(map)));

        assertEquals(expectedElements, HexFormat.of().formatHex(bytes, elementsStart, elementsEnd));
        // everything outside the elements is untouched
        assertArrayEquals(Arrays.copyOf(before, elementsStart), Arrays.copyOf(bytes, elementsStart));
        assertArrayEquals(Arrays.copyOfRange(before, elementsEnd, before.length),
                Arrays.copyOfRange(bytes, elementsEnd, bytes.length));
        assertEquals(ParseResult.OK, RtpPacket.validate(bytes, 0, bytes.length));
    }

    @Test
    void rewriteRefusesOneByteIdAbove14AndLeavesPacketUnchanged() {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        byte[] before = bytes.clone();
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        // id 1 is rewritten first; id 4 -> 20 fails later; nothing may have changed
        assertFalse(p.rewriteExtensionIds(HeaderExtensionIdMap.of(Map.of(1, 2, 2, 3, 3, 4, 4, 20))));
        assertArrayEquals(before, bytes);
    }

    @Test
    void rewriteRefusesMalformedBlockAndLeavesPacketUnchanged() {
        byte[] bytes = hex("90 6f 0001 00000000 11223344 bede 0001 10aa 13bb");
        byte[] before = bytes.clone();
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertFalse(p.rewriteExtensionIds(HeaderExtensionIdMap.STRIP_ALL));
        assertArrayEquals(before, bytes);
    }

    @Test
    void rewriteWithoutExtensionsIsANoOp() {
        byte[] bytes = hex(MINIMAL);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        assertTrue(p.rewriteExtensionIds(HeaderExtensionIdMap.STRIP_ALL));
        assertArrayEquals(hex(MINIMAL), bytes);
    }

    @Test
    void parseAndRewriteWorkOnTheCallersArrayWithoutCopying() {
        byte[] packet = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        byte[] pooled = new byte[1600];
        Arrays.fill(pooled, (byte) 0x5A);
        int off = 16;
        System.arraycopy(packet, 0, pooled, off, packet.length);

        RtpPacket p = new RtpPacket();
        assertEquals(ParseResult.OK, p.wrap(pooled, off, packet.length));
        p.setSsrc(0x01020304L);
        p.setSequenceNumber(1);
        p.setTransportWideCcSequenceNumber(3, 2);
        p.rewriteExtensionIds(HeaderExtensionIdMap.of(Map.of(1, 1, 3, 3, 4, 4)));

        assertSame(pooled, p.buffer());
        assertEquals(off, p.offset());
        assertEquals(0x01020304L, Bytes32.read(pooled, off + 8));
        assertEquals(1, p.sequenceNumber());
        assertEquals(2, p.transportWideCcSequenceNumber(3));
        assertEquals(-1, p.findExtension(2));
        // bytes around the packet are untouched
        for (int i = 0; i < off; i++) {
            assertEquals(0x5A, pooled[i]);
        }
        for (int i = off + packet.length; i < pooled.length; i++) {
            assertEquals(0x5A, pooled[i]);
        }
    }

    @Test
    void packetPathAllocatesNothing() {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        RtpPacket p = new RtpPacket();
        HeaderExtensionIdMap identity = HeaderExtensionIdMap.of(Map.of(1, 1, 2, 2, 3, 3, 4, 4));
        long[] sink = new long[1];
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                p.wrap(bytes, 0, bytes.length);
                p.setSequenceNumber(p.sequenceNumber() + 1);
                p.setSsrc(p.ssrc());
                p.setTransportWideCcSequenceNumber(3, i);
                p.rewriteExtensionIds(identity);
                sink[0] += p.audioLevel(1) + p.absSendTime(2) + p.payloadLength()
                        + (p.extensionEquals(4, "0") ? 1 : 0)
                        + (PacketClassifier.looksLikeRtp(bytes, 0, bytes.length) ? 1 : 0);
            }
        });
        assertEquals(0, allocated, "bytes allocated by 10000 packets");
        assertTrue(sink[0] > 0);
    }

    @Test
    void removePaddingShrinksTheView() {
        byte[] bytes = hex(OPUS_ONE_BYTE_EXTENSIONS_PADDED);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        p.removePadding();
        assertEquals(32, p.length());
        assertFalse(p.hasPadding());
        assertEquals(4, p.payloadLength());
        assertEquals(ParseResult.OK, RtpPacket.validate(bytes, 0, p.length()));
        p.removePadding();
        assertEquals(32, p.length(), "second call is a no-op");
    }

    @Test
    void copyToCopiesTheWholePacket() {
        byte[] bytes = hex(VP8_TWO_BYTE_EXTENSIONS);
        RtpPacket p = new RtpPacket();
        p.wrap(bytes, 0, bytes.length);
        byte[] dst = new byte[bytes.length + 4];
        assertEquals(bytes.length, p.copyTo(dst, 4));
        assertArrayEquals(bytes, Arrays.copyOfRange(dst, 4, dst.length));
    }

    @Test
    void toStringSummarises() {
        RtpPacket p = new RtpPacket();
        assertEquals("RtpPacket[unwrapped]", p.toString());
        byte[] bytes = hex(VP8_TWO_BYTE_EXTENSIONS);
        p.wrap(bytes, 0, bytes.length);
        assertEquals("RtpPacket[ssrc=1, seq=65535, ts=4294967295, pt=96, M, len=31, header=28, padding=0]", p.toString());
    }

    /** Independent big-endian read so the test does not trust the class under test. */
    private static final class Bytes32 {
        static long read(byte[] b, int i) {
            return ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFFL) << 16) | ((b[i + 2] & 0xFFL) << 8) | (b[i + 3] & 0xFFL);
        }
    }
}
