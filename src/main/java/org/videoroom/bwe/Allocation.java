package org.videoroom.bwe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link BandwidthAllocator} decided for one subscriber: per track the layer to forward and the layer it
 * would get with unlimited bandwidth, plus the totals.
 *
 * <p>Immutable. The per-track map keeps the allocation order: audio first, then the visible video tracks in the
 * order they were served, then the invisible ones.
 *
 * @param estimateBps   the bandwidth estimate this allocation spent
 * @param allocatedBps  the sum of the selected layers' bitrates, audio included. Because a selected layer is kept
 *                      until the estimate falls below {@link BandwidthAllocator#KEEP_FACTOR} of its need, and audio
 *                      is always reserved, this can exceed the estimate
 * @param idealBps      the sum of the target layers' bitrates, audio included
 * @param probingWanted true when some track is below its target and the estimate falls short of what reaching all
 *                      targets would need, so probing for more bandwidth would help
 * @param tracks        per trackId, the decision for that track
 */
public record Allocation(long estimateBps, long allocatedBps, long idealBps, boolean probingWanted,
                         Map<String, TrackAllocation> tracks) {

    /** No video is forwarded for the track: not visible, paused, nothing sent or not affordable. */
    public static final int NO_LAYER = -1;

    /**
     * The decision for one track.
     *
     * @param trackId       the track's id
     * @param kind          the track's kind
     * @param selectedLayer the {@link AllocatableTrack.Layer#index() index} of the layer to forward, or
     *                      {@link #NO_LAYER}
     * @param targetLayer   the layer the track would get with unlimited bandwidth (its top active layer within the
     *                      tile cap), or {@link #NO_LAYER} when it is invisible or sends nothing
     * @param bitrateBps    the selected layer's bitrate (0 with {@link #NO_LAYER})
     */
    public record TrackAllocation(String trackId, AllocatableTrack.Kind kind, int selectedLayer, int targetLayer,
                                  long bitrateBps) {

        public TrackAllocation {
            Objects.requireNonNull(trackId, "trackId");
            Objects.requireNonNull(kind, "kind");
            if (selectedLayer < NO_LAYER || targetLayer < NO_LAYER || bitrateBps < 0) {
                throw new IllegalArgumentException("layers must be >= -1 and bitrateBps >= 0: " + trackId);
            }
        }
    }

    /** An allocation of nothing, e.g. before the first run. */
    public static final Allocation EMPTY = new Allocation(0, 0, 0, false, Map.of());

    public Allocation {
        Objects.requireNonNull(tracks, "tracks");
        if (estimateBps < 0 || allocatedBps < 0 || idealBps < 0) {
            throw new IllegalArgumentException("bitrates must be >= 0");
        }
        tracks = Collections.unmodifiableMap(new LinkedHashMap<>(tracks));
    }

    /** The layer index to forward for a track; {@link #NO_LAYER} for a track this allocation does not know. */
    public int selectedLayer(String trackId) {
        TrackAllocation track = tracks.get(trackId);
        return track == null ? NO_LAYER : track.selectedLayer();
    }

    /** The layer the track would ideally get; {@link #NO_LAYER} for a track this allocation does not know. */
    public int targetLayer(String trackId) {
        TrackAllocation track = tracks.get(trackId);
        return track == null ? NO_LAYER : track.targetLayer();
    }

    /** trackId → selected layer index, in allocation order. */
    public Map<String, Integer> selectedLayers() {
        Map<String, Integer> layers = new LinkedHashMap<>();
        tracks.forEach((id, track) -> layers.put(id, track.selectedLayer()));
        return Collections.unmodifiableMap(layers);
    }
}
