package org.videoroom.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.videoroom.bwe.AllocatableTrack;
import org.videoroom.bwe.Allocation;
import org.videoroom.bwe.BandwidthAllocator;
import org.videoroom.bwe.BweConfig;
import org.videoroom.bwe.SendSideBandwidthEstimator;
import org.videoroom.sdp.MediaKind;
import org.videoroom.rtcp.TransportWideCc;

/**
 * The link from the server to one subscriber: its send-side bandwidth estimate ({@link SendSideBandwidthEstimator},
 * fed by what we send it and its transport-wide feedback and REMB), spent every {@link #ALLOCATION_INTERVAL_MS}
 * on its subscriptions' layers by the {@link BandwidthAllocator}, and RTX probes when the allocation is held back
 * by the estimate (a link that recovered would otherwise never show it: an estimate only grows with what is
 * actually sent).
 *
 * <p>Thread-safety: everything but {@link #viewport}, {@link #probing} and the getters runs on the subscriber's
 * send queue drain, one call at a time, so the estimator, the allocator and the probe state need no lock.
 */
final class DownlinkController {

    /** How often the estimate is spent on the subscriptions' layers. */
    static final long ALLOCATION_INTERVAL_MS = 500;
    /** How long one probe lasts: long enough for the estimator's acknowledged-rate window to see it. */
    static final long PROBE_DURATION_NANOS = 800_000_000L;
    /** Pause after a probe before the next, so a link that is still full is not kept full. */
    static final long PROBE_INTERVAL_NANOS = 3_000_000_000L;
    /** After a probe the link carried, the next comes this soon: the link is likely recovering, climb fast. */
    static final long PROBE_INTERVAL_AFTER_CARRIED_NANOS = 500_000_000L;
    /** After probes the link did not carry, the pause doubles up to this. */
    static final long PROBE_MAX_INTERVAL_NANOS = 4_000_000_000L;
    /** A probe counts as carried when the subscriber acknowledged at least this share of the probed rate. */
    static final double PROBE_CARRIED = 0.8;
    /** Feedback lags the probe by a round trip and a feedback interval: acknowledgements are watched this long. */
    static final long PROBE_TAIL_NANOS = 300_000_000L;
    /** A probe raises the total send rate to this multiple of the estimate (at most to what the tracks want). */
    static final double PROBE_GAIN = 1.4;
    /**
     * A probe that makes the subscriber report more losses than this, or a queue (delay over-use), stops at once
     * and counts as not carried: on a link that is still full, every further probe packet displaces media.
     */
    static final int PROBE_MAX_LOST = 2;
    static final long PROBE_TICK_MS = 10;

    private final Supplier<Subscription[]> subscriptions;
    private final ForwardingCounters counters;
    private final LongSupplier nanoClock;
    private final SendSideBandwidthEstimator estimator;
    private final BandwidthAllocator allocator = new BandwidthAllocator();

    // Drain only.
    private long probeUntilNanos;
    private long nextProbeNanos;
    private long probeBps;
    private long probeLastTickNanos;
    private double probeBudgetBytes;
    private int probeCursor;
    private long probeTotalBps;
    private long probeMaxAckedBps;
    private long probeLostAtStart;
    private boolean probeCongested;
    private long probeInterval = PROBE_INTERVAL_NANOS;

    // Any thread.
    private volatile boolean probeActive;
    private volatile Map<String, MediaEngine.Tile> tiles = Map.of();
    private volatile SendSideBandwidthEstimator.Stats lastBwe;

    /** @param subscriptions the subscriber's current subscriptions (a volatile read, no copy) */
    DownlinkController(Supplier<Subscription[]> subscriptions, BweConfig config, ForwardingCounters counters,
                       LongSupplier nanoClock) {
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.estimator = new SendSideBandwidthEstimator(config);
    }

