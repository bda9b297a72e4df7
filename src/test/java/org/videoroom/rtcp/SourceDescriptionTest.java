package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.rtcp.SourceDescription.Chunk;
import org.videoroom.rtcp.SourceDescription.Item;

class SourceDescriptionTest {

    /** A CNAME chunk shaped like Chromium's: a 16-character random CNAME. */
    static final String CHROMIUM_CNAME = ""
            + "81 ca 0006"                          // V=2 P=0 SC=1, PT=202, length 6 (28 bytes)
            + "12345678"                            // SSRC
            + "01 10 34544f6b34326d536a58436b56496136" // CNAME, 16 bytes "4TOk42mSjXCkVIa6"
            + "00"                                  // END
            + "00";                                 // pad to 32 bits

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("chromium cname", CHROMIUM_CNAME,
                        SourceDescription.ofCname(0x12345678L, "4TOk42mSjXCkVIa6")),
                Arguments.of("two chunks, the first ending on a word boundary", ""
                                + "82 ca 0006"       // SC=2, length 6 (28 bytes)
                                + "00000001"         // chunk 1 SSRC
                                + "01 02 6162"       // CNAME "ab" (ends on a boundary)
                                + "00 000000"        // END + three null octets
                                + "00000002"         // chunk 2 SSRC
                                + "01 01 78"         // CNAME "x"
                                + "02 02 c3a9"       // NAME "é" (UTF-8)
                                + "00",              // END, already on a boundary
                        new SourceDescription(List.of(
                                new Chunk(1, List.of(new Item(SourceDescription.CNAME, "ab"))),
                                new Chunk(2, List.of(new Item(SourceDescription.CNAME, "x"),
                                        new Item(SourceDescription.NAME, "é")))))),
                Arguments.of("chunk without items", ""
                                + "81 ca 0002"       // SC=1, length 2 (12 bytes)
                                + "00000003"         // SSRC
                                + "00000000",        // END + padding
                        new SourceDescription(List.of(new Chunk(3, List.of())))),
                Arguments.of("no chunks", "80 ca 0000", new SourceDescription(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void parsesAndMarshalsBack(String name, String hex, SourceDescription expected) {
        assertEquals(expected, Hex.parseSingle(hex));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(expected.marshal()));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // SC=1 but no chunk
                Arguments.of("missing chunk", "81 ca 0000"),
                // item length 0x10 runs past the packet end
                Arguments.of("item past the end", "81 ca 0002 00000001 01 10 6162"),
                // items fill the packet but no END octet follows
                Arguments.of("no terminator", "81 ca 0002 00000001 01 02 6162"),
                // SC=2, second chunk missing
                Arguments.of("second chunk missing", "82 ca 0002 00000001 00 000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsSkipped(String name, String hex) {
        RtcpParser.Result result = new RtcpParser().parse(Hex.bytes(hex));
        assertEquals(RtcpParser.Status.MALFORMED_PACKET, result.status());
        assertEquals(1, result.skippedPackets());
    }

    @Test
    void findsCnameBySsrc() {
        SourceDescription sdes = (SourceDescription) Hex.parseSingle(CHROMIUM_CNAME);
        assertEquals(Optional.of("4TOk42mSjXCkVIa6"), sdes.cname(0x12345678L));
        assertEquals(Optional.empty(), sdes.cname(1));
    }

    @Test
    void rejectsInvalidItems() {
        assertThrows(RtcpException.class, () -> new Item(0, "x"));
        assertThrows(RtcpException.class, () -> new Item(256, "x"));
        assertThrows(RtcpException.class, () -> new Item(1, "x".repeat(256)));
        assertThrows(RtcpException.class, () -> new Chunk(-1, List.of()));
    }
}
