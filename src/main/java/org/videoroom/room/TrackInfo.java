package org.videoroom.room;

import org.videoroom.sdp.MediaKind;

/**
 * A track as the room announces it: who publishes it and whether it is audio or video. Its kind is that of the
 * m-line it was negotiated on, so the room shares the SDP's media kind rather than keeping a twin of it.
 * Immutable.
 *
 * @param kind {@link MediaKind#AUDIO} or {@link MediaKind#VIDEO}
 */
public record TrackInfo(TrackId id, ParticipantId publisher, MediaKind kind) {

    public TrackInfo {
        if (kind != MediaKind.AUDIO && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("a track is audio or video, not " + kind);
        }
    }
}
