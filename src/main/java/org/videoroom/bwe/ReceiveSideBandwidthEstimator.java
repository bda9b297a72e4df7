package org.videoroom.bwe;

/**
 * Receive-side bandwidth estimate for one publisher transport: how many bits per second the path from the
 * publisher to this server carries, judged here from the packets themselves, for a publisher that gets no
 * transport-wide feedback (it negotiated {@code goog-remb} but not transport-cc) and learns our estimate from
 * REMB (draft-alvestrand-rmcat-remb-03) instead.
 *
 * <p>The send time of each packet comes from its abs-send-time header extension: 24 bits, 6.18 fixed-point
 * seconds, wrapping every 64 s. Consecutive values are unwrapped by their signed 24-bit difference, which is
 * exact as long as two packets in a row are less than 32 s apart on the sender's clock. From there the
 * pipeline is the send side's, turned around:
 * <ul>
 * <li>{@link DelayBasedEstimator} groups the packets into 5 ms send-time bursts and detects a growing queue
 *     from the delay variation between groups;</li>
 * <li>{@link AcknowledgedBitrateEstimator} measures the incoming rate over the last 500 ms of arrivals (of every
 *     packet, with or without abs-send-time: the sender's target covers all its streams);</li>
 * <li>{@link AimdRateController} turns over-use into a decrease to 0.85 times the incoming rate and normal use
 *     into an increase, each time a group completes.</li>
 * </ul>
 *
 * <p>Hostile or broken send times never throw and cost no allocation: a packet whose send-time step differs
 * from its arrival step by more than {@link #MAX_SEND_TIME_JUMP_NANOS} is not believed (an outlier); after
 * {@link #RESYNC_AFTER_OUTLIERS} of them in a row the sender's clock really moved, and the estimator follows it
 * (a resync: the delay detector restarts, the rate is kept). After {@link #MAX_GAP_NANOS} without a packet the
 * 64 s wrap makes the next step ambiguous, so the estimator resyncs quietly. Everything is counted in
 * {@link #stats()}.
 *
 * <p>Thread-safety: {@link #onPacket} and {@link #stats()} are confined to the transport's receive thread;
 * {@link #estimateBps()} may be read from any thread.
 */
public final class ReceiveSideBandwidthEstimator {

    /** Fractional bits of abs-send-time. */
    static final int ABS_SEND_TIME_FRACTION_BITS = 18;
    static final int ABS_SEND_TIME_MAX = 0xFF_FFFF;
    /** What {@link org.videoroom.rtp.RtpPacket#absSendTime} returns for a packet without the extension. */
    public static final int NO_SEND_TIME = -1;
    /** A send-time step this far from the arrival step is not a queue that changed, it is a clock that did. */
    static final long MAX_SEND_TIME_JUMP_NANOS = 3_000_000_000L;
    /** Disbelieved packets in a row after which the sender's clock is taken to have moved for good. */
    static final int RESYNC_AFTER_OUTLIERS = 8;
    /** Silence after which abs-send-time steps are ambiguous (half the wrap, minus a margin). */
    static final long MAX_GAP_NANOS = 30_000_000_000L;
    /** Round-trip time to the publisher assumed by the rate controller; the server does not measure it yet. */
    static final long RTT_NANOS = 100_000_000L;
    /** Arrivals the incoming-rate window holds: 500 ms at about 20 Mbit/s of 1200-byte packets. */
    static final int INCOMING_CAPACITY = 2048;

    private final BweConfig config;
    private final DelayBasedEstimator delay = new DelayBasedEstimator();
    private final AimdRateController aimd;
    private final AcknowledgedBitrateEstimator incoming = new AcknowledgedBitrateEstimator(INCOMING_CAPACITY);

    private volatile long estimateBps;
    private long incomingBps = AcknowledgedBitrateEstimator.UNKNOWN;

    // The last believed packet: the reference for unwrapping and for the jump check.
    private boolean hasReference;
    private int lastAbsSendTime;
    private long extendedSendUnits;
    private long highestWrap;
    private long lastArrivalNanos;
    private int consecutiveOutliers;

    private long seenGroups;
    private long seenOveruses;

    private long packets;
    private long packetsWithoutSendTime;
    private long invalidSendTimes;
    private long outliers;
    private long resyncs;
    private long wraps;

    public ReceiveSideBandwidthEstimator(BweConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.aimd = new AimdRateController(config);
        this.estimateBps = config.startBps();
    }

