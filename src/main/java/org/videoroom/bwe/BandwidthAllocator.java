package org.videoroom.bwe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.videoroom.bwe.AllocatableTrack.Kind;
import org.videoroom.bwe.AllocatableTrack.Layer;
import org.videoroom.bwe.Allocation.TrackAllocation;

/**
 * Spends one subscriber's bandwidth estimate on the tracks it receives: decides, per video track, which layer to
 * forward. One instance per subscriber; it only decides, the caller requests keyframes and switches layers at them.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Audio</b> comes first and is always allocated, whatever the estimate and visibility: its top active
 *       layer's bitrate, or {@link #DEFAULT_AUDIO_BPS} when no layer reports one, is reserved off the top.</li>
 *   <li>Video tracks that are <b>not visible</b> get {@link Allocation#NO_LAYER}. Inactive layers (bitrate 0) are
 *       never selected.</li>
 *   <li><b>Tile cap:</b> a track never gets a layer above the lowest active layer whose height is at least its
 *       tile height (the track's top active layer if none is that tall; tile height 0 = no cap). That capped layer
 *       is the track's {@link TrackAllocation#targetLayer() target}.</li>
 *   <li><b>Order:</b> screen shares first, then priority (higher first), then tile height (larger first, unknown
 *       counted as largest), then trackId so that the result never depends on the input order.</li>
 *   <li><b>Pass 1</b> gives each visible video track, in that order, its lowest active layer if it fits in what is
 *       left; a track whose lowest layer does not fit gets none and the next (maybe cheaper) one is tried.
 *       <b>Pass 2</b> raises the screen shares that got a layer one step at a time, round after round, up to their
 *       targets while the next step fits: a screen share may reach its top before cameras go beyond their lowest.
 *       <b>Pass 3</b> does the same for the cameras. So every track gets its lowest layer before anyone gets a
 *       higher one, and within a pass upgrades go round-robin in the order above.</li>
 *   <li><b>Hysteresis:</b> a layer at or below the track's previous selection is charged its bitrate ×
 *       {@link #KEEP_FACTOR}, a layer above it (an upgrade) its bitrate × {@link #UPGRADE_FACTOR}. So the current
 *       selection is kept while the estimate stays at or above {@code KEEP_FACTOR} × its need and an upgrade needs
 *       {@code UPGRADE_FACTOR} × its need. A track that was downgraded for lack of bandwidth is not upgraded again
 *       for {@link #UPGRADE_HOLD_OFF_NANOS} after that downgrade (by the caller's {@code nowNanos}). Becoming
 *       invisible or a smaller tile or a layer that stops is not a bandwidth downgrade and does not start the
 *       hold-off.</li>
 * </ol>
 * The estimate left after audio is the budget; each pass charges the budget as described, and a step fits when
 * its charge is at most what is left. The previous selection and downgrade time of each track are the only state;
 * a track missing from one call is forgotten. With the same inputs and state the result is the same.
 *
 * <p>Not thread-safe: confined to the subscriber's serial executor, like the rest of its media state.
 */
public final class BandwidthAllocator {

    /** A layer at or below the current selection is kept while the budget covers this share of its bitrate. */
    public static final double KEEP_FACTOR = 0.9;
    /** A layer above the current selection is taken only when the budget covers this multiple of its bitrate. */
    public static final double UPGRADE_FACTOR = 1.15;
    /** After a bandwidth downgrade of a track, no upgrade of that track for this long. */
    public static final long UPGRADE_HOLD_OFF_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Reserved for an audio track whose layers report no bitrate (Opus with FEC and headers, roughly). */
    public static final long DEFAULT_AUDIO_BPS = 50_000;

    private static final Comparator<AllocatableTrack> VIDEO_ORDER = Comparator
            .comparing((AllocatableTrack t) -> t.kind() != Kind.SCREEN)
            .thenComparing(AllocatableTrack::priority, Comparator.reverseOrder())
            .thenComparing(BandwidthAllocator::tileOrderKey, Comparator.reverseOrder())
            .thenComparing(AllocatableTrack::trackId);

