package org.videoroom.room;

/**
 * What a participant shows the others about itself besides its name: whether its microphone and camera are
 * muted and whether its hand is up. One value for all of it, so a new flag is a new component here and a new
 * field in the one {@code participantState} message, never a new message type. Immutable.
 */
public record ParticipantState(boolean audioMuted, boolean videoMuted, boolean handRaised) {

    /** A participant that just joined: nothing muted, no hand up. */
    public static final ParticipantState INITIAL = new ParticipantState(false, false, false);

    /** This state with the given changes applied; a null leaves that flag as it is. */
    public ParticipantState with(Boolean audioMuted, Boolean videoMuted, Boolean handRaised) {
        return new ParticipantState(audioMuted != null ? audioMuted : this.audioMuted,
                videoMuted != null ? videoMuted : this.videoMuted,
                handRaised != null ? handRaised : this.handRaised);
    }
}
