package org.videoroom.bwe;

/** What the delay-based over-use detector concludes about the path's queue. */
public enum BandwidthUsage {
    /** Queueing delay is stable: the path carries what is sent. */
    NORMAL("normal"),
    /** Queueing delay grows: more is sent than the bottleneck drains. */
    OVERUSING("overusing"),
    /** Queueing delay shrinks: a queue built earlier is draining. */
    UNDERUSING("underusing");

    private final String value;

    BandwidthUsage(String value) {
        this.value = value;
    }

    /** The lower-case name used in stats. */
    public String value() {
        return value;
    }
}
