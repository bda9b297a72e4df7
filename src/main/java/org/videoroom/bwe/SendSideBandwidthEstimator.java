package org.videoroom.bwe;

import org.videoroom.rtcp.TransportWideCc;

/**
 * Send-side bandwidth estimate for one subscriber transport: how many bits per second the path
 * from this server to the subscriber carries, from the subscriber's transport-wide congestion
 * control feedback (RTPFB FMT 15) on the packets we stamped, after Google congestion control
 * (draft-ietf-rmcat-gcc-02).
 *
 * <p>The estimate is {@code min(delay-based, loss-based, REMB cap)}, clamped to
 * {@link BweConfig#minBps()}..{@link BweConfig#maxBps()}:
 * <ul>
 * <li>delay-based: a trendline over-use detector ({@link DelayBasedEstimator}) driving an AIMD
 *     controller ({@link AimdRateController}) that decreases to 0.85 times the acknowledged rate
 *     ({@link AcknowledgedBitrateEstimator}, 500 ms of arrivals);</li>
 * <li>loss-based: {@link LossBasedController}, lifted until loss above 10 % first cuts it;</li>
 * <li>REMB: the subscriber's own estimate from {@link #onRemb}, kept until the next one.</li>
 * </ul>
 *
 * <p>Time comes only from the arguments: send times from {@link #onPacketSent}, the local clock from
 * {@code nowNanos} of {@link #onFeedback} (both the same monotonic clock, e.g.
 * {@code System.nanoTime()}), arrival times from the feedback itself (the receiver's clock, of
 * which only differences are used).
 *
 * <p>Hostile or broken feedback never throws and never allocates in proportion to what it
 * declares: unknown, too old and duplicate packets are skipped, absurd arrival jumps restart the
 * delay and throughput estimators, REMB values are clamped; all of it is counted in
 * {@link #stats()}. Feedback handling allocates nothing; results go through a preallocated array.
 *
 * <p>Thread-safety: one rule. {@link #onFeedback}, {@link #onRemb} and {@link #stats()} are
 * confined to the subscriber's serial executor (one thread at a time, with happens-before between
 * tasks). {@link #onPacketSent} may be called from the send thread concurrently with them: it only
 * touches the {@link SendHistory}, which is thread-safe. {@link #estimateBps()} may be read from
 * any thread (a volatile field).
 */
public final class SendSideBandwidthEstimator {

    /** Round-trip time assumed until feedback gives one. */
    static final long DEFAULT_RTT_NANOS = 100_000_000;
    /** Round-trip samples outside 0..this are ignored. */
    static final long MAX_RTT_NANOS = 10_000_000_000L;
    static final double RTT_SMOOTHING = 0.875;

    private final BweConfig config;
    private final SendHistory history;
    private final PacketResult[] results;
    private final DelayBasedEstimator delay = new DelayBasedEstimator();
    private final AimdRateController aimd;
    private final LossBasedController loss;
    private final AcknowledgedBitrateEstimator acked;

    private volatile long estimateBps;
    private long rembCapBps = Long.MAX_VALUE;
    private long rttNanos = DEFAULT_RTT_NANOS;
    private boolean hasRtt;
    private long ackedBps = AcknowledgedBitrateEstimator.UNKNOWN;

    private long feedbacks;
    private long lostPackets;
    private long probeResults;
    private long emptyFeedbacks;
    private long rembs;
    private long rembsClamped;
    private long rembsInvalid;

    /** An estimator with its own {@link SendHistory} of {@link SendHistory#DEFAULT_CAPACITY} packets. */
    public SendSideBandwidthEstimator(BweConfig config) {
        this(config, new SendHistory());
    }

