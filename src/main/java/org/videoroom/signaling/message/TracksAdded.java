package org.videoroom.signaling.message;

import java.util.List;

/** {@code {"type":"tracksAdded","tracks":[…]}}: another participant published tracks. */
public record TracksAdded(List<TrackSummary> tracks) implements ServerMessage {
    public TracksAdded {
        tracks = List.copyOf(tracks);
    }
}
