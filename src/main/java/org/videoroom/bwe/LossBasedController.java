package org.videoroom.bwe;

/**
 * A limit from the loss the feedback reports (draft-ietf-rmcat-gcc-02 §6). Losses are counted per
 * evaluation interval, which is one feedback packet or, at low rates, as many as it takes to cover
 * {@link #MIN_PACKETS} packets, so that one lost packet among three does not read as 33 %.
 *
 * <ul>
 * <li>Loss above {@link #HIGH_LOSS}: the limit becomes
 *     {@code min(limit, estimate) * (1 - 0.5 * loss)}, at most once per {@link #DECREASE_INTERVAL_NANOS}
 *     plus the round-trip time (in between, the limit holds at the estimate).</li>
 * <li>Loss from {@link #LOW_LOSS} to {@link #HIGH_LOSS}: the limit holds.</li>
 * <li>Loss below {@link #LOW_LOSS}: the limit grows by {@link #INCREASE_PER_SECOND}; once above the
 *     configured maximum it is lifted ({@link #UNLIMITED}).</li>
 * </ul>
 *
 * The limit starts lifted: loss only constrains the estimate after it has caused a decrease. A probe result
 * above the limit raises it ({@link #onProbeResult}).
 *
 * <p>Thread-safety: not thread-safe; confined to the estimator's thread.
 */
final class LossBasedController {

    static final long UNLIMITED = Long.MAX_VALUE;
    static final int MIN_PACKETS = 20;
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long INCREASE_BPS = 1_000;
    static final long DECREASE_INTERVAL_NANOS = 300_000_000;
    static final long MAX_STEP_NANOS = 1_000_000_000;

    private final BweConfig config;
    private long limitBps = UNLIMITED;
    private int expected;
    private int lost;
    private boolean hasEvaluated;
    private long lastEvaluationNanos;
    private boolean hasDecreased;
    private long lastDecreaseNanos;
    private double lastLossFraction;
    private long decreases;

    LossBasedController(BweConfig config) {
        this.config = config;
    }

    /** Counts one packet result; a late "received" for a packet counted lost takes that loss back. */
    void onPacket(boolean received, boolean previouslyReportedLost) {
        if (previouslyReportedLost) {
            if (received && lost > 0) {
                lost--;
            }
            return;
        }
        expected++;
        if (!received) {
            lost++;
        }
    }

    /** Ends an interval if enough packets were counted, and returns the limit. */
    long update(long estimateBps, long rttNanos, long nowNanos) {
        if (expected < MIN_PACKETS) {
            return limitBps;
        }
        double fraction = (double) lost / expected;
        expected = 0;
        lost = 0;
        lastLossFraction = fraction;
        long elapsed = hasEvaluated ? Math.max(0, Math.min(MAX_STEP_NANOS, nowNanos - lastEvaluationNanos)) : 0;
        hasEvaluated = true;
        lastEvaluationNanos = nowNanos;
        if (fraction > HIGH_LOSS) {
            long base = Math.min(limitBps, estimateBps);
            long interval = DECREASE_INTERVAL_NANOS + Math.max(0, rttNanos);
            if (!hasDecreased || nowNanos - lastDecreaseNanos >= interval) {
                limitBps = config.clamp((long) (base * (1 - 0.5 * fraction)));
                hasDecreased = true;
                lastDecreaseNanos = nowNanos;
                decreases++;
            } else {
                limitBps = base;
            }
        } else if (fraction < LOW_LOSS && limitBps != UNLIMITED) {
            double grown = limitBps * Math.pow(INCREASE_PER_SECOND, elapsed / 1e9) + (elapsed > 0 ? INCREASE_BPS : 0);
            limitBps = grown >= config.maxBps() ? UNLIMITED : (long) grown;
        }
        return limitBps;
    }

    /**
     * A probe showed that the path carries {@code bps} without the loss that set the limit: a limit below it rises
     * to it at once. Otherwise a link that recovered would wait for the slow growth above, at 8 % a second
     * (libwebrtc, too, sets its loss-based target to a probe's result).
     */
    void onProbeResult(long bps) {
        if (limitBps != UNLIMITED && bps > limitBps) {
            limitBps = bps >= config.maxBps() ? UNLIMITED : bps;
        }
    }

    long limitBps() {
        return limitBps;
    }

    double lastLossFraction() {
        return lastLossFraction;
    }

    long decreases() {
        return decreases;
    }
}
