package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoodbyeTest {

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("one ssrc", ""
                                + "81 cb 0001"     // V=2 P=0 SC=1, PT=203, length 1
                                + "902f9e2e",      // SSRC
                        Goodbye.of(0x902f9e2eL)),
                Arguments.of("two ssrcs and a reason that fills a word", ""
                                + "82 cb 0003"     // SC=2, length 3 (16 bytes)
                                + "00000001 00000002"
                                + "03 627965",     // length 3, "bye"
                        new Goodbye(List.of(1L, 2L), "bye")),
                Arguments.of("reason padded with null octets", ""
                                + "81 cb 0003"     // SC=1, length 3 (16 bytes)
                                + "00000001"
                                + "04 6369616f"    // length 4, "ciao"
                                + "000000",        // pad to 32 bits
                        new Goodbye(List.of(1L), "ciao")),
                Arguments.of("no sources", "80 cb 0000", new Goodbye(List.of(), "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, Goodbye expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("count beyond length", "82 cb 0001 00000001"),
                Arguments.of("reason past the end", "81 cb 0002 00000001 09 616263"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsSkipped(String name, String hex) {
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, new RtcpParser().parse(Hex.bytes(hex)).status());
    }

    @Test
    void rejectsInvalidFields() {
        assertThrows(RtcpException.class, () -> new Goodbye(List.of(-1L), ""));
        assertThrows(RtcpException.class, () -> new Goodbye(Collections.nCopies(32, 1L), ""));
        assertThrows(RtcpException.class, () -> new Goodbye(List.of(1L), "x".repeat(256)));
    }
}
