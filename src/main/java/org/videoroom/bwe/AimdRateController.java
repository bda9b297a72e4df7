package org.videoroom.bwe;

/**
 * Turns the over-use detector's signal into a delay-based rate (draft-ietf-rmcat-gcc-02 §5.5):
 * a three-state machine. {@link BandwidthUsage#OVERUSING} decreases the rate to
 * {@link #BETA} times the acknowledged rate, then holds; {@link BandwidthUsage#UNDERUSING} holds
 * while the queue drains; {@link BandwidthUsage#NORMAL} after a hold increases.
 *
 * <p>Increase is multiplicative ({@link #INCREASE_PER_SECOND}) while the acknowledged rate is far
 * from the rate at which congestion was last seen, and additive (about one packet per response
 * time) near it. The rate at congestion is tracked as a mean with a variance; an acknowledged rate
 * more than three standard deviations away from it, at an increase above or at a decrease below,
 * forgets it (the path changed). Before the first
 * congestion signal, the rate grows by {@link #STARTUP_INCREASE_PER_SECOND}, a stand-in for the
 * probing a full GCC sender does, so a subscriber reaches its link rate in seconds rather than
 * tens of seconds. An increase never takes the rate above 1.5 times the acknowledged rate plus
 * 10 kbit/s: a rate that is not being used is not being measured.
 *
 * <p>A decrease is applied at most once per response interval (the round-trip time, 10..200 ms),
 * unless the rate is still more than twice the acknowledged rate.
 *
 * <p>Thread-safety: not thread-safe; confined to the estimator's thread.
 */
final class AimdRateController {

    static final double BETA = 0.85;
    static final double INCREASE_PER_SECOND = 1.08;
    static final double STARTUP_INCREASE_PER_SECOND = 1.5;
    static final long MIN_INCREASE_BPS = 1_000;
    static final long MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
    static final double ACKED_HEADROOM = 1.5;
    static final long ACKED_HEADROOM_BPS = 10_000;
    static final long MIN_DECREASE_INTERVAL_NANOS = 10_000_000;
    static final long MAX_DECREASE_INTERVAL_NANOS = 200_000_000;
    static final long EXTRA_RESPONSE_TIME_NANOS = 100_000_000;
    static final long MAX_STEP_NANOS = 1_000_000_000;
    static final double FRAMES_PER_SECOND = 30;
    static final int PACKET_BITS = 1200 * 8;
    /** Initial and minimum relative variance of the rate at congestion, in kbit/s. */
    static final double INITIAL_CAPACITY_VARIANCE = 0.4;
    static final double MIN_CAPACITY_VARIANCE = 0.4;
    static final double MAX_CAPACITY_VARIANCE = 2.5;
    static final double CAPACITY_SMOOTHING = 0.95;

    private enum State { HOLD, INCREASE, DECREASE }

    private final BweConfig config;
    private long rateBps;
    private State state = State.HOLD;
    private boolean startup = true;
    private long lastUpdateNanos;
    private boolean hasLastUpdate;
    private long lastDecreaseNanos;
    private boolean hasDecreased;
    private double capacityKbps = -1; // mean acknowledged rate at congestion; < 0 when unknown
    private double capacityVariance = INITIAL_CAPACITY_VARIANCE;
    private long decreases;

    AimdRateController(BweConfig config) {
        this.config = config;
        this.rateBps = config.startBps();
    }

    long rateBps() {
        return rateBps;
    }

    boolean inStartup() {
        return startup;
    }

    long decreases() {
        return decreases;
    }

    /** Whether an over-use seen now may reduce the rate again. */
    boolean timeToReduceFurther(long nowNanos, long rttNanos, long ackedBps) {
        if (!hasDecreased) {
            return true;
        }
        long interval = Math.max(MIN_DECREASE_INTERVAL_NANOS, Math.min(MAX_DECREASE_INTERVAL_NANOS, rttNanos));
        if (nowNanos - lastDecreaseNanos >= interval) {
            return true;
        }
        return ackedBps > 0 && ackedBps < rateBps / 2;
    }

