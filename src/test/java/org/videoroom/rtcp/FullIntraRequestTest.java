package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FullIntraRequestTest {

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("one entry", ""
                                + "84 ce 0004"   // V=2 P=0 FMT=4, PT=206, length 4 (20 bytes)
                                + "00000001"     // SSRC of packet sender
                                + "00000000"     // SSRC of media source: unused, 0 (RFC 5104 §4.3.1.2)
                                + "4bc4fcb4"     // FCI: SSRC
                                + "07 000000",   //      seq nr 7, reserved
                        FullIntraRequest.of(1, 0x4bc4fcb4L, 7)),
                Arguments.of("two entries", ""
                                + "84 ce 0006"   // length 6 (28 bytes)
                                + "00000001 00000000"
                                + "00000002 ff 000000"  // seq nr 255
                                + "00000003 00 000000", // seq nr 0
                        new FullIntraRequest(1, List.of(new FullIntraRequest.Entry(2, 255),
                                new FullIntraRequest.Entry(3, 0)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, FullIntraRequest expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    @Test
    void mediaSsrcFieldAndReservedBitsAreIgnoredWhenParsing() {
        // Some senders put the target in the media SSRC field or garbage in the reserved bits.
        assertEquals(FullIntraRequest.of(1, 2, 3),
                Hex.parseSingle("84 ce 0004 00000001 00000002 00000002 03 ffffff"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no entry", "84 ce 0002 00000001 00000000"),
                Arguments.of("half an entry", "84 ce 0003 00000001 00000000 00000002"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsSkipped(String name, String hex) {
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, new RtcpParser().parse(Hex.bytes(hex)).status());
    }

    @Test
    void rejectsInvalidFields() {
        assertThrows(RtcpException.class, () -> new FullIntraRequest(1, List.of()));
        assertThrows(RtcpException.class, () -> FullIntraRequest.of(1, 2, 256));
        assertThrows(RtcpException.class, () -> FullIntraRequest.of(1, -2, 0));
    }
}