    /** An estimator matching feedback against {@code history}, which the send path fills. */
    public SendSideBandwidthEstimator(BweConfig config, SendHistory history) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.history = java.util.Objects.requireNonNull(history, "history");
        this.results = PacketResult.newArray(history.capacity());
        this.aimd = new AimdRateController(config);
        this.loss = new LossBasedController(config);
        this.acked = new AcknowledgedBitrateEstimator(history.capacity());
        this.estimateBps = config.startBps();
    }

    /** The history the send path records into. */
    public SendHistory sendHistory() {
        return history;
    }

    /** Records a sent packet; same as {@code sendHistory().onPacketSent(...)}. Any thread. */
    public void onPacketSent(int transportSequenceNumber, int sizeBytes, long sendTimeNanos) {
        history.onPacketSent(transportSequenceNumber, sizeBytes, sendTimeNanos);
    }

    /**
     * Takes one TWCC feedback packet received at {@code nowNanos} and returns the new estimate.
     * Never throws for any feedback content.
     */
    public long onFeedback(TransportWideCc feedback, long nowNanos) {
        feedbacks++;
        int n = history.onFeedback(feedback, results);
        long overusesBefore = delay.overuseEvents();
        long minRtt = Long.MAX_VALUE;
        int received = 0;
        for (int i = 0; i < n; i++) {
            PacketResult r = results[i];
            loss.onPacket(r.received(), r.previouslyReportedLost());
            if (!r.received()) {
                if (!r.previouslyReportedLost()) {
                    lostPackets++;
                }
                continue;
            }
            received++;
            acked.onPacketReceived(r.arrivalTimeMicros(), r.sizeBytes());
            delay.onPacket(r.sendTimeNanos(), r.arrivalTimeMicros());
            long rtt = nowNanos - r.sendTimeNanos();
            if (rtt >= 0 && rtt <= MAX_RTT_NANOS && rtt < minRtt) {
                minRtt = rtt;
            }
        }
        if (n == 0) {
            emptyFeedbacks++;
        }
        if (minRtt != Long.MAX_VALUE) {
            rttNanos = hasRtt ? (long) (RTT_SMOOTHING * rttNanos + (1 - RTT_SMOOTHING) * minRtt) : minRtt;
            hasRtt = true;
        }
        if (received > 0) {
            ackedBps = acked.bitrateBps();
            BandwidthUsage usage = delay.overuseEvents() != overusesBefore ? BandwidthUsage.OVERUSING : delay.usage();
            aimd.update(usage, ackedBps, rttNanos, nowNanos);
        }
        loss.update(estimateBps, rttNanos, nowNanos);
        return updateEstimate();
    }

    /**
     * Takes the bitrate of a REMB from the subscriber as a cap on the estimate until the next one.
     * Values outside the configured range are clamped into it (counted); negative ones are ignored
     * (counted). Returns the new estimate.
     */
    public long onRemb(long bitrateBps) {
        rembs++;
        if (bitrateBps < 0) {
            rembsInvalid++;
            return estimateBps;
        }
        if (bitrateBps < config.minBps() || bitrateBps > config.maxBps()) {
            rembsClamped++;
        }
        rembCapBps = config.clamp(bitrateBps);
        return updateEstimate();
    }

    /**
     * The result of a probe: the path delivered {@code bps} while the sender pushed above its estimate. Unless the
     * delay detector sees over-use right now, the delay-based rate and the loss-based limit rise to it.
     * Returns the new estimate.
     */
    public long onProbeResult(long bps) {
        probeResults++;
        if (bps > 0 && delay.usage() != BandwidthUsage.OVERUSING) {
            aimd.onProbeResult(bps);
            loss.onProbeResult(bps);
        }
        return updateEstimate();
    }

    /** Whether the delay detector sees a queue building now. Estimator's thread. */
    public boolean overusing() {
        return delay.usage() == BandwidthUsage.OVERUSING;
    }

    /** Packets the feedback reported lost so far (each counted once). Estimator's thread. */
    public long lostPackets() {
        return lostPackets;
    }

    /** What the subscriber acknowledged receiving over the last 500 ms, or -1 before feedback says. */
    public long acknowledgedBps() {
        return ackedBps;
    }

    /** The current estimate in bits per second. Any thread. */
    public long estimateBps() {
        return estimateBps;
    }

    private long updateEstimate() {
        long bps = Math.min(aimd.rateBps(), Math.min(loss.limitBps(), rembCapBps));
        long clamped = config.clamp(bps);
        estimateBps = clamped;
        return clamped;
    }

    /** A snapshot of the state and counters; call on the estimator's thread. */
    public Stats stats() {
        long lossLimit = loss.limitBps();
        return new Stats(estimateBps, aimd.rateBps(), lossLimit == LossBasedController.UNLIMITED ? -1 : lossLimit,
                rembCapBps == Long.MAX_VALUE ? -1 : rembCapBps, ackedBps, rttNanos, delay.usage(),
                delay.thresholdMs(), delay.modifiedTrend(), loss.lastLossFraction(), aimd.inStartup(), feedbacks,
                emptyFeedbacks, delay.groups(), delay.reorderedPackets(), delay.reorderedGroups(), delay.resets(),
                acked.resets(), delay.overuseEvents(), aimd.decreases(), loss.decreases(), rembs, rembsClamped,
                rembsInvalid, history.stats());
    }

    /**
     * State and counter snapshot.
     *
     * @param estimateBps      the estimate
     * @param delayBasedBps    the delay-based controller's rate
     * @param lossBasedBps     the loss-based limit, or -1 while lifted
     * @param rembCapBps       the REMB cap, or -1 before any REMB
     * @param acknowledgedBps  the acknowledged rate, or -1 while unknown
     * @param rttNanos         the smoothed round-trip estimate (feedback delay included)
     * @param delayUsage       the over-use detector's state
     * @param thresholdMs      the detector's adaptive threshold
     * @param modifiedTrend    the last scaled trend compared with it
     * @param lossFraction     the loss fraction of the last loss evaluation interval
     * @param startup          whether no congestion has been seen yet
     * @param feedbacks        feedback packets taken
     * @param emptyFeedbacks   feedback packets that matched no known packet
     * @param groups           send-time groups completed
     * @param reorderedPackets received packets ignored by the delay estimator as sent out of order
     * @param reorderedGroups  groups skipped for arriving before the previous group
     * @param delayResets      delay-estimator restarts after absurd arrival jumps
     * @param ackedResets      acknowledged-rate restarts after arrival times went far back
     * @param overuseEvents    times the detector entered over-use
     * @param delayDecreases   delay-based decreases
     * @param lossDecreases    loss-based decreases
     * @param rembs            REMBs taken
     * @param rembsClamped     REMBs outside the configured range
     * @param rembsInvalid     negative REMBs ignored
     * @param history          the send history's counters
     */
    public record Stats(long estimateBps, long delayBasedBps, long lossBasedBps, long rembCapBps, long acknowledgedBps,
                        long rttNanos, BandwidthUsage delayUsage, double thresholdMs, double modifiedTrend,
                        double lossFraction, boolean startup, long feedbacks, long emptyFeedbacks, long groups,
                        long reorderedPackets, long reorderedGroups, long delayResets, long ackedResets,
                        long overuseEvents, long delayDecreases, long lossDecreases, long rembs, long rembsClamped,
                        long rembsInvalid, SendHistory.Stats history) {
    }
}
