package org.videoroom.media;

import java.util.List;
import org.videoroom.bwe.SendSideBandwidthEstimator;

/**
 * One participant's media as the server sees it (a snapshot for the stats resource): the bandwidth estimate of
 * the link towards it, and for each track it receives the layer forwarded and how often that changed.
 *
 * @param participantId           the participant
 * @param iceProtocol             {@code udp} or {@code tcp} (ICE-TCP), the selected pair's protocol; empty before
 *                                ICE connected
 * @param iceRestarts             ICE restarts answered (each a new agent under the same DTLS session)
 * @param estimateBps             what the link from the server to this participant carries, per its feedback
 * @param bwe                     the estimator's detail, as of the last allocation (null before the first)
 * @param transportCc             the receive side of its uplink's congestion control: packets recorded, arriving
 *                                after their feedback, windows restarted, feedback packets sent
 * @param remb                    the REMB sent to it when it publishes without transport-cc (its estimate, REMBs
 *                                sent), null when it gets none
 * @param sendQueueDropped        packets dropped because this participant's send queue was full
 * @param earlyPacketsDropped     SRTP that arrived before the keys and found the early-packet buffer full
 * @param receive                 its uplink's receive pipeline, stage by stage
 * @param rtcp                    the RTCP it sent us, by message type
 * @param subscriptions           what it receives
 */
public record ParticipantMediaStats(String participantId, String iceProtocol, long iceRestarts, long estimateBps, SendSideBandwidthEstimator.Stats bwe,
                                    TransportCcFeedback.Stats transportCc, RembFeedback.Stats remb,
                                    long sendQueueDropped,
                                    long earlyPacketsDropped, ReceiveStats receive, RtcpStats rtcp,
                                    List<SubscriptionStats> subscriptions) {

    /**
     * @param trackId       the forwarded track
     * @param kind          audio or video
     * @param layers        how many layers the publisher sends (simulcast) or 1
     * @param currentLayer  the layer forwarded now (0 = lowest), -1 before the first keyframe
     * @param targetLayer   the layer the allocator chose, -1 when paused (no room for any video)
     * @param layerSwitches how often the forwarded layer changed
     * @param forwarded     packets forwarded
     * @param retransmitted packets resent after NACKs
     * @param probes        RTX probe packets sent for the bandwidth estimate
     * @param layerBitrates what the publisher sends on each layer now, lowest first, in bit/s (0 when inactive):
     *                      the prices the allocator spends the estimate on
     */
    public record SubscriptionStats(String trackId, String kind, int layers, int currentLayer, int targetLayer,
                                    long layerSwitches, long forwarded, long retransmitted, long probes,
                                    List<Long> layerBitrates) {

        public SubscriptionStats {
            layerBitrates = List.copyOf(layerBitrates);
        }
    }
}