    /**
     * Any thread: how the subscriber's page shows the others (participant id → tile); the next allocation sends
     * no video to hidden tiles and no layer taller than a tile needs. Participants not mentioned are shown.
     */
    void viewport(Map<String, MediaEngine.Tile> shown) {
        tiles = Map.copyOf(shown);
    }

    // ---- the estimate ------------------------------------------------------------------------------------------

    /** Drain: one packet sent with our transport-wide sequence number. */
    void onPacketSent(int transportSequenceNumber, int bytes, long nowNanos) {
        estimator.onPacketSent(transportSequenceNumber, bytes, nowNanos);
    }

    /** Drain: the subscriber's feedback on what we sent it. */
    void onTransportFeedback(TransportWideCc feedback) {
        estimator.onFeedback(feedback, nanoClock.getAsLong());
        counters.transportCcFeedbackReceived.increment();
    }

    /** Drain: the subscriber's REMB, a cap on the estimate. */
    void onRemb(long bitrateBps) {
        estimator.onRemb(bitrateBps);
    }

    /** Any thread. */
    long estimateBps() {
        return estimator.estimateBps();
    }

    /** The estimator's detail as of the last allocation, null before the first. Any thread. */
    SendSideBandwidthEstimator.Stats lastBwe() {
        return lastBwe;
    }

    // ---- allocation --------------------------------------------------------------------------------------------

