package org.videoroom.media;

import org.videoroom.room.ConnectionQuality;

/**
 * The server's view of one participant's uplink, for the quality mark the others see on its tile: from the
 * receiver reports the server makes of the participant's streams, each interval's worst loss fraction and
 * jitter. Classes as the page's own (js/quality.js): fair from 2 % loss or 30 ms jitter, poor from 8 % or 80 ms.
 * A new class is taken only when two intervals in a row agree, so one lost burst does not make the mark flicker
 * (and the room is not sent a message per report).
 *
 * <p>Used by the media timer thread only (the report tick); not thread-safe.
 */
final class UplinkQuality {

    static final double FAIR_LOSS = 0.02;
    static final double POOR_LOSS = 0.08;
    static final double FAIR_JITTER_MS = 30;
    static final double POOR_JITTER_MS = 80;

    private double worstLoss;
    private double worstJitterMs;
    private boolean sampled;
    private ConnectionQuality shown = ConnectionQuality.GOOD;
    private ConnectionQuality pending;

    /** One stream's figures of this interval: its RTCP fraction lost (0-255) and its jitter in ms. */
    void add(int fractionLost, double jitterMs) {
        worstLoss = Math.max(worstLoss, fractionLost / 256.0);
        worstJitterMs = Math.max(worstJitterMs, jitterMs);
        sampled = true;
    }

    /**
     * Ends the interval: the class to show now. An interval with no stream reported leaves the class as it is (a
     * participant that sends nothing has nothing to judge).
     */
    ConnectionQuality endInterval() {
        if (!sampled) {
            return shown;
        }
        ConnectionQuality now = classify(worstLoss, worstJitterMs);
        worstLoss = 0;
        worstJitterMs = 0;
        sampled = false;
        if (now == shown) {
            pending = null;
        } else if (now == pending) {
            shown = now;
            pending = null;
        } else {
            pending = now;
        }
        return shown;
    }

    static ConnectionQuality classify(double loss, double jitterMs) {
        if (loss >= POOR_LOSS || jitterMs >= POOR_JITTER_MS) {
            return ConnectionQuality.POOR;
        }
        if (loss >= FAIR_LOSS || jitterMs >= FAIR_JITTER_MS) {
            return ConnectionQuality.FAIR;
        }
        return ConnectionQuality.GOOD;
    }
}
