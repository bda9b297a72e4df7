package org.videoroom.signaling.message;

import java.util.List;

/** {@code {"type":"tracksRemoved","trackIds":[…]}}: another participant stopped publishing tracks. */
public record TracksRemoved(List<String> trackIds) implements ServerMessage {
    public TracksRemoved {
        trackIds = List.copyOf(trackIds);
    }
}
