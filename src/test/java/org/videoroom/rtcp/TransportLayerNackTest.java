package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.TransportLayerNack.NackPair;

class TransportLayerNackTest {

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("one pair with bitmask", ""
                                + "81 cd 0003"   // V=2 P=0 FMT=1, PT=205, length 3 (16 bytes)
                                + "00000001"     // SSRC of packet sender
                                + "4bc4fcb4"     // SSRC of media source
                                + "0064 0005",   // PID 100, BLP 0b101: 101 and 103 lost too
                        new TransportLayerNack(1, 0x4bc4fcb4L, List.of(new NackPair(100, 0b101))),
                        new int[] {100, 101, 103}),
                Arguments.of("wraps past 65535", ""
                                + "81 cd 0003 00000001 00000002"
                                + "ffff 8001",   // PID 65535, BLP bits 0 and 15: 0 and 15
                        new TransportLayerNack(1, 2, List.of(new NackPair(65535, 0x8001))),
                        new int[] {65535, 0, 15}),
                Arguments.of("two pairs", ""
                                + "81 cd 0004 00000001 00000002"
                                + "0001 ffff"    // 1..17
                                + "0100 0000",   // 256
                        new TransportLayerNack(1, 2, List.of(new NackPair(1, 0xffff), new NackPair(256, 0))),
                        IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(256)).toArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesExpandsAndMarshalsBack(String name, String hex, TransportLayerNack expected, int[] lost) {
        TransportLayerNack parsed = (TransportLayerNack) Hex.parseSingle(hex);
        assertEquals(expected, parsed);
        assertArrayEquals(lost, parsed.lostSequenceNumbers());
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    static Stream<Arguments> builds() {
        return Stream.of(
                // name, lost sequence numbers, expected PID/BLP pairs as {pid, blp}...
                Arguments.of("single", new int[] {100}, new int[][] {{100, 0}}),
                Arguments.of("bitmask", new int[] {100, 101, 103}, new int[][] {{100, 0b101}}),
                Arguments.of("full 17", IntStream.rangeClosed(100, 116).toArray(), new int[][] {{100, 0xffff}}),
                Arguments.of("18 needs two pairs", IntStream.rangeClosed(100, 117).toArray(),
                        new int[][] {{100, 0xffff}, {117, 0}}),
                Arguments.of("across the wrap", new int[] {65534, 65535, 0, 1}, new int[][] {{65534, 0b111}}),
                Arguments.of("16 ahead across the wrap", new int[] {65535, 15}, new int[][] {{65535, 0x8000}}),
                Arguments.of("17 ahead is a new pair", new int[] {65535, 16}, new int[][] {{65535, 0}, {16, 0}}),
                Arguments.of("out of order starts new pairs", new int[] {5, 3}, new int[][] {{5, 0}, {3, 0}}),
                Arguments.of("duplicates", new int[] {7, 7, 8, 8}, new int[][] {{7, 1}}),
                Arguments.of("ints are taken modulo 2^16", new int[] {65536 + 9}, new int[][] {{9, 0}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builds")
    void buildsFromLostSequenceNumbers(String name, int[] lost, int[][] pairs) {
        List<NackPair> expected = Stream.of(pairs).map(p -> new NackPair(p[0], p[1])).toList();
        TransportLayerNack nack = TransportLayerNack.of(1, 2, lost);
        assertEquals(expected, nack.pairs());
        assertEquals(nack, TransportLayerNack.of(1, 2, IntStream.of(lost).boxed().toList()));
    }

    @Test
    void buildThenExpandRoundTripsAcrossTheWrap() {
        int[] lost = {65530, 65531, 65533, 65535, 0, 2, 3, 40, 41, 1000};
        TransportLayerNack nack = TransportLayerNack.of(1, 2, lost);
        assertArrayEquals(lost, nack.lostSequenceNumbers());
        assertEquals(nack, Hex.parseSingle(Hex.of(nack.marshal())));
    }

    @Test
    void nackWithoutFciIsMalformed() {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes("81 cd 0002 00000001 00000002"));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
        assertEquals(1, result.skippedPackets());
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThrows(RtcpException.class, () -> TransportLayerNack.of(1, 2));
        assertThrows(RtcpException.class, () -> new NackPair(65536, 0));
        assertThrows(RtcpException.class, () -> new NackPair(0, -1));
        assertThrows(RtcpException.class, () -> TransportLayerNack.of(-1, 2, 5));
    }
}