    /**
     * Applies the detector's state at {@code nowNanos}; {@code ackedBps} is the acknowledged rate
     * or negative if unknown, {@code rttNanos} the current round-trip estimate.
     */
    long update(BandwidthUsage usage, long ackedBps, long rttNanos, long nowNanos) {
        long elapsed = hasLastUpdate ? Math.max(0, Math.min(MAX_STEP_NANOS, nowNanos - lastUpdateNanos)) : 0;
        hasLastUpdate = true;
        lastUpdateNanos = nowNanos;
        switch (usage) {
            case NORMAL -> {
                if (state == State.HOLD) {
                    state = State.INCREASE;
                }
            }
            case OVERUSING -> {
                if (state != State.DECREASE && timeToReduceFurther(nowNanos, rttNanos, ackedBps)) {
                    state = State.DECREASE;
                }
            }
            case UNDERUSING -> state = State.HOLD;
        }
        switch (state) {
            case HOLD -> { }
            case INCREASE -> increase(ackedBps, rttNanos, elapsed);
            case DECREASE -> decrease(ackedBps, nowNanos);
        }
        rateBps = config.clamp(rateBps);
        return rateBps;
    }

    private void increase(long ackedBps, long rttNanos, long elapsedNanos) {
        double ackedKbps = ackedBps / 1000.0;
        if (ackedBps > 0 && capacityKbps >= 0
                && ackedKbps > capacityKbps + 3 * Math.sqrt(capacityVariance * capacityKbps)) {
            capacityKbps = -1; // the path got faster than where congestion was last seen
        }
        double seconds = elapsedNanos / 1e9;
        long increased;
        if (startup) {
            increased = rateBps + Math.max(MIN_INCREASE_BPS,
                    (long) (rateBps * (Math.pow(STARTUP_INCREASE_PER_SECOND, seconds) - 1)));
        } else if (capacityKbps >= 0) {
            increased = rateBps + Math.max(0, (long) (additiveBpsPerSecond(rttNanos) * seconds));
        } else {
            increased = rateBps + Math.max(MIN_INCREASE_BPS,
                    (long) (rateBps * (Math.pow(INCREASE_PER_SECOND, seconds) - 1)));
        }
        if (seconds == 0) {
            increased = rateBps;
        }
        if (ackedBps > 0) {
            long ceiling = (long) (ACKED_HEADROOM * ackedBps) + ACKED_HEADROOM_BPS;
            increased = Math.min(increased, Math.max(ceiling, rateBps));
        }
        rateBps = increased;
    }

    /**
     * A probe showed that the path carries {@code bps}: the rate jumps there at once instead of creeping up
     * additively (libwebrtc treats its probe results the same way), and a congestion point below it is forgotten.
     */
    void onProbeResult(long bps) {
        if (bps <= rateBps) {
            return;
        }
        rateBps = config.clamp(bps);
        if (capacityKbps >= 0 && bps / 1000.0 > capacityKbps) {
            capacityKbps = -1;
        }
    }

    /** About one packet per response time, packets being a frame's share at 30 frames/s. */
    private double additiveBpsPerSecond(long rttNanos) {
        double bitsPerFrame = rateBps / FRAMES_PER_SECOND;
        double packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
        double packetBits = bitsPerFrame / Math.max(1, packetsPerFrame);
        double responseSeconds = (rttNanos + EXTRA_RESPONSE_TIME_NANOS) / 1e9;
        return Math.max(MIN_ADDITIVE_BPS_PER_SECOND, packetBits / responseSeconds);
    }

    private void decrease(long ackedBps, long nowNanos) {
        long target;
        if (ackedBps > 0) {
            target = (long) (BETA * ackedBps);
            if (target > rateBps && capacityKbps >= 0) {
                target = (long) (BETA * capacityKbps * 1000);
            }
            updateCapacity(ackedBps / 1000.0);
        } else {
            target = (long) (BETA * rateBps);
        }
        if (target < rateBps) {
            rateBps = target;
        }
        startup = false;
        hasDecreased = true;
        lastDecreaseNanos = nowNanos;
        decreases++;
        state = State.HOLD;
    }

    /** Folds an acknowledged rate seen at congestion into the capacity's mean and variance. */
    private void updateCapacity(double ackedKbps) {
        if (capacityKbps >= 0 && ackedKbps < capacityKbps - 3 * Math.sqrt(capacityVariance * capacityKbps)) {
            capacityKbps = -1; // the path got much slower: start the mean afresh
        }
        if (capacityKbps < 0) {
            capacityKbps = ackedKbps;
        } else {
            capacityKbps = CAPACITY_SMOOTHING * capacityKbps + (1 - CAPACITY_SMOOTHING) * ackedKbps;
        }
        double norm = Math.max(capacityKbps, 1.0);
        double error = capacityKbps - ackedKbps;
        capacityVariance = CAPACITY_SMOOTHING * capacityVariance
                + (1 - CAPACITY_SMOOTHING) * error * error / norm;
        capacityVariance = Math.max(MIN_CAPACITY_VARIANCE, Math.min(MAX_CAPACITY_VARIANCE, capacityVariance));
    }
}
