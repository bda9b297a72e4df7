package org.videoroom.media;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DominantSpeakerTest {

    private static final long TICK = 200_000_000L;
    private final DominantSpeaker<String> speaker = new DominantSpeaker<>();
    private long now;

    /** Runs ticks for the given time with these loudness values; returns the speaker after them. */
    private String run(long nanos, Object... loudness) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < loudness.length; i += 2) {
            values.put((String) loudness[i], ((Number) loudness[i + 1]).doubleValue());
        }
        String current = speaker.current();
        for (long t = 0; t < nanos; t += TICK) {
            now += TICK;
            current = speaker.tick(values, now);
        }
        return current;
    }

    @Test
    void theFirstToTalkBecomesTheSpeakerQuicklyAndStaysWhileTheRoomIsSilent() {
        assertNull(run(2_000_000_000L, "ada", 0, "bob", 10), "background noise is no speech");
        assertEquals("ada", run(400_000_000L, "ada", 90, "bob", 10));
        assertEquals("ada", run(5_000_000_000L, "ada", 0, "bob", 0), "the last speaker keeps the tile in silence");
    }

    @Test
    void anotherTakesOverAfterTalkingWhileTheSpeakerIsQuietButNotForABriefInterjection() {
        run(1_000_000_000L, "ada", 90, "bob", 0);
        assertEquals("ada", run(400_000_000L, "ada", 0, "bob", 85), "a short 'mm-hm' does not take over");
        assertEquals("ada", run(1_000_000_000L, "ada", 90, "bob", 0));
        assertEquals("bob", run(1_000_000_000L, "ada", 0, "bob", 85));
    }

    @Test
    void whileBothTalkTheClearlyLouderOneWinsAndSimilarLevelsDoNotFlicker() {
        run(1_000_000_000L, "ada", 85, "bob", 0);
        assertEquals("ada", run(3_000_000_000L, "ada", 85, "bob", 88), "3 dB louder is not enough");
        assertEquals("bob", run(1_000_000_000L, "ada", 80, "bob", 95));
    }

    @Test
    void aSpeakerWhoLeavesIsReplaced() {
        run(1_000_000_000L, "ada", 90, "bob", 0);
        assertNull(run(TICK, "bob", 0), "gone, and no one else speaks");
        assertEquals("bob", run(400_000_000L, "bob", 70));
    }
}
