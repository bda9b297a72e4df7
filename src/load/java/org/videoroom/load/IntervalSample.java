package org.videoroom.load;

/**
 * What all synthetic subscribers received in one interval of a run (one second by default): the points of the
 * throughput and latency plot and of the progress line.
 *
 * @param secondsSinceStart end of the interval, from the start of the media phase
 * @param packetsReceived   RTP packets received by all subscribers in the interval (retransmissions included)
 * @param bytesReceived     their bytes (SRTP, as on the wire)
 * @param packetsLost       packets that became lost in the interval (sequence gaps not filled within the interval)
 * @param p50LatencyMs      median one-way added latency (sender's send time to receiver's arrival), ms
 * @param p99LatencyMs      99th percentile of the same, ms
 */
public record IntervalSample(double secondsSinceStart, long packetsReceived, long bytesReceived, long packetsLost,
                             double p50LatencyMs, double p99LatencyMs) {
}
