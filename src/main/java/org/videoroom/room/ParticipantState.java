package org.videoroom.room;

/**
 * What a participant shows the others about itself besides its name: whether its microphone and camera are
 * muted and whether its hand is up (its own say), and whether it is the room's active speaker (the server's
 * finding, from its audio levels). One value for all of it, so a new flag is a new component here and a new
 * field in the one {@code participantState} message, never a new message type. Immutable.
 */
public record ParticipantState(boolean audioMuted, boolean videoMuted, boolean handRaised, boolean speaking) {

    /** A participant that just joined: nothing muted, no hand up, not speaking. */
    public static final ParticipantState INITIAL = new ParticipantState(false, false, false, false);

    /** This state with the participant's own changes applied; a null leaves that flag as it is. */
    public ParticipantState with(Boolean audioMuted, Boolean videoMuted, Boolean handRaised) {
        return new ParticipantState(audioMuted != null ? audioMuted : this.audioMuted,
                videoMuted != null ? videoMuted : this.videoMuted,
                handRaised != null ? handRaised : this.handRaised, speaking);
    }

    public ParticipantState withSpeaking(boolean speaking) {
        return new ParticipantState(audioMuted, videoMuted, handRaised, speaking);
    }
}
