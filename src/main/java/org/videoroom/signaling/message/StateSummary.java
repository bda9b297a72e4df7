package org.videoroom.signaling.message;

/**
 * {@code {"audioMuted":false,"videoMuted":true,"handRaised":false,"speaking":false,"screen":false,
 * "connection":"good"}}: a participant's state on the wire.
 */
public record StateSummary(boolean audioMuted, boolean videoMuted, boolean handRaised, boolean speaking,
                           boolean screen, String connection) {

    public static final StateSummary INITIAL = new StateSummary(false, false, false, false, false, "good");
}
