package org.videoroom.signaling.message;

/** {@code {"audioMuted":false,"videoMuted":true,"handRaised":false}}: a participant's state on the wire. */
public record StateSummary(boolean audioMuted, boolean videoMuted, boolean handRaised) {

    public static final StateSummary INITIAL = new StateSummary(false, false, false);
}
