package org.videoroom.room;

/**
 * How well a participant's media reaches the server, as the others see it on that participant's tile: the
 * server's view of its uplink (loss and jitter of what it publishes). Each page combines this with what reaches
 * the page itself.
 */
public enum ConnectionQuality {
    GOOD("good"), FAIR("fair"), POOR("poor");

    private final String wireName;

    ConnectionQuality(String wireName) {
        this.wireName = wireName;
    }

    /** As in the {@code participantState} message (docs/protocol.md). */
    public String wireName() {
        return wireName;
    }
}