    /**
     * Drain, every {@link #ALLOCATION_INTERVAL_MS}: spends the estimate on the subscriptions, audio first, each
     * video's lowest layer before anyone's higher one (see {@link BandwidthAllocator}); layers the publisher does
     * not send now are skipped. Then plans a probe if the estimate held the allocation back.
     */
    void allocate() {
        Subscription[] current = subscriptions.get();
        if (current.length == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        List<AllocatableTrack> tracks = new ArrayList<>(current.length);
        Map<String, MediaEngine.Tile> shown = tiles;
        // A page in the background reports every tile hidden: then its screen shares pause too.
        boolean pageShown = shown.isEmpty();
        for (MediaEngine.Tile tile : shown.values()) {
            pageShown |= tile.visible();
        }
        for (Subscription subscription : current) {
            PublishedTrack track = subscription.track();
            List<AllocatableTrack.Layer> layers = new ArrayList<>(track.layers().length);
            int height = 0;
            for (PublishedTrack.Layer layer : track.layers()) {
                long bps = layer.active(now) ? Math.max(1, layer.bitrate.bps(now)) : 0;
                // Heights come from keyframes; one not seen yet counts as its lower neighbour's.
                height = Math.max(height, layer.height());
                layers.add(new AllocatableTrack.Layer(layer.index, height, 0, bps));
            }
            // A page's tiles are its participants' cameras. A screen share is shown apart from them, always, and is
            // what people look at: the allocator serves it before any camera.
            boolean screen = track.info().isScreen();
            AllocatableTrack.Kind kind = track.kind() == MediaKind.AUDIO ? AllocatableTrack.Kind.AUDIO
                    : screen ? AllocatableTrack.Kind.SCREEN : AllocatableTrack.Kind.VIDEO;
            MediaEngine.Tile tile = screen ? null : shown.get(track.info().publisher().value());
            boolean visible = screen ? pageShown : tile == null || tile.visible();
            int tileHeight = tile == null ? 0 : tile.height();
            // The active speaker's camera goes before the other cameras.
            PeerSession publisher = track.publisher();
            int priority = publisher != null && publisher.isDominantSpeaker() ? 1 : 0;
            tracks.add(new AllocatableTrack(subscription.mid(), kind, priority, visible, tileHeight, layers));
        }
        Allocation result = allocator.allocate(estimator.estimateBps(), tracks, now);
        for (Subscription subscription : current) {
            if (subscription.track().kind() == MediaKind.VIDEO) {
                int layer = result.selectedLayer(subscription.mid());
                // A track whose publisher sends nothing now keeps its layer: it resumes where it was.
                if (layer >= 0 || anyActive(subscription.track(), now)) {
                    subscription.selectLayer(layer);
                }
            }
        }
        lastBwe = estimator.stats();
        planProbe(result, now);
    }

    private static boolean anyActive(PublishedTrack track, long now) {
        for (PublishedTrack.Layer layer : track.layers()) {
            if (layer.active(now)) {
                return true;
            }
        }
        return false;
    }

    // ---- probing -----------------------------------------------------------------------------------------------

    /** Any thread: whether a probe runs (its ticks are worth scheduling). */
    boolean probing() {
        return probeActive;
    }

    /**
     * Plans RTX probes for {@link #PROBE_DURATION_NANOS} so that the total rate reaches {@link #PROBE_GAIN} × the
     * estimate, unless one runs or the last failed too recently.
     */
    private void planProbe(Allocation result, long now) {
        if (probeActive) {
            return; // the probe ticks end it
        }
        if (!result.probingWanted() || now - nextProbeNanos < 0) {
            return;
        }
        long estimate = estimator.estimateBps();
        long total = Math.min(result.idealBps(), (long) (estimate * PROBE_GAIN));
        probeBps = total - result.allocatedBps();
        if (probeBps <= 0) {
            return;
        }
        probeTotalBps = total;
        probeMaxAckedBps = 0;
        probeLostAtStart = estimator.lostPackets();
        probeCongested = false;
        probeUntilNanos = now + PROBE_DURATION_NANOS;
        probeLastTickNanos = now;
        probeBudgetBytes = 0;
        probeActive = true;
        counters.probesStarted.increment();
    }

    /**
     * Drain, every {@link #PROBE_TICK_MS} while probing: this tick's share of the probe, round-robin over the
     * subscriptions that can probe; after the probe, while its feedback comes in, the highest acknowledged rate
     * is its result. A probe that meets a queue or losses stops early and fails.
     */
    void probeTick() {
        long now = nanoClock.getAsLong();
        if (!probeActive) {
            return;
        }
        probeMaxAckedBps = Math.max(probeMaxAckedBps, estimator.acknowledgedBps());
        if (!probeCongested && (estimator.overusing()
                || estimator.lostPackets() - probeLostAtStart > PROBE_MAX_LOST)) {
            probeCongested = true;
            counters.probesAborted.increment();
            if (now - probeUntilNanos < 0) {
                probeUntilNanos = now; // no more probe packets; the tail still watches the feedback
            }
        }
        if (now - probeUntilNanos >= 0) {
            if (now - probeUntilNanos >= PROBE_TAIL_NANOS) {
                endProbe(now);
            }
            return;
        }
        probeBudgetBytes += probeBps / 8.0 * (now - probeLastTickNanos) / 1e9;
        probeLastTickNanos = now;
        Subscription[] current = subscriptions.get();
        int idle = 0;
        while (probeBudgetBytes > 0 && current.length > 0 && idle < current.length) {
            Subscription subscription = current[Math.floorMod(probeCursor++, current.length)];
            int sent = subscription.track().kind() == MediaKind.VIDEO ? subscription.probe() : 0;
            if (sent == 0) {
                idle++;
            } else {
                idle = 0;
                probeBudgetBytes -= sent;
            }
        }
        if (probeBudgetBytes > 0) {
            probeBudgetBytes = 0; // nothing to probe with: no credit piles up
        }
    }

    private void endProbe(long now) {
        probeActive = false;
        boolean carried = !probeCongested && probeMaxAckedBps >= PROBE_CARRIED * probeTotalBps;
        if (carried) {
            estimator.onProbeResult(probeMaxAckedBps);
            probeInterval = PROBE_INTERVAL_NANOS;
            nextProbeNanos = now + PROBE_INTERVAL_AFTER_CARRIED_NANOS;
            counters.probesCarried.increment();
        } else {
            nextProbeNanos = now + probeInterval;
            probeInterval = Math.min(PROBE_MAX_INTERVAL_NANOS, probeInterval * 2);
        }
    }
}
