package org.videoroom.signaling.message;

import java.util.List;

/** {@code {"type":"joined","participantId":"…","participants":[…]}}: the join succeeded; the others present. */
public record Joined(String participantId, List<ParticipantSummary> participants) implements ServerMessage {
    public Joined {
        participants = List.copyOf(participants);
    }
}
