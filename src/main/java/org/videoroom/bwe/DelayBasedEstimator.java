package org.videoroom.bwe;

/**
 * Detects a growing queue on the path from the one-way delay of packet groups, after the trendline
 * variant of Google congestion control (draft-ietf-rmcat-gcc-02 §5, with a least-squares trend in
 * place of the Kalman filter).
 *
 * <ol>
 * <li><b>Groups.</b> Packets sent within {@link #GROUP_SPAN_NANOS} of a group's first packet form
 *     one group; a group is judged by its last packet's send and arrival time.</li>
 * <li><b>Delay variation.</b> For consecutive groups, {@code d = arrival delta - send delta}: how
 *     much longer the second group waited than the first.</li>
 * <li><b>Trend.</b> The variations are summed (the queueing delay, up to a constant), smoothed
 *     exponentially, and the slope of the last {@link #WINDOW_GROUPS} smoothed values over arrival
 *     time is fitted by least squares. A positive slope means the queue grows.</li>
 * <li><b>Detector.</b> The slope, scaled by the number of samples (up to 60) and a gain, is compared
 *     with an adaptive threshold {@code gamma}: above it for more than
 *     {@link #OVERUSE_TIME_MICROS} and still rising means {@link BandwidthUsage#OVERUSING}, below
 *     {@code -gamma} means {@link BandwidthUsage#UNDERUSING}, else {@link BandwidthUsage#NORMAL}.
 *     {@code gamma} follows the trend's magnitude, slowly upwards ({@link #K_UP}) and faster
 *     downwards ({@link #K_DOWN}), so that a competing TCP flow's standing queue does not starve us
 *     and a single spike does not move it.</li>
 * </ol>
 *
 * <p>Input packets must be received ones. A packet sent before the current group began (reordered
 * feedback) is ignored; a group that arrived before the previous one is skipped; an arrival jump
 * of more than {@link #MAX_DELAY_JUMP_MICROS} against the send times (receiver clock change,
 * hostile feedback) restarts the estimator. All are counted.
 *
 * <p>Thread-safety: not thread-safe; confined to the estimator's thread.
 */
final class DelayBasedEstimator {

    static final long GROUP_SPAN_NANOS = 5_000_000;
    static final int WINDOW_GROUPS = 20;
    static final double SMOOTHING = 0.9;
    static final double TREND_GAIN = 4.0;
    static final int MAX_SAMPLE_WEIGHT = 60;
    static final double INITIAL_THRESHOLD_MS = 12.5;
    static final double MIN_THRESHOLD_MS = 6;
    static final double MAX_THRESHOLD_MS = 600;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    /** A trend this far beyond the threshold is a spike the threshold does not follow. */
    static final double THRESHOLD_SPIKE_MS = 15;
    static final double MAX_THRESHOLD_STEP_MS = 100;
    static final long OVERUSE_TIME_MICROS = 10_000;
    static final long MAX_DELAY_JUMP_MICROS = 3_000_000;

    // Groups: the current (still filling) one and the last complete one.
    private boolean hasCurrent;
    private long currentFirstSendNanos;
    private long currentLastSendNanos;
    private long currentLastArrivalMicros;
    private boolean hasPrevious;
    private long previousSendNanos;
    private long previousArrivalMicros;

    // Trendline.
    private final double[] windowX = new double[WINDOW_GROUPS];
    private final double[] windowY = new double[WINDOW_GROUPS];
    private int windowHead;
    private int windowCount;
    private long firstArrivalMicros = Long.MIN_VALUE;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private int sampleCount;
    private double previousTrend;

    // Detector.
    private double thresholdMs = INITIAL_THRESHOLD_MS;
    private long lastThresholdUpdateMicros = Long.MIN_VALUE;
    private double overuseTimeMicros = -1;
    private int overuseCount;
    private double lastModifiedTrend;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;

    private long groups;
    private long reorderedPackets;
    private long reorderedGroups;
    private long resets;
    private long overuseEvents;

    /** Feeds one received packet; returns the detector's state afterwards. */
    BandwidthUsage onPacket(long sendTimeNanos, long arrivalTimeMicros) {
        if (!hasCurrent) {
            startGroup(sendTimeNanos, arrivalTimeMicros);
            return usage;
        }
        if (sendTimeNanos < currentFirstSendNanos) {
            reorderedPackets++;
            return usage;
        }
        if (sendTimeNanos - currentFirstSendNanos <= GROUP_SPAN_NANOS) {
            currentLastSendNanos = Math.max(currentLastSendNanos, sendTimeNanos);
            currentLastArrivalMicros = Math.max(currentLastArrivalMicros, arrivalTimeMicros);
            return usage;
        }
        completeGroup();
        startGroup(sendTimeNanos, arrivalTimeMicros);
        return usage;
    }

    BandwidthUsage usage() {
        return usage;
    }

    private void startGroup(long sendTimeNanos, long arrivalTimeMicros) {
        hasCurrent = true;
        currentFirstSendNanos = sendTimeNanos;
        currentLastSendNanos = sendTimeNanos;
        currentLastArrivalMicros = arrivalTimeMicros;
    }

