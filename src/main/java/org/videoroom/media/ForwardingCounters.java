package org.videoroom.media;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ForwardingStats}; one per media engine. Thread-safe. */
final class ForwardingCounters {
    final LongAdder rtpReceived = new LongAdder();
    final LongAdder rtpForwarded = new LongAdder();
    final LongAdder rtpLossInjected = new LongAdder();
    final LongAdder nacksReceived = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder retransmitMisses = new LongAdder();
    final LongAdder keyframeRequests = new LongAdder();
    final LongAdder senderReportsForwarded = new LongAdder();
    final LongAdder receiverReportsSent = new LongAdder();
    final LongAdder unroutableDropped = new LongAdder();
    final LongAdder notForwardable = new LongAdder();
    final LongAdder nacksSent = new LongAdder();
    final LongAdder rtxRepaired = new LongAdder();
    final LongAdder transportCcFeedbackSent = new LongAdder();
    final LongAdder transportCcFeedbackReceived = new LongAdder();
    final LongAdder probesStarted = new LongAdder();
    final LongAdder probesCarried = new LongAdder();
    final LongAdder probesAborted = new LongAdder();
    final LongAdder nackEntriesIgnored = new LongAdder();
    final LongAdder rtpReceivedBytes = new LongAdder();
    final LongAdder rtpForwardedBytes = new LongAdder();
    final LongAdder rtxUnsolicited = new LongAdder();
    final LongAdder nacksSuppressed = new LongAdder();
    final LongAdder retransmissionsDenied = new LongAdder();

    ForwardingStats snapshot() {
        return new ForwardingStats(rtpReceived.sum(), rtpForwarded.sum(), rtpLossInjected.sum(),
                nacksReceived.sum(), retransmissions.sum(), retransmitMisses.sum(), keyframeRequests.sum(),
                senderReportsForwarded.sum(), receiverReportsSent.sum(), unroutableDropped.sum(),
                notForwardable.sum(), nacksSent.sum(), rtxRepaired.sum(),
                transportCcFeedbackSent.sum(), transportCcFeedbackReceived.sum(),
                probesStarted.sum(), probesCarried.sum(), probesAborted.sum(), nackEntriesIgnored.sum(),
                rtpReceivedBytes.sum(), rtpForwardedBytes.sum(), rtxUnsolicited.sum(), nacksSuppressed.sum(),
                retransmissionsDenied.sum());
    }
}
