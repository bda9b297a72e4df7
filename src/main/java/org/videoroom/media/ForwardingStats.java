package org.videoroom.media;

/**
 * Server-wide forwarding counters (a snapshot), as the stats resource shows them.
 *
 * @param rtpReceived       RTP packets received from publishers and routed to a track
 * @param rtpForwarded      RTP packets sent to subscribers (one per subscriber)
 * @param rtpLossInjected   forwarded packets dropped by the test-only loss switch
 * @param nacksReceived     NACK feedback packets received from subscribers
 * @param retransmissions   packets resent to subscribers from the packet cache after a NACK
 * @param retransmitMisses  NACKed packets no longer (or never) in the cache
 * @param keyframeRequests  PLIs sent to publishers
 * @param senderReportsForwarded publisher SRs relayed to subscribers
 * @param receiverReportsSent RRs sent to publishers
 * @param unroutableDropped RTP from an SSRC no negotiated track owns
 * @param notForwardable    packets a subscriber's negotiation cannot carry (payload type it lacks, header
 *                          extension ids that do not fit), forwarded or retransmitted
 * @param nacksSent         NACKs sent to publishers for packets a subscriber lost that never reached the cache
 * @param rtxRepaired       publisher RTX packets restored to their track and forwarded
 * @param transportCcFeedbackSent transport-wide congestion control feedback packets sent to publishers
 * @param transportCcFeedbackReceived transport-wide feedback packets received from subscribers (their estimates)
 * @param probesStarted     bandwidth probes (a second of RTX probe packets) started towards subscribers
 * @param probesCarried     probes the subscriber's link carried (its estimate jumped to what it acknowledged)
 * @param probesAborted     probes stopped early because the subscriber's feedback showed a queue or losses
 * @param nackEntriesIgnored NACKed sequence numbers not answered: repeated within one NACK, or beyond the
 *                          per-NACK bound (a NACK storm cannot amplify traffic)
 * @param rtpReceivedBytes  bytes of the {@code rtpReceived} packets (RTP header and payload, after SRTP)
 * @param rtpForwardedBytes bytes of the {@code rtpForwarded} packets (RTP header and payload, before SRTP)
 * @param rtxUnsolicited    publisher RTX packets dropped because the server had not asked for them (probe padding
 *                          made of old packets, injected copies) or they answered a request already answered
 * @param nacksSuppressed   sequence numbers subscribers lost that were not asked of the publisher: asked for
 *                          within the last 100 ms already, or beyond the layer's 200 a second
 * @param retransmissionsDenied retransmissions a subscriber NACKed that its retransmission budget did not cover
 */
public record ForwardingStats(long rtpReceived, long rtpForwarded, long rtpLossInjected, long nacksReceived,
                              long retransmissions, long retransmitMisses, long keyframeRequests,
                              long senderReportsForwarded, long receiverReportsSent, long unroutableDropped,
                              long notForwardable, long nacksSent, long rtxRepaired,
                              long transportCcFeedbackSent, long transportCcFeedbackReceived,
                              long probesStarted, long probesCarried, long probesAborted,
                              long nackEntriesIgnored,
                              long rtpReceivedBytes, long rtpForwardedBytes,
                              long rtxUnsolicited, long nacksSuppressed, long retransmissionsDenied) {
}
