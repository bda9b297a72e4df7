package org.videoroom.room;

/** What the other participants of a room may know about a participant. Immutable. */
public record ParticipantInfo(ParticipantId id, DisplayName name, ParticipantState state) {

    public ParticipantInfo {
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
    }

    /** A participant as it joins. */
    public ParticipantInfo(ParticipantId id, DisplayName name) {
        this(id, name, ParticipantState.INITIAL);
    }

    public ParticipantInfo withState(ParticipantState newState) {
        return new ParticipantInfo(id, name, newState);
    }
}
