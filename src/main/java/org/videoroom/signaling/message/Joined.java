package org.videoroom.signaling.message;

import java.util.List;

/**
 * {@code {"type":"joined","participantId":"…","participants":[…],"tracks":[…],"chat":[…]}}: the join succeeded;
 * the others present, the tracks they publish and the room's recent chat.
 */
public record Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks,
                     List<ChatLine> chat) implements ServerMessage {
    public Joined {
        participants = List.copyOf(participants);
        tracks = List.copyOf(tracks);
        chat = List.copyOf(chat);
    }

    public Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks) {
        this(participantId, participants, tracks, List.of());
    }
}
