package org.videoroom.media;

import java.util.Map;

/**
 * Who the room's active speaker is, decided a few times a second from each publisher's smoothed loudness
 * ({@link SpeechActivity}), with hysteresis so it does not flicker: the first one to talk becomes the speaker
 * after {@link #ONSET_NANOS}; another takes over after talking for {@link #TAKEOVER_NANOS} while the current one
 * is quiet, or while being {@link #MARGIN_DB} louder than the current one. The speaker stays the speaker while
 * the room is silent, as in Jitsi
 * Meet and LiveKit Meet: the last one who spoke keeps the big tile.
 *
 * <p>Plain logic over the values it is given; not thread-safe: one room's ticks come from one timer.
 *
 * @param <K> whatever identifies a participant
 */
final class DominantSpeaker<K> {

    /** Loudness (dB above -127 dBov) from which a publisher counts as speaking: about -67 dBov. */
    static final double SPEECH = 60;
    /** A challenger must be this much louder than a speaking current speaker. */
    static final double MARGIN_DB = 6;
    static final long ONSET_NANOS = 200_000_000L;
    static final long TAKEOVER_NANOS = 800_000_000L;

    private K current;
    private K challenger;
    private long challengerSince;

    /** The speaker now. */
    K current() {
        return current;
    }

    /**
     * Takes the loudness of every publisher of the room now and returns the speaker (possibly unchanged, null
     * while no one has spoken yet). A speaker no longer in {@code loudness} (gone) is dropped.
     */
    K tick(Map<K, Double> loudness, long now) {
        if (current != null && !loudness.containsKey(current)) {
            current = null;
        }
        K loudest = null;
        double loudestLevel = SPEECH;
        for (Map.Entry<K, Double> e : loudness.entrySet()) {
            if (e.getValue() >= loudestLevel && !e.getKey().equals(current)) {
                loudest = e.getKey();
                loudestLevel = e.getValue();
            }
        }
        double currentLevel = current == null ? 0 : loudness.get(current);
        boolean wins = loudest != null && (currentLevel < SPEECH || loudestLevel >= currentLevel + MARGIN_DB);
        if (!wins) {
            challenger = null;
            return current;
        }
        if (!loudest.equals(challenger)) {
            challenger = loudest;
            challengerSince = now;
        }
        long needed = current == null ? ONSET_NANOS : TAKEOVER_NANOS;
        if (now - challengerSince >= needed) {
            current = challenger;
            challenger = null;
        }
        return current;
    }
}