    private void completeGroup() {
        groups++;
        long send = currentLastSendNanos;
        long arrival = currentLastArrivalMicros;
        if (!hasPrevious) {
            hasPrevious = true;
            previousSendNanos = send;
            previousArrivalMicros = arrival;
            return;
        }
        long sendDeltaMicros = (send - previousSendNanos) / 1000;
        long arrivalDeltaMicros = arrival - previousArrivalMicros;
        if (Math.abs(arrivalDeltaMicros - sendDeltaMicros) > MAX_DELAY_JUMP_MICROS) {
            resets++;
            reset();
            hasPrevious = true;
            previousSendNanos = send;
            previousArrivalMicros = arrival;
            return;
        }
        if (arrivalDeltaMicros < 0) {
            reorderedGroups++;
            return; // keep the previous group as the reference
        }
        previousSendNanos = send;
        previousArrivalMicros = arrival;
        onDelayVariation((arrivalDeltaMicros - sendDeltaMicros) / 1000.0, sendDeltaMicros, arrival);
    }

    private void onDelayVariation(double variationMs, long sendDeltaMicros, long arrivalMicros) {
        if (firstArrivalMicros == Long.MIN_VALUE) {
            firstArrivalMicros = arrivalMicros;
        }
        sampleCount = Math.min(sampleCount + 1, 1000);
        accumulatedDelayMs += variationMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        int slot = (windowHead + windowCount) % WINDOW_GROUPS;
        if (windowCount == WINDOW_GROUPS) {
            windowHead = (windowHead + 1) % WINDOW_GROUPS;
        } else {
            windowCount++;
        }
        windowX[slot] = (arrivalMicros - firstArrivalMicros) / 1000.0;
        windowY[slot] = smoothedDelayMs;
        double trend = windowCount == WINDOW_GROUPS ? slope() : previousTrend;
        detect(trend, sendDeltaMicros, arrivalMicros);
        previousTrend = trend;
    }

    /** Least-squares slope of the window; the previous trend if the x values do not vary. */
    private double slope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW_GROUPS; i++) {
            sumX += windowX[i];
            sumY += windowY[i];
        }
        double meanX = sumX / WINDOW_GROUPS;
        double meanY = sumY / WINDOW_GROUPS;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW_GROUPS; i++) {
            double dx = windowX[i] - meanX;
            numerator += dx * (windowY[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? previousTrend : numerator / denominator;
    }

    private void detect(double trend, long sendDeltaMicros, long nowMicros) {
        double modified = Math.min(sampleCount, MAX_SAMPLE_WEIGHT) * trend * TREND_GAIN;
        if (modified > thresholdMs) {
            if (overuseTimeMicros < 0) {
                overuseTimeMicros = sendDeltaMicros / 2.0;
            } else {
                overuseTimeMicros += sendDeltaMicros;
            }
            overuseCount++;
            if (overuseTimeMicros > OVERUSE_TIME_MICROS && overuseCount > 1 && trend >= previousTrend) {
                overuseTimeMicros = 0;
                overuseCount = 0;
                if (usage != BandwidthUsage.OVERUSING) {
                    overuseEvents++;
                }
                usage = BandwidthUsage.OVERUSING;
            }
        } else if (modified < -thresholdMs) {
            overuseTimeMicros = -1;
            overuseCount = 0;
            usage = BandwidthUsage.UNDERUSING;
        } else {
            overuseTimeMicros = -1;
            overuseCount = 0;
            usage = BandwidthUsage.NORMAL;
        }
        lastModifiedTrend = modified;
        adaptThreshold(modified, nowMicros);
    }

    private void adaptThreshold(double modified, long nowMicros) {
        if (lastThresholdUpdateMicros == Long.MIN_VALUE) {
            lastThresholdUpdateMicros = nowMicros;
        }
        double magnitude = Math.abs(modified);
        if (magnitude > thresholdMs + THRESHOLD_SPIKE_MS) {
            lastThresholdUpdateMicros = nowMicros;
            return;
        }
        double k = magnitude < thresholdMs ? K_DOWN : K_UP;
        double elapsedMs = Math.min(Math.max(0, nowMicros - lastThresholdUpdateMicros) / 1000.0,
                MAX_THRESHOLD_STEP_MS);
        thresholdMs += k * (magnitude - thresholdMs) * elapsedMs;
        thresholdMs = Math.max(MIN_THRESHOLD_MS, Math.min(MAX_THRESHOLD_MS, thresholdMs));
        lastThresholdUpdateMicros = nowMicros;
    }

    /**
     * Forgets every group and the trend, as after an arrival jump, without counting a reset: for a caller that
     * knows the send clock was re-based (a receive-side estimator resynchronising on abs-send-time).
     */
    void restart() {
        hasCurrent = false;
        reset();
    }

    private void reset() {
        hasPrevious = false;
        windowHead = 0;
        windowCount = 0;
        firstArrivalMicros = Long.MIN_VALUE;
        accumulatedDelayMs = 0;
        smoothedDelayMs = 0;
        sampleCount = 0;
        previousTrend = 0;
        thresholdMs = INITIAL_THRESHOLD_MS;
        lastThresholdUpdateMicros = Long.MIN_VALUE;
        overuseTimeMicros = -1;
        overuseCount = 0;
        usage = BandwidthUsage.NORMAL;
    }

    double thresholdMs() {
        return thresholdMs;
    }

    double modifiedTrend() {
        return lastModifiedTrend;
    }

    long groups() {
        return groups;
    }

    long reorderedPackets() {
        return reorderedPackets;
    }

    long reorderedGroups() {
        return reorderedGroups;
    }

    long resets() {
        return resets;
    }

    long overuseEvents() {
        return overuseEvents;
    }
}
