package org.videoroom.room;

import org.videoroom.sdp.MediaKind;

/**
 * A track as the room announces it: who publishes it, whether it is audio or video and what it carries. Its kind
 * is that of the m-line it was negotiated on, so the room shares the SDP's media kind rather than keeping a twin
 * of it. Immutable.
 *
 * @param kind   {@link MediaKind#AUDIO} or {@link MediaKind#VIDEO}
 * @param source what it carries; always one that fits the kind
 */
public record TrackInfo(TrackId id, ParticipantId publisher, MediaKind kind, TrackSource source) {

    public TrackInfo {
        if (kind != MediaKind.AUDIO && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("a track is audio or video, not " + kind);
        }
        if (source != TrackSource.of(source, kind)) {
            throw new IllegalArgumentException("a " + kind.wire() + " track cannot carry " + source);
        }
    }

    /** A microphone or camera track. */
    public TrackInfo(TrackId id, ParticipantId publisher, MediaKind kind) {
        this(id, publisher, kind, TrackSource.defaultFor(kind));
    }

    public boolean isScreen() {
        return source == TrackSource.SCREEN;
    }
}
