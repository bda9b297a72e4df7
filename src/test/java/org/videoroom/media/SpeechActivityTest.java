package org.videoroom.media;

import org.junit.jupiter.api.Test;
import org.videoroom.rtp.RtpPacket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechActivityTest {

    private static final int ID = 1;

    /** An RTP packet with a one-byte-header audio level extension (RFC 8285, RFC 6464). */
    private static RtpPacket packet(int level) {
        byte[] b = {
            (byte) 0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42,
            (byte) 0xBE, (byte) 0xDE, 0, 1, (byte) (ID << 4), (byte) (0x80 | level), 0, 0,
            1, 2, 3, 4};
        RtpPacket p = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, p.wrap(b, 0, b.length));
        return p;
    }

    @Test
    void loudnessFollowsTheLevelsAndFallsToSilenceWithoutPackets() {
        SpeechActivity speech = new SpeechActivity();
        long t = 0;
        speech.onArrival(packet(20), t);
        assertEquals(0, speech.loudness(t), "not negotiated: ignored");
        speech.extensionId(ID);
        for (int i = 0; i < 50; i++) {
            speech.onArrival(packet(20), t += 20_000_000L);
        }
        assertEquals(107, speech.loudness(t), 0.5, "-20 dBov is 107 dB above the floor");
        for (int i = 0; i < 5; i++) {
            speech.onArrival(packet(127), t += 20_000_000L);
        }
        assertTrue(speech.loudness(t) < 107 * 0.4, "silence pulls it down within 100 ms: " + speech.loudness(t));
        speech.onArrival(packet(20), t += 20_000_000L);
        assertEquals(0, speech.loudness(t + SpeechActivity.SILENT_AFTER_NANOS + 1), "no packets: silent");
    }

    @Test
    void aPacketWithoutTheExtensionChangesNothing() {
        SpeechActivity speech = new SpeechActivity();
        speech.extensionId(2);
        speech.onArrival(packet(0), 0);
        assertEquals(0, speech.loudness(0));
    }
}