    private static final Comparator<AllocatableTrack> BY_ID = Comparator.comparing(AllocatableTrack::trackId);

    /** What the allocator remembers of one video track between calls. */
    private static final class TrackState {
        int selectedLayer = Allocation.NO_LAYER;
        boolean downgraded;
        long downgradeNanos;
    }

    private final Map<String, TrackState> states = new HashMap<>();
    private Allocation last = Allocation.EMPTY;

    /**
     * Allocates the estimate over the tracks and remembers the result for the next call's hysteresis.
     *
     * @param estimateBps the subscriber's bandwidth estimate, ≥ 0
     * @param tracks      every track the subscriber receives, unique ids
     * @param nowNanos    the current time from a monotonic clock (e.g. {@link System#nanoTime()})
     * @return the allocation; also available from {@link #last()} until the next call
     */
    public Allocation allocate(long estimateBps, List<AllocatableTrack> tracks, long nowNanos) {
        Objects.requireNonNull(tracks, "tracks");
        if (estimateBps < 0) {
            throw new IllegalArgumentException("estimateBps must be >= 0: " + estimateBps);
        }
        AllocatableTrack.requireUniqueIds(tracks);

        Map<String, TrackAllocation> result = new LinkedHashMap<>();
        long audioBps = 0;
        List<AllocatableTrack> visibleVideo = new ArrayList<>();
        List<AllocatableTrack> invisibleVideo = new ArrayList<>();
        for (AllocatableTrack track : tracks.stream().sorted(BY_ID).toList()) {
            if (track.kind() == Kind.AUDIO) {
                TrackAllocation audio = allocateAudio(track);
                audioBps += audio.bitrateBps();
                result.put(track.trackId(), audio);
            } else if (track.visible()) {
                visibleVideo.add(track);
            } else {
                invisibleVideo.add(track);
            }
        }
        visibleVideo.sort(VIDEO_ORDER);

        List<Plan> plans = new ArrayList<>(visibleVideo.size());
        for (AllocatableTrack track : visibleVideo) {
            plans.add(new Plan(track, states.get(track.trackId()), nowNanos));
        }
        long remaining = estimateBps - audioBps;
        for (Plan plan : plans) { // pass 1: everyone's lowest layer
            if (plan.steps.length > 0 && plan.allowed(0) && plan.charge(0) <= remaining) {
                plan.position = 0;
                remaining -= plan.charge(0);
            }
        }
        remaining = upgrade(plans, Kind.SCREEN, remaining); // pass 2
        upgrade(plans, Kind.VIDEO, remaining); // pass 3

        long allocatedBps = audioBps;
        long idealBps = audioBps;
        long idealNeedBps = audioBps;
        boolean belowTarget = false;
        for (Plan plan : plans) {
            TrackAllocation video = plan.result();
            allocatedBps += video.bitrateBps();
            result.put(video.trackId(), video);
            if (plan.steps.length > 0) {
                int top = plan.steps.length - 1;
                idealBps += plan.steps[top].bitrateBps();
                idealNeedBps += plan.charge(top);
                belowTarget |= plan.position < top;
            }
        }
        for (AllocatableTrack track : invisibleVideo) {
            result.put(track.trackId(), new TrackAllocation(track.trackId(), track.kind(),
                    Allocation.NO_LAYER, Allocation.NO_LAYER, 0));
        }
        remember(plans, invisibleVideo, nowNanos);
        last = new Allocation(estimateBps, allocatedBps, idealBps, belowTarget && estimateBps < idealNeedBps, result);
        return last;
    }

    /** The result of the last {@link #allocate} call, {@link Allocation#EMPTY} before the first. */
    public Allocation last() {
        return last;
    }

