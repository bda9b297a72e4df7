package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.buffer.BufferPool;

class RtxPacketizerTest {

    private static final long RTX_SSRC = 0x0BADCAFEL;
    private static final Map<Integer, Integer> APT = Map.of(96, 97, 111, 112);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static RtpPacket wrap(byte[] buf, int off, int len) {
        RtpPacket p = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, p.wrap(buf, off, len));
        return p;
    }

    static Stream<Arguments> rtxCases() {
        return Stream.of(
                Arguments.of("vp8 with csrc and two-byte extensions", RtpPacketTest.VP8_TWO_BYTE_EXTENSIONS, ""
                        + "91"                 // V=2 P=0 X=1 CC=1 (unchanged)
                        + "e1"                 // M=1 kept, PT=97 (RTX)
                        + "1000"               // RTX sequence number
                        + "ffffffff"           // timestamp kept
                        + "0badcafe"           // RTX SSRC
                        + "00000002"           // CSRC kept
                        + "1000 0002 0f020007 00 140161" // extensions kept
                        + "ffff"               // OSN 65535
                        + "10009d"),           // original payload
                Arguments.of("opus padding is dropped", RtpPacketTest.OPUS_ONE_BYTE_EXTENSIONS_PADDED, ""
                        + "90"                 // V=2 P=0 (cleared) X=1 CC=0
                        + "70"                 // M=0, PT=112 (RTX)
                        + "1000"               // RTX sequence number
                        + "0001e240"           // timestamp kept
                        + "0badcafe"           // RTX SSRC
                        + "bede 0003 108a 22123456 31002a 4030 00"
                        + "1234"               // OSN 4660
                        + "780b1122"));        // original payload, without its 3 padding bytes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtxCases")
    void packetizeIntoSeparateBuffer(String name, String originalHex, String expectedHex) {
        byte[] original = hex(originalHex);
        byte[] before = original.clone();
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 0x1000);
        byte[] dst = new byte[100];
        int len = rtx.packetize(wrap(original, 0, original.length), dst, 10);
        assertEquals(expectedHex.replace(" ", ""), HexFormat.of().formatHex(dst, 10, 10 + len));
        assertArrayEquals(before, original, "the original is untouched");
        assertEquals(0x1001, rtx.nextSequenceNumber());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtxCases")
    void packetizeInPlaceUsesHeadRoom(String name, String originalHex, String expectedHex) {
        byte[] original = hex(originalHex);
        byte[] pooled = new byte[BufferPool.bufferSizeFor(original.length)];
        int off = BufferPool.HEAD_ROOM_BYTES;
        System.arraycopy(original, 0, pooled, off, original.length);
        RtpPacket p = wrap(pooled, off, original.length);
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 0x1000);

        assertTrue(rtx.packetizeInPlace(p));

        assertSame(pooled, p.buffer());
        assertEquals(off - RtxPacketizer.OSN_BYTES, p.offset());
        assertEquals(expectedHex.replace(" ", ""), HexFormat.of().formatHex(pooled, p.offset(), p.offset() + p.length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtxCases")
    void depacketizeRestoresTheOriginal(String name, String originalHex, String rtxHex) {
        byte[] original = hex(originalHex);
        RtpPacket expected = wrap(original, 0, original.length);
        expected.removePadding(); // RTX never carries the original's padding
        byte[] rtxBytes = hex(rtxHex);
        RtpPacket p = wrap(rtxBytes, 0, rtxBytes.length);

        assertTrue(RtxPacketizer.depacketizeInPlace(p, expected.ssrc(), expected.payloadType()));

        assertSame(rtxBytes, p.buffer());
        assertEquals(RtxPacketizer.OSN_BYTES, p.offset());
        assertArrayEquals(Arrays.copyOf(original, expected.length()),
                Arrays.copyOfRange(rtxBytes, p.offset(), p.offset() + p.length()));
    }

    @Test
    void packetizeAndDepacketizeAllocateNothing() {
        byte[] original = hex(RtpPacketTest.VP8_TWO_BYTE_EXTENSIONS);
        byte[] work = new byte[BufferPool.bufferSizeFor(original.length)];
        byte[] dst = new byte[100];
        RtpPacket p = new RtpPacket();
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 0);
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                System.arraycopy(original, 0, work, BufferPool.HEAD_ROOM_BYTES, original.length);
                p.wrap(work, BufferPool.HEAD_ROOM_BYTES, original.length);
                rtx.packetize(p, dst, 0);
                rtx.packetizeInPlace(p);
                RtxPacketizer.depacketizeInPlace(p, 1, 96);
            }
        });
        assertEquals(0, allocated, "bytes allocated by 10000 RTX round trips");
    }

    @Test
    void unknownPayloadTypeIsRefusedWithoutConsumingASequenceNumber() {
        byte[] original = hex(RtpPacketTest.VP8_TWO_BYTE_EXTENSIONS);
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, Map.of(100, 101), 5);
        RtpPacket p = wrap(original, 0, original.length);
        assertEquals(-1, rtx.packetize(p, new byte[100], 0));
        assertEquals(-1, rtx.rtxPayloadType(96));
        assertEquals(-1, rtx.rtxPayloadType(200));
        assertEquals(5, rtx.nextSequenceNumber());
    }

    @Test
    void tooSmallDestinationIsRefused() {
        byte[] original = hex(RtpPacketTest.VP8_TWO_BYTE_EXTENSIONS);
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 5);
        RtpPacket p = wrap(original, 0, original.length);
        int needed = RtxPacketizer.rtxLength(p);
        assertEquals(original.length + 2, needed);
        assertEquals(-1, rtx.packetize(p, new byte[needed - 1], 0));
        assertEquals(needed, rtx.packetize(p, new byte[needed], 0));
        assertEquals(6, rtx.nextSequenceNumber());
    }

    @Test
    void inPlaceWithoutHeadRoomIsRefused() {
        byte[] original = hex(RtpPacketTest.VP8_TWO_BYTE_EXTENSIONS);
        byte[] before = original.clone();
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 5);
        RtpPacket p = wrap(original, 0, original.length);
        assertFalse(rtx.packetizeInPlace(p));
        assertArrayEquals(before, original);
        assertEquals(0, p.offset());
    }

    @Test
    void rtxSequenceNumbersWrap() {
        byte[] original = hex(RtpPacketTest.MINIMAL);
        original[1] = 96;
        RtxPacketizer rtx = new RtxPacketizer(RTX_SSRC, APT, 65535);
        RtpPacket p = wrap(original, 0, original.length);
        byte[] dst = new byte[20];
        rtx.packetize(p, dst, 0);
        assertEquals(65535, wrap(dst, 0, 14).sequenceNumber());
        rtx.packetize(p, dst, 0);
        assertEquals(0, wrap(dst, 0, 14).sequenceNumber());
    }

    @Test
    void paddingOnlyRtxCannotBeDepacketized() {
        byte[] probe = hex(RtpPacketTest.PADDING_ONLY);
        byte[] before = probe.clone();
        RtpPacket p = wrap(probe, 0, probe.length);
        assertFalse(RtxPacketizer.depacketizeInPlace(p, 1, 96));
        assertArrayEquals(before, probe);
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RtxPacketizer(-1, APT, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtxPacketizer(1L << 32, APT, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtxPacketizer(1, Map.of(128, 97), 0));
        assertThrows(IllegalArgumentException.class, () -> new RtxPacketizer(1, Map.of(96, -1), 0));
    }
}
