package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.RtcpParser.Status;

class RtcpParserTest {

    private static final String RR = "80 c9 0001 00000001";                  // empty RR
    private static final String PLI = "81 ce 0002 00000001 00000002";        // PLI 1 -> 2
    private static final String NACK = "81 cd 0003 00000001 00000002 0064 0000"; // NACK seq 100

    static Stream<Arguments> compounds() {
        return Stream.of(
                // name, hex, expected classes in order, status, skipped
                Arguments.of("receiver compound: RR + SDES", RR + SourceDescriptionTest.CHROMIUM_CNAME,
                        List.of(ReceiverReport.class, SourceDescription.class), Status.OK, 0),
                Arguments.of("sender compound: SR + SDES + BYE",
                        SenderReportTest.SR_ONE_BLOCK + SourceDescriptionTest.CHROMIUM_CNAME + "81 cb 0001 902f9e2e",
                        List.of(SenderReport.class, SourceDescription.class, Goodbye.class), Status.OK, 0),
                Arguments.of("feedback compound: RR + PLI + NACK + REMB",
                        RR + PLI + NACK + ReceiverEstimatedMaxBitrateTest.CHROME_REMB,
                        List.of(ReceiverReport.class, PictureLossIndication.class, TransportLayerNack.class,
                                ReceiverEstimatedMaxBitrate.class), Status.OK, 0),
                Arguments.of("reduced-size: a lone PLI (RFC 5506)", PLI,
                        List.of(PictureLossIndication.class), Status.OK, 0),
                Arguments.of("valid padding on the last packet",
                        RR + "a1 ce 0003 00000001 00000002 00000004", // P=1 PLI with 4 padding bytes
                        List.of(ReceiverReport.class, PictureLossIndication.class), Status.OK, 0),
                Arguments.of("empty", "", List.of(), Status.TOO_SHORT, 0),
                Arguments.of("three bytes", "80c900", List.of(), Status.TOO_SHORT, 0),
                Arguments.of("version 1 first", "40 c9 0001 00000001", List.of(), Status.BAD_VERSION, 0),
                Arguments.of("version 0 after a good packet", RR + "00 c9 0001 00000001",
                        List.of(ReceiverReport.class), Status.BAD_VERSION, 0),
                Arguments.of("length past the end", RR + "80 c9 0005 00000001",
                        List.of(ReceiverReport.class), Status.BAD_LENGTH, 0),
                Arguments.of("trailing bytes", RR + "8000",
                        List.of(ReceiverReport.class), Status.BAD_LENGTH, 0),
                Arguments.of("zero padding count is skipped, the walk goes on",
                        "a0 c9 0002 00000001 00000000" + PLI,
                        List.of(PictureLossIndication.class), Status.BAD_PADDING, 1),
                Arguments.of("padding longer than the packet is skipped",
                        "a0 c9 0001 00000009" + PLI,
                        List.of(PictureLossIndication.class), Status.BAD_PADDING, 1),
                Arguments.of("malformed middle packet is skipped",
                        RR + "81 ce 0001 00000001" + NACK,
                        List.of(ReceiverReport.class, TransportLayerNack.class), Status.MALFORMED_PACKET, 1),
                Arguments.of("first problem wins", "81 ce 0001 00000001" + "a0 c9 0001 00000000",
                        List.of(), Status.MALFORMED_PACKET, 2),
                Arguments.of("invalid UTF-8 that grows past 255 bytes is malformed, not thrown",
                        "81 ca 0042 00000001 01 ff" + "ff".repeat(255) + "00 0000", // END + 2 pad: 268 bytes
                        List.of(), Status.MALFORMED_PACKET, 1),
                Arguments.of("unknown packet type", "80 d0 0001 00000001", List.of(RawRtcpPacket.class), Status.OK, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compounds")
    void walksCompoundPackets(String name, String hex, List<Class<?>> types, Status status, int skipped) {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes(hex));
        assertEquals(status, result.status());
        assertEquals(skipped, result.skippedPackets());
        assertEquals(types, result.packets().stream().map(Object::getClass).toList());
    }

    @Test
    void parsesAtAnOffset() {
        byte[] compound = Hex.bytes(RR + PLI);
        byte[] big = new byte[compound.length + 10];
        System.arraycopy(compound, 0, big, 3, compound.length);
        RtcpParser.Result result = new RtcpParser().parse(big, 3, compound.length);
        assertEquals(Status.OK, result.status());
        assertEquals(new PictureLossIndication(1, 2), result.packets().get(1));
    }

    @Test
    void badBounds() {
        RtcpParser parser = new RtcpParser();
        assertEquals(Status.BAD_BOUNDS, parser.parse(null).status());
        assertEquals(Status.BAD_BOUNDS, parser.parse(new byte[8], 4, 8).status());
        assertEquals(Status.BAD_BOUNDS, parser.parse(new byte[8], -1, 4).status());
    }

    @Test
    void everyTruncationOfAValidCompoundIsHandled() {
        byte[] compound = Hex.bytes(SenderReportTest.SR_ONE_BLOCK + SourceDescriptionTest.CHROMIUM_CNAME + PLI + NACK);
        RtcpParser parser = new RtcpParser();
        for (int len = 0; len <= compound.length; len++) {
            RtcpParser.Result result = parser.parse(compound, 0, len);
            assertTrue(result.packets().size() <= 4, "len " + len);
        }
        assertEquals(compound.length + 1, parser.stats().compoundPackets());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20240607);
        RtcpParser parser = new RtcpParser();
        byte[] buf = new byte[128];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(buf);
            // bias towards plausible headers so the decoders are reached
            buf[0] = (byte) (0x80 | (buf[0] & 0x3F));
            buf[1] = (byte) (200 + random.nextInt(8));
            buf[2] = 0;
            buf[3] = (byte) random.nextInt(40);
            parser.parse(buf, 0, random.nextInt(buf.length + 1));
        }
        assertEquals(20_000, parser.stats().compoundPackets());
    }

    @Test
    void countsPacketsRawAndSkipped() {
        RtcpParser parser = new RtcpParser();
        parser.parse(Hex.bytes(RR + PLI));
        parser.parse(Hex.bytes("80 cc 0001 00000001" + "81 ce 0001 00000001"));
        assertEquals(new RtcpParser.Stats(2, 3, 1, 1, 1), parser.stats());
    }

    @Test
    void resultListIsImmutable() {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes(RR));
        assertInstanceOf(ReceiverReport.class, result.packets().get(0));
        assertTrue(result.isOk());
        assertThrows(UnsupportedOperationException.class,
                () -> result.packets().add(new PictureLossIndication(1, 2)));
    }
}