    private static TrackAllocation allocateAudio(AllocatableTrack track) {
        List<Layer> layers = track.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).active()) {
                Layer layer = layers.get(i);
                return new TrackAllocation(track.trackId(), Kind.AUDIO, layer.index(), layer.index(),
                        layer.bitrateBps());
            }
        }
        int index = layers.isEmpty() ? 0 : layers.get(0).index();
        return new TrackAllocation(track.trackId(), Kind.AUDIO, index, index, DEFAULT_AUDIO_BPS);
    }

    /** Raises the tracks of one kind that have a layer, one step per track and round, while steps fit. */
    private static long upgrade(List<Plan> plans, Kind kind, long remaining) {
        boolean raised = true;
        while (raised) {
            raised = false;
            for (Plan plan : plans) {
                if (plan.track.kind() != kind || plan.position < 0 || plan.position + 1 >= plan.steps.length
                        || !plan.allowed(plan.position + 1)) {
                    continue;
                }
                long step = plan.charge(plan.position + 1) - plan.charge(plan.position);
                if (step <= remaining) {
                    plan.position++;
                    remaining -= step;
                    raised = true;
                }
            }
        }
        return remaining;
    }

    private void remember(List<Plan> plans, List<AllocatableTrack> invisibleVideo, long nowNanos) {
        Set<String> seen = new HashSet<>();
        for (Plan plan : plans) {
            TrackState state = states.computeIfAbsent(plan.track.trackId(), id -> new TrackState());
            int selected = plan.selectedLayer();
            int target = plan.targetLayer();
            if (selected < Math.min(state.selectedLayer, target)) { // less than the track could keep: bandwidth
                state.downgraded = true;
                state.downgradeNanos = nowNanos;
            }
            state.selectedLayer = selected;
            seen.add(plan.track.trackId());
        }
        for (AllocatableTrack track : invisibleVideo) {
            states.computeIfAbsent(track.trackId(), id -> new TrackState()).selectedLayer = Allocation.NO_LAYER;
            seen.add(track.trackId());
        }
        states.keySet().retainAll(seen);
    }

    private static int tileOrderKey(AllocatableTrack track) {
        return track.tileHeightPx() == 0 ? Integer.MAX_VALUE : track.tileHeightPx();
    }

    /** One visible video track during one allocation: the layers it may get and where it stands. */
    private static final class Plan {
        final AllocatableTrack track;
        /** Active layers from the lowest up to the tile cap. */
        final Layer[] steps;
        final int previousLayer;
        final boolean holdOff;
        /** Index into {@link #steps}; −1 = nothing yet. */
        int position = -1;

        Plan(AllocatableTrack track, TrackState state, long nowNanos) {
            this.track = track;
            this.steps = eligibleLayers(track);
            this.previousLayer = state == null ? Allocation.NO_LAYER : state.selectedLayer;
            this.holdOff = state != null && state.downgraded
                    && nowNanos - state.downgradeNanos < UPGRADE_HOLD_OFF_NANOS;
        }

        private static Layer[] eligibleLayers(AllocatableTrack track) {
            List<Layer> active = track.layers().stream().filter(Layer::active).toList();
            int cap = active.size() - 1;
            if (track.tileHeightPx() > 0) {
                for (int i = 0; i < active.size(); i++) {
                    if (active.get(i).height() >= track.tileHeightPx()) {
                        cap = i;
                        break;
                    }
                }
            }
            return active.subList(0, cap + 1).toArray(Layer[]::new);
        }

        /** False for an upgrade during the hold-off after a downgrade. */
        boolean allowed(int step) {
            return !holdOff || steps[step].index() <= previousLayer;
        }

        /** What taking this step costs the budget: the layer's bitrate weighted by the hysteresis factor. */
        long charge(int step) {
            Layer layer = steps[step];
            double factor = layer.index() <= previousLayer ? KEEP_FACTOR : UPGRADE_FACTOR;
            return Math.round(layer.bitrateBps() * factor); // round: 150000 * 0.9 is 135000.00000000003
        }

        int selectedLayer() {
            return position < 0 ? Allocation.NO_LAYER : steps[position].index();
        }

        int targetLayer() {
            return steps.length == 0 ? Allocation.NO_LAYER : steps[steps.length - 1].index();
        }

        TrackAllocation result() {
            return new TrackAllocation(track.trackId(), track.kind(), selectedLayer(), targetLayer(),
                    position < 0 ? 0 : steps[position].bitrateBps());
        }
    }
}
