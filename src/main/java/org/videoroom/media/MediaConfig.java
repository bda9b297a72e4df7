package org.videoroom.media;

import java.time.Duration;

/**
 * Settings of the forwarding plane, validated here and filled by the app layer from configuration.
 *
 * @param keyframeRequestInterval the least time between two keyframe requests (PLI) sent to one publisher's track
 * @param receiverReportInterval  how often publishers get receiver reports
 * @param forwardLossPercent      test-only fault injection: the share of forwarded RTP packets dropped (0 = off)
 * @param forwardLossRoomPrefix   the fault injection applies only to rooms whose name starts with this
 */
public record MediaConfig(Duration keyframeRequestInterval, Duration receiverReportInterval,
                          double forwardLossPercent, String forwardLossRoomPrefix) {

    public static final MediaConfig DEFAULT = new MediaConfig(Duration.ofMillis(300), Duration.ofSeconds(1), 0, "");

    public MediaConfig {
        if (keyframeRequestInterval.isNegative() || receiverReportInterval.isNegative()
                || receiverReportInterval.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        if (forwardLossPercent < 0 || forwardLossPercent > 100) {
            throw new IllegalArgumentException("forwardLossPercent must be within 0..100");
        }
        if (forwardLossRoomPrefix == null) {
            forwardLossRoomPrefix = "";
        }
    }

    /** The loss to inject for one room, in percent. */
    double forwardLossFor(String roomName) {
        return forwardLossPercent > 0 && roomName.startsWith(forwardLossRoomPrefix) ? forwardLossPercent : 0;
    }
}
