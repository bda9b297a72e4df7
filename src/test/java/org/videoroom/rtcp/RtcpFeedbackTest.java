package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpFeedbackTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name, hex, is feedback, sender SSRC, media SSRC
            "PLI,          81ce0002 00000001 00000002,          true,  1, 2",
            "NACK,         81cd0003 0000000a 0000000b 00640000, true,  10, 11",
            "REMB,         8fce0004 00000005 00000000 52454d42 00000000, true, 5, 0",
            "RR,           80c90001 00000001,                   false, -1, -1",
            "truncated,    81ce0002 00000001,                   false, -1, -1",
            "version 1,    41ce0002 00000001 00000002,          false, -1, -1",
    })
    void readsSsrcsInPlace(String name, String hex, boolean feedback, long sender, long media) {
        byte[] b = Hex.bytes(hex);
        assertEquals(feedback, RtcpFeedback.isFeedback(b, 0, b.length));
        assertEquals(sender, RtcpFeedback.senderSsrc(b, 0, b.length));
        assertEquals(media, RtcpFeedback.mediaSsrc(b, 0, b.length));
    }

    @Test
    void rewritesAForwardedPliInPlaceWithoutCopying() {
        // A subscriber's compound: RR, then a PLI for the SFU's outgoing SSRC 0x0000beef.
        byte[] compound = Hex.bytes("80c90001 00000001" + "81ce0002 00000001 0000beef");
        int pliOffset = 8;
        int pliLength = RtcpHeader.packetLength(compound, pliOffset);

        // Forward upstream: the SFU is the sender now, the publisher's SSRC is the media source.
        assertTrue(RtcpFeedback.setSenderSsrc(compound, pliOffset, pliLength, 0x5F5F5F5FL));
        assertTrue(RtcpFeedback.setMediaSsrc(compound, pliOffset, pliLength, 0xCAFEBABEL));

        assertEquals("80c9000100000001" + "81ce00025f5f5f5fcafebabe", Hex.of(compound));
        RtcpParser.Result parsed = new RtcpParser().parse(compound, pliOffset, pliLength);
        assertEquals(new PictureLossIndication(0x5F5F5F5FL, 0xCAFEBABEL), parsed.packets().get(0));
    }

    @Test
    void refusesToWriteIntoNonFeedbackPackets() {
        byte[] rr = Hex.bytes("80c90002 00000001 00000002");
        assertFalse(RtcpFeedback.setMediaSsrc(rr, 0, rr.length, 7));
        assertFalse(RtcpFeedback.setSenderSsrc(rr, 0, rr.length, 7));
        assertFalse(RtcpFeedback.setMediaSsrc(rr, 4, 12, 7));
        assertEquals("80c900020000000100000002", Hex.of(rr));
    }
}
