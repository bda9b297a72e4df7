/**
 * Send-side bandwidth estimation for one subscriber transport, after Google congestion control
 * (draft-ietf-rmcat-gcc-02): {@link org.videoroom.bwe.SendHistory} matches transport-wide
 * congestion control feedback with the packets we sent, and
 * {@link org.videoroom.bwe.SendSideBandwidthEstimator} turns it into an estimate from queueing
 * delay (trendline over-use detector and AIMD control), loss, and the subscriber's REMB. For a publisher
 * without transport-cc, {@link org.videoroom.bwe.ReceiveSideBandwidthEstimator} runs the same detector and
 * controller on the packets' abs-send-time and arrival here, for the REMB sent back to it.
 *
 * <p>JDK only; time comes from the callers. Feedback handling allocates nothing and never throws
 * on hostile input; it counts what it skipped.
 */
package org.videoroom.bwe;