    /**
     * Takes one received RTP packet and returns the estimate afterwards.
     *
     * @param absSendTime the packet's abs-send-time (0..0xFFFFFF), or {@link #NO_SEND_TIME}
     * @param sizeBytes   the packet's size, counted for the incoming rate
     * @param arrivalNanos when it arrived, on a monotonic local clock (e.g. {@code System.nanoTime()})
     */
    public long onPacket(int absSendTime, int sizeBytes, long arrivalNanos) {
        packets++;
        if (hasReference && arrivalNanos < lastArrivalNanos) {
            arrivalNanos = lastArrivalNanos; // a clock that went back would read as a draining queue
        }
        long arrivalMicros = Math.floorDiv(arrivalNanos, 1000);
        incoming.onPacketReceived(arrivalMicros, Math.max(0, sizeBytes));
        if (absSendTime == NO_SEND_TIME) {
            packetsWithoutSendTime++;
            return estimateBps;
        }
        if (absSendTime < 0 || absSendTime > ABS_SEND_TIME_MAX) {
            invalidSendTimes++;
            return estimateBps;
        }
        if (!hasReference) {
            hasReference = true;
            extendedSendUnits = absSendTime;
            accept(absSendTime, arrivalNanos);
        } else if (arrivalNanos - lastArrivalNanos > MAX_GAP_NANOS) {
            resync(absSendTime, arrivalNanos);
        } else {
            // The signed 24-bit difference: exact across the 64 s wrap, ±32 s at most.
            int step = ((absSendTime - lastAbsSendTime) << 8) >> 8;
            long stepNanos = unitsToNanos(step);
            if (Math.abs(stepNanos - (arrivalNanos - lastArrivalNanos)) > MAX_SEND_TIME_JUMP_NANOS) {
                outliers++;
                if (++consecutiveOutliers < RESYNC_AFTER_OUTLIERS) {
                    return estimateBps;
                }
                resync(absSendTime, arrivalNanos);
            } else {
                extendedSendUnits += step;
                if (extendedSendUnits >> 24 > highestWrap) {
                    highestWrap = extendedSendUnits >> 24; // counted once, however the wrap is reordered
                    wraps++;
                }
                accept(absSendTime, arrivalNanos);
            }
        }
        delay.onPacket(unitsToNanos(extendedSendUnits), arrivalMicros);
        long groups = delay.groups();
        long overuses = delay.overuseEvents();
        if (groups != seenGroups || overuses != seenOveruses) {
            // An over-use that began and ended within one group still counts, as on the send side.
            BandwidthUsage usage = overuses != seenOveruses ? BandwidthUsage.OVERUSING : delay.usage();
            seenGroups = groups;
            seenOveruses = overuses;
            incomingBps = incoming.bitrateBps();
            estimateBps = config.clamp(aimd.update(usage, incomingBps, RTT_NANOS, arrivalNanos));
        }
        return estimateBps;
    }

    private void accept(int absSendTime, long arrivalNanos) {
        lastAbsSendTime = absSendTime;
        lastArrivalNanos = arrivalNanos;
        consecutiveOutliers = 0;
    }

    /**
     * Follows a send clock that moved: the extended send time continues by the arrival step (so it never runs
     * backwards), and the delay detector forgets groups measured on the old clock.
     */
    private void resync(int absSendTime, long arrivalNanos) {
        resyncs++;
        extendedSendUnits += nanosToUnits(arrivalNanos - lastArrivalNanos);
        highestWrap = Math.max(highestWrap, extendedSendUnits >> 24);
        delay.restart();
        seenGroups = delay.groups();
        seenOveruses = delay.overuseEvents();
        accept(absSendTime, arrivalNanos);
    }

    /** 6.18 fixed-point seconds to nanoseconds, without overflow for any extended value in reach. */
    static long unitsToNanos(long units) {
        long fraction = units & ((1L << ABS_SEND_TIME_FRACTION_BITS) - 1);
        return (units >> ABS_SEND_TIME_FRACTION_BITS) * 1_000_000_000L
                + ((fraction * 1_000_000_000L) >> ABS_SEND_TIME_FRACTION_BITS);
    }

    static long nanosToUnits(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L) << ABS_SEND_TIME_FRACTION_BITS
                | (Math.floorMod(nanos, 1_000_000_000L) << ABS_SEND_TIME_FRACTION_BITS) / 1_000_000_000L;
    }

    /** The estimate in bits per second, what a REMB should carry. Any thread. */
    public long estimateBps() {
        return estimateBps;
    }

    /** A snapshot of the state and counters; on the receive thread. */
    public Stats stats() {
        return new Stats(estimateBps, incomingBps, delay.usage(), delay.thresholdMs(), delay.modifiedTrend(),
                aimd.inStartup(), packets, packetsWithoutSendTime, invalidSendTimes, outliers, resyncs, wraps,
                delay.groups(), delay.reorderedPackets(), delay.reorderedGroups(), delay.resets(),
                delay.overuseEvents(), aimd.decreases());
    }

    /**
     * State and counter snapshot.
     *
     * @param estimateBps            the estimate
     * @param incomingBps            the incoming rate over the last 500 ms when a group last completed, -1 while
     *                               unknown
     * @param delayUsage             the over-use detector's state
     * @param thresholdMs            the detector's adaptive threshold
     * @param modifiedTrend          the last scaled trend compared with it
     * @param startup                whether no congestion has been seen yet
     * @param packets                packets taken
     * @param packetsWithoutSendTime packets without abs-send-time (counted for the incoming rate only)
     * @param invalidSendTimes       send times outside 24 bits, ignored
     * @param outliers               packets whose send-time step was not believed
     * @param resyncs                times the estimator followed a moved send clock or restarted after silence
     * @param wraps                  64 s wraps of abs-send-time followed
     * @param groups                 send-time groups completed
     * @param reorderedPackets       packets ignored as sent before the current group
     * @param reorderedGroups        groups skipped for arriving before the previous one
     * @param delayResets            delay-detector restarts after absurd arrival jumps between groups
     * @param overuseEvents          times the detector entered over-use
     * @param decreases              rate decreases
     */
    public record Stats(long estimateBps, long incomingBps, BandwidthUsage delayUsage, double thresholdMs,
                        double modifiedTrend, boolean startup, long packets, long packetsWithoutSendTime,
                        long invalidSendTimes, long outliers, long resyncs, long wraps, long groups,
                        long reorderedPackets, long reorderedGroups, long delayResets, long overuseEvents,
                        long decreases) {
    }
}
