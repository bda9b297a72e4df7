package org.videoroom.bwe;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One track a subscriber receives, as the {@link BandwidthAllocator} sees it: what it is, how much it matters to
 * this subscriber, how large it is shown, and the layers its publisher currently sends.
 *
 * <p>Immutable; validated on construction ({@link NullPointerException} for missing parts,
 * {@link IllegalArgumentException} for values out of range).
 *
 * @param trackId      the track's id, unique within one allocation
 * @param kind         audio, camera video or screen share
 * @param priority     higher is served first (e.g. the active speaker); any int
 * @param visible      false when the subscriber does not show the track: it gets no video; ignored for audio
 * @param tileHeightPx the height of the tile that shows the track, in pixels; 0 = unknown, which means no cap
 * @param layers       the layers ordered from lowest to highest: indices strictly increasing, heights not decreasing
 */
public record AllocatableTrack(String trackId, Kind kind, int priority, boolean visible, int tileHeightPx,
                               List<Layer> layers) {

    /** What the track carries. */
    public enum Kind {
        AUDIO,
        VIDEO,
        SCREEN
    }

    /**
     * One spatial/temporal layer of a track (for audio: its single encoding).
     *
     * @param index      the layer's index as the forwarder knows it (e.g. the simulcast encoding), ≥ 0
     * @param height     the picture height in pixels, ≥ 0 (0 for audio)
     * @param frameRate  frames per second, ≥ 0 (informational)
     * @param bitrateBps the bitrate measured where the publisher's stream arrives, ≥ 0; 0 = currently not sent
     */
    public record Layer(int index, int height, int frameRate, long bitrateBps) {

        public Layer {
            if (index < 0) {
                throw new IllegalArgumentException("layer index must be >= 0: " + index);
            }
            if (height < 0 || frameRate < 0 || bitrateBps < 0) {
                throw new IllegalArgumentException("layer height, frameRate and bitrateBps must be >= 0");
            }
        }

        /** True when the publisher currently sends this layer (its measured bitrate is above 0). */
        public boolean active() {
            return bitrateBps > 0;
        }
    }

    public AllocatableTrack {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(layers, "layers");
        if (trackId.isBlank()) {
            throw new IllegalArgumentException("trackId must not be blank");
        }
        if (tileHeightPx < 0) {
            throw new IllegalArgumentException("tileHeightPx must be >= 0: " + tileHeightPx);
        }
        layers = List.copyOf(layers); // also refuses null elements
        for (int i = 1; i < layers.size(); i++) {
            Layer below = layers.get(i - 1);
            Layer above = layers.get(i);
            if (above.index() <= below.index()) {
                throw new IllegalArgumentException("layer indices must be strictly increasing: " + trackId);
            }
            if (above.height() < below.height()) {
                throw new IllegalArgumentException("layer heights must not decrease: " + trackId);
            }
        }
    }

    /** Checks that no two tracks share an id. */
    static void requireUniqueIds(List<AllocatableTrack> tracks) {
        Set<String> ids = new HashSet<>();
        for (AllocatableTrack track : tracks) {
            if (!ids.add(track.trackId())) {
                throw new IllegalArgumentException("duplicate trackId: " + track.trackId());
            }
        }
    }
}
