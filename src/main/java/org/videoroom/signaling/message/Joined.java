package org.videoroom.signaling.message;

import java.util.List;

/**
 * {@code {"type":"joined","participantId":"…","participants":[…],"tracks":[…]}}: the join succeeded; the others
 * present and the tracks they publish.
 */
public record Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks)
        implements ServerMessage {
    public Joined {
        participants = List.copyOf(participants);
        tracks = List.copyOf(tracks);
    }
}
