package org.videoroom.room;

import java.util.Optional;
import org.videoroom.sdp.MediaKind;

/**
 * What a published track carries, as its publisher declares it in the offer ({@code sources}, docs/protocol.md):
 * the others show a screen share in a tile of its own, and the bandwidth allocator serves it before cameras.
 * Audio is always the microphone here; a video track is the camera unless it is declared a screen.
 */
public enum TrackSource {
    MICROPHONE("microphone", MediaKind.AUDIO),
    CAMERA("camera", MediaKind.VIDEO),
    SCREEN("screen", MediaKind.VIDEO);

    private final String wire;
    private final MediaKind kind;

    TrackSource(String wire, MediaKind kind) {
        this.wire = wire;
        this.kind = kind;
    }

    /** As in the {@code offer} and {@code tracksAdded} messages. */
    public String wire() {
        return wire;
    }

    /** The source named by {@code wire}, if it is one. */
    public static Optional<TrackSource> fromWire(String wire) {
        for (TrackSource source : values()) {
            if (source.wire.equals(wire)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /** What a track of this kind carries when its publisher says nothing about it. */
    public static TrackSource defaultFor(MediaKind kind) {
        return kind == MediaKind.AUDIO ? MICROPHONE : CAMERA;
    }

    /**
     * The declared source for a track of this kind, or the kind's default when nothing was declared or the
     * declaration does not fit the kind (a "screen" audio line): a label that cannot be, not an error.
     */
    public static TrackSource of(TrackSource declared, MediaKind kind) {
        return declared != null && declared.kind == kind ? declared : defaultFor(kind);
    }
}
