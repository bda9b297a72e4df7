package org.videoroom.media;

/**
 * What one participant's RTCP termination received (a snapshot), by message type.
 *
 * @param compounds         compound packets received
 * @param malformed         compound packets with a problem (a bad header stopped the walk, or a bad packet was
 *                          skipped); the packets before it were still handled
 * @param senderReports     sender reports
 * @param receiverReports   receiver reports
 * @param nacks             generic NACKs
 * @param keyframeRequests  PLIs and FIR entries
 * @param rembs             REMB messages
 * @param transportFeedback transport-wide congestion control feedback packets
 * @param ignored           messages a forwarding server does not act on (SDES, BYE, APP, XR, other feedback)
 */
public record RtcpStats(long compounds, long malformed, long senderReports, long receiverReports, long nacks,
                        long keyframeRequests, long rembs, long transportFeedback, long ignored) {
}
