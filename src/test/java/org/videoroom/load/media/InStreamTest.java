package org.videoroom.load.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What a synthetic subscriber counts for one stream: sequence numbers extended over wraps (RFC 3550 A.1), gaps
 * (what it NACKs), loss, duplicates, RTX repairs and interarrival jitter (RFC 3550 §6.4.1, A.8).
 */
class InStreamTest {

    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;

    private final InStream audio = new InStream("2", "alice", false, 0x1111L, 0);
    private final InStream video = new InStream("3", "alice", true, 0x2222L, 0x3333L);

    @Test
    void inOrderPacketsOpenNoGapAndLoseNothing() {
        for (int s = 100; s < 110; s++) {
            assertEquals(0, media(audio, s, s * 960L, T0 + s * 20 * MS));
        }

        assertAll(
                () -> assertEquals(10, audio.packets()),
                () -> assertEquals(10, audio.expected()),
                () -> assertEquals(0, audio.lost()),
                () -> assertEquals(0, audio.duplicates()),
                () -> assertEquals(0x10000L + 109, audio.extendedHighest()),
                () -> assertEquals(10 * 100, audio.bytes()),
                () -> assertEquals(T0 + 100 * 20 * MS, audio.firstArrivalNanos()));
    }

    @Test
    void aJumpAheadReturnsTheGapItOpened() {
        media(video, 100, 0, T0);
        media(video, 101, 0, T0);

        assertEquals(3, media(video, 105, 3000, T0 + 33 * MS), "102, 103 and 104 are missing");

        assertEquals(3, video.lost());
        assertEquals(6, video.expected());
        assertEquals(0x10000L + 105, video.extendedHighest());
        assertEquals(0, media(video, 106, 3000, T0 + 34 * MS), "the next one in order opens none");
    }

    @Test
    void reorderedPacketsFillTheGap() {
        media(video, 100, 0, T0);
        media(video, 104, 0, T0);
        assertEquals(3, video.lost());

        assertEquals(0, media(video, 102, 0, T0), "a late packet opens no gap");
        assertEquals(2, video.lost());
        media(video, 101, 0, T0);
        media(video, 103, 0, T0);

        assertEquals(0, video.lost());
        assertEquals(5, video.packets());
        assertEquals(0, video.duplicates());
    }

    @Test
    void duplicatesAreCountedButNotTwice() {
        media(video, 100, 0, T0);
        media(video, 101, 0, T0);
        media(video, 101, 0, T0);
        media(video, 100, 0, T0);

        assertAll(
                () -> assertEquals(2, video.packets()),
                () -> assertEquals(2, video.duplicates()),
                () -> assertEquals(200, video.bytes(), "bytes of unique packets"),
                () -> assertEquals(0, video.lost()));
    }

    @Test
    void anRtxRepairFillsTheGapAndCountsAsRecovered() {
        media(video, 100, 0, T0);
        assertEquals(1, media(video, 102, 0, T0));
        assertEquals(1, video.lost());

        assertEquals(0, video.onPacket(101, 0, T0 + 30 * MS, 100, true, true, true));

        assertAll(
                () -> assertEquals(0, video.lost()),
                () -> assertEquals(1, video.recovered()),
                () -> assertEquals(3, video.packets()),
                () -> assertEquals(0, video.frames(), "repairs count no frame"),
                () -> assertEquals(0, video.keyframes(), "nor a keyframe"));

        video.onPacket(101, 0, T0 + 40 * MS, 100, true, false, false);
        video.onPacket(102, 0, T0 + 40 * MS, 100, true, false, false);
        assertEquals(2, video.duplicates(), "a repair of what arrived is a duplicate");
        assertEquals(1, video.recovered());
    }

    @Test
    void sequenceNumbersKeepCountingAcrossTheWrap() {
        for (int s = 65_533; s <= 65_535; s++) {
            media(audio, s, 0, T0);
        }
        assertEquals(0, media(audio, 0, 0, T0), "65535 → 0 is the next packet");
        media(audio, 1, 0, T0);
        assertEquals(2, media(audio, 4, 0, T0), "2 and 3 missing, after the wrap");
        assertEquals(0, media(audio, 65_535, 0, T0), "a duplicate from before the wrap");

        assertAll(
                () -> assertEquals(0x10000L + 0x10000L + 4, audio.extendedHighest(), "one cycle on"),
                () -> assertEquals(8, audio.expected()),
                () -> assertEquals(2, audio.lost()),
                () -> assertEquals(6, audio.packets()),
                () -> assertEquals(1, audio.duplicates()));
    }

    @Test
    void aGapAcrossTheWrapIsItsTrueSize() {
        media(audio, 65_534, 0, T0);

        assertEquals(2, media(audio, 1, 0, T0), "65535 and 0");
        assertEquals(2, audio.lost());
    }

    @Test
    void framesAndKeyframesComeFromMarkerAndKeyframeStart() {
        video.onPacket(1, 0, T0, 1000, false, false, true);
        video.onPacket(2, 0, T0, 1000, false, true, false);
        video.onPacket(3, 3000, T0 + 33 * MS, 500, false, true, false);

        assertEquals(2, video.frames());
        assertEquals(1, video.keyframes());
    }

    @Test
    void perfectlyPacedAudioHasNoJitter() {
        for (int i = 0; i < 100; i++) {
            media(audio, i, 12_345 + i * 960L, T0 + i * 20 * MS);
        }

        assertEquals(0, audio.jitterUnits());
        assertEquals(0.0, audio.jitterMillis());
    }

    @Test
    void perfectlyPacedVideoFramesOfSeveralPacketsHaveNoJitter() {
        int sequence = 0;
        for (int frame = 0; frame < 50; frame++) {
            // 40 ms is 3600 ticks of the 90 kHz clock; a frame's packets leave together.
            for (int p = 0; p < 3; p++) {
                video.onPacket(sequence++, frame * 3600L, T0 + frame * 40 * MS, 1000, false, p == 2, false);
            }
        }

        assertEquals(0, video.jitterUnits());
    }

    @Test
    void oneLatePacketRaisesTheJitterByASixteenthOfItsDelay() {
        media(audio, 0, 0, T0);
        media(audio, 1, 960, T0 + 20 * MS);
        // 16 ms late: 768 ticks of the 48 kHz clock, J = 768 / 16.
        media(audio, 2, 1920, T0 + 56 * MS);

        assertEquals(48, audio.jitterUnits());
        assertEquals(1.0, audio.jitterMillis(), 1e-9);
    }

    @Test
    void perfectlyPacedPacketsHaveNoJitterWhenTheTimestampWraps() {
        long start = 0x1_0000_0000L - 5 * 960L;
        for (int i = 0; i < 20; i++) {
            media(audio, i, (start + i * 960L) & 0xFFFF_FFFFL, T0 + i * 20 * MS);
        }

        assertEquals(0, audio.jitterUnits(), "RFC 3550 A.8 differences are modulo 2^32");
    }

    @Test
    void retransmissionsDoNotCountTowardsJitter() {
        media(audio, 0, 0, T0);
        media(audio, 2, 1920, T0 + 40 * MS);
        audio.onPacket(1, 960, T0 + 500 * MS, 100, true, false, false);
        media(audio, 3, 2880, T0 + 60 * MS);

        assertEquals(0, audio.jitterUnits());
    }

    /** An original packet of 100 bytes without marker or keyframe; returns the gap it opened. */
    private static int media(InStream stream, int sequenceNumber, long timestamp, long arrivalNanos) {
        return stream.onPacket(sequenceNumber, timestamp, arrivalNanos, 100, false, false, false);
    }
}
