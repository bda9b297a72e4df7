package org.videoroom.signaling.message;

import java.util.List;

/**
 * {@code {"type":"joined","participantId":"…","participants":[…],"tracks":[…],"chat":[…],"iceServers":[…]}}: the
 * join succeeded; the others present, the tracks they publish, the room's recent chat and the TURN servers this
 * participant may relay through.
 */
public record Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks,
                     List<ChatLine> chat, List<TurnServer> iceServers, String resumeToken) implements ServerMessage {
    public Joined {
        participants = List.copyOf(participants);
        tracks = List.copyOf(tracks);
        chat = List.copyOf(chat);
        iceServers = List.copyOf(iceServers);
    }

    public Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks) {
        this(participantId, participants, tracks, List.of(), List.of(), "");
    }

    public Joined(String participantId, List<ParticipantSummary> participants, List<TrackSummary> tracks,
                  List<ChatLine> chat, List<TurnServer> iceServers) {
        this(participantId, participants, tracks, chat, iceServers, "");
    }
}
