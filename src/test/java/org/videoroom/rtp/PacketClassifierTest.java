package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketClassifierTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name, hex, expected: stun dtls rtp rtcp
            // STUN Binding request: type 0x0001, length 0, magic cookie, 12-byte transaction id
            "stun binding request,      '0001 0000 2112a442 000102030405060708090a0b',   true,  false, false, false",
            // STUN Binding success response 0x0101: first byte 0x01
            "stun success response,     '0101 0000 2112a442 000102030405060708090a0b',   true,  false, false, false",
            // DTLS 1.2 handshake record: type 22, version fefd, epoch 0, seq 0, length 0
            "dtls handshake,            '16 fefd 0000 000000000000 0000',                false, true,  false, false",
            // DTLS application data: type 23
            "dtls application data,     '17 fefd 0001 000000000001 0000',                false, true,  false, false",
            // RTP: V=2 | PT 111 (opus) | seq 1 | ts | ssrc
            "rtp opus,                  '80 6f 0001 00000000 11223344',                  false, false, true,  false",
            // RTP with marker and PT 96: second byte 0xe0 (224) is just above the RTCP range
            "rtp marker pt 96,          '80 e0 0001 00000000 11223344',                  false, false, true,  false",
            // RTP with marker and PT 63: second byte 0xbf (191) is just below the RTCP range
            "rtp marker pt 63,          '80 bf 0001 00000000 11223344',                  false, false, true,  false",
            // RTCP RR, RC=0: 80 c9 (201) length 1, sender SSRC
            "rtcp receiver report,      '80 c9 0001 11223344',                           false, false, false, true",
            // RTCP SR: PT 200 = 0xc8 (lowest RTCP type in the RFC 5761 range is 192 = 0xc0)
            "rtcp sender report,        '80 c8 0006 11223344 0000000000000000 00000000 00000000 00000000', false, false, false, true",
            // RTCP PSFB PLI: 81 ce (206)
            "rtcp pli,                  '81 ce 0002 00000001 00000002',                  false, false, false, true",
            // RTCP with second byte 223 (0xdf), the top of the range
            "rtcp pt 223,               '80 df 0001 00000001',                           false, false, false, true",
            // TURN ChannelData 0x4000: none of ours
            "turn channel data,         '4000 0004 01020304',                            false, false, false, false",
            // first byte 0xc0 (V=3): outside every range
            "version 3,                 'c0 6f 0001 00000000 11223344',                  false, false, false, false",
            // too short for its class
            "short rtp,                 '80 6f 0001 0000',                               false, false, false, false",
            "short stun,                '0001 0000 2112a442',                            false, false, false, false",
            "short dtls,                '16 fefd 0000',                                  false, false, false, false",
            "short rtcp,                '80 c9 0001',                                    false, false, false, false",
            "empty,                     '',                                              false, false, false, false",
    })
    void classifiesByFirstBytes(String name, String hex, boolean stun, boolean dtls, boolean rtp, boolean rtcp) {
        byte[] b = HEX.parseHex(hex.replace(" ", ""));
        assertEquals(stun, PacketClassifier.looksLikeStun(b, 0, b.length), "stun");
        assertEquals(dtls, PacketClassifier.looksLikeDtls(b, 0, b.length), "dtls");
        assertEquals(rtp, PacketClassifier.looksLikeRtp(b, 0, b.length), "rtp");
        assertEquals(rtcp, PacketClassifier.looksLikeRtcp(b, 0, b.length), "rtcp");

        // The same bytes at an offset inside a larger array classify the same.
        byte[] shifted = new byte[b.length + 7];
        System.arraycopy(b, 0, shifted, 5, b.length);
        assertEquals(rtp, PacketClassifier.looksLikeRtp(shifted, 5, b.length), "rtp at offset");
        assertEquals(rtcp, PacketClassifier.looksLikeRtcp(shifted, 5, b.length), "rtcp at offset");
    }

    @Test
    void badRangesAnswerFalseInsteadOfThrowing() {
        byte[] rtp = HEX.parseHex("806f00010000000011223344");
        assertFalse(PacketClassifier.looksLikeRtp(null, 0, 12));
        assertFalse(PacketClassifier.looksLikeRtp(rtp, 1, 12));
        assertFalse(PacketClassifier.looksLikeRtp(rtp, -1, 12));
        assertFalse(PacketClassifier.looksLikeRtcp(rtp, 10, Integer.MAX_VALUE));
        assertFalse(PacketClassifier.looksLikeStun(rtp, 0, -5));
    }
}
