package org.videoroom.room;

/**
 * What a participant shows the others about itself besides its name: whether its microphone and camera are
 * muted and whether its hand is up (its own say), whether it is the room's active speaker (the server's
 * finding, from its audio levels), whether it shares its screen (the server's finding, from its published tracks)
 * and how well its media reaches the server (the server's finding, from what it receives of it). One value for all of it, so a new flag is a new component here and a new
 * field in the one {@code participantState} message, never a new message type. Immutable.
 */
public record ParticipantState(boolean audioMuted, boolean videoMuted, boolean handRaised, boolean speaking,
                               boolean screen, ConnectionQuality connection) {

    /**
     * A participant that just joined: nothing muted, no hand up, not speaking, not sharing, nothing known against
     * its link.
     */
    public static final ParticipantState INITIAL = new ParticipantState(false, false, false, false, false,
            ConnectionQuality.GOOD);

    public ParticipantState {
        java.util.Objects.requireNonNull(connection, "connection");
    }

    /** This state with the participant's own changes applied; a null leaves that flag as it is. */
    public ParticipantState with(Boolean audioMuted, Boolean videoMuted, Boolean handRaised) {
        return new ParticipantState(audioMuted != null ? audioMuted : this.audioMuted,
                videoMuted != null ? videoMuted : this.videoMuted,
                handRaised != null ? handRaised : this.handRaised, speaking, screen, connection);
    }

    public ParticipantState withSpeaking(boolean speaking) {
        return new ParticipantState(audioMuted, videoMuted, handRaised, speaking, screen, connection);
    }

    public ParticipantState withScreen(boolean screen) {
        return new ParticipantState(audioMuted, videoMuted, handRaised, speaking, screen, connection);
    }

    public ParticipantState withConnection(ConnectionQuality connection) {
        return new ParticipantState(audioMuted, videoMuted, handRaised, speaking, screen, connection);
    }
}
