package org.videoroom.app;

import java.util.List;
import org.videoroom.buffer.BufferPool;
import org.videoroom.media.ForwardingStats;
import org.videoroom.media.ParticipantMediaStats;
import org.videoroom.stats.PrometheusText;
import org.videoroom.transport.ice.IceServerStats;

/**
 * The server's metrics by name: every family {@code /api/metrics} exposes is written here, once, with its help
 * text. Counters are server-wide and only grow; per-participant values appear only as gauges over the
 * participants present now (a distribution), never as per-participant series: room and participant names are
 * chosen by users and would make the number of series unbounded.
 */
final class PrometheusMetrics {

    /** Upper bounds, in bit/s, of the downlink estimate distribution (cumulative, as Prometheus buckets are). */
    static final long[] ESTIMATE_BOUNDS_BPS = {100_000, 300_000, 600_000, 1_000_000, 2_000_000, 4_000_000,
            8_000_000};
    /** Simulcast layers are 0 (lowest) to 2; more would be reported under the highest label seen. */
    private static final int MAX_LAYERS = 3;

    /** Everything one scrape reads, taken together. */
    record Snapshot(int rooms, int participants, Signaling signaling, ForwardingStats forwarding, IceServerStats ice,
                    BufferPool.Stats buffers, List<ParticipantMediaStats> media) {
    }

    /** The signaling sockets: open now, refused at the handshake or the open, closed by the liveness sweep. */
    record Signaling(int sockets, long originsRefused, long serverFull, long addressFull, long closedIdle,
                     long closedSilent) {
    }

    private PrometheusMetrics() {
    }

    static String write(Snapshot s) {
        PrometheusText out = new PrometheusText();
        out.gauge("videoroom_rooms", "Rooms open now").sample(s.rooms());
        out.gauge("videoroom_participants", "Participants in all rooms now").sample(s.participants());
        Signaling sig = s.signaling();
        out.gauge("videoroom_signaling_sockets", "Signaling sockets open now").sample(sig.sockets());
        out.counter("videoroom_signaling_refused_total", "Signaling sockets refused, by reason")
                .sample(sig.originsRefused(), "reason", "foreign_origin")
                .sample(sig.serverFull(), "reason", "server_full")
                .sample(sig.addressFull(), "reason", "address_full");
        out.counter("videoroom_signaling_expired_total", "Signaling sockets closed by the server, by reason")
                .sample(sig.closedIdle(), "reason", "idle")
                .sample(sig.closedSilent(), "reason", "silent");

        ForwardingStats f = s.forwarding();
        out.counter("videoroom_rtp_received_packets_total", "RTP packets received from publishers and routed")
                .sample(f.rtpReceived());
        out.counter("videoroom_rtp_received_bytes_total", "Bytes of those packets (RTP header and payload)")
                .sample(f.rtpReceivedBytes());
        out.counter("videoroom_rtp_forwarded_packets_total", "RTP packets sent to subscribers, one per subscriber")
                .sample(f.rtpForwarded());
        out.counter("videoroom_rtp_forwarded_bytes_total", "Bytes of those packets (RTP header and payload)")
                .sample(f.rtpForwardedBytes());
        out.counter("videoroom_rtp_dropped_packets_total", "RTP packets not forwarded, by reason")
                .sample(f.unroutableDropped(), "reason", "unroutable")
                .sample(f.notForwardable(), "reason", "not_forwardable")
                .sample(f.rtpLossInjected(), "reason", "test_loss_injected")
                .sample(f.rtxUnsolicited(), "reason", "rtx_unsolicited");
        out.counter("videoroom_nacks_received_total", "NACK feedback packets received from subscribers")
                .sample(f.nacksReceived());
        out.counter("videoroom_nacks_sent_total", "NACKs sent to publishers for packets the cache never had")
                .sample(f.nacksSent());
        out.counter("videoroom_nack_entries_ignored_total",
                "NACKed sequence numbers not answered (repeated or beyond the per-NACK bound)")
                .sample(f.nackEntriesIgnored());
        out.counter("videoroom_nacks_suppressed_total",
                "Lost sequence numbers not asked of the publisher (asked within 100 ms, or over its budget)")
                .sample(f.nacksSuppressed());
        out.counter("videoroom_retransmissions_denied_total",
                "NACKed packets not resent: beyond the subscriber's retransmission budget")
                .sample(f.retransmissionsDenied());
        out.counter("videoroom_retransmissions_total", "Packets resent to subscribers after a NACK")
                .sample(f.retransmissions());
        out.counter("videoroom_retransmit_misses_total", "NACKed packets no longer (or never) in the cache")
                .sample(f.retransmitMisses());
        out.counter("videoroom_rtx_repaired_packets_total", "Publisher RTX packets restored and forwarded")
                .sample(f.rtxRepaired());
        out.counter("videoroom_keyframe_requests_total", "PLIs sent to publishers").sample(f.keyframeRequests());
        out.counter("videoroom_sender_reports_forwarded_total", "Publisher sender reports relayed to subscribers")
                .sample(f.senderReportsForwarded());
        out.counter("videoroom_receiver_reports_sent_total", "Receiver reports sent to publishers")
                .sample(f.receiverReportsSent());
        out.counter("videoroom_transport_cc_feedback_total", "Transport-wide congestion control feedback packets")
                .sample(f.transportCcFeedbackSent(), "direction", "sent")
                .sample(f.transportCcFeedbackReceived(), "direction", "received");
        out.counter("videoroom_probes_total", "Bandwidth probes towards subscribers: started, carried, aborted")
                .sample(f.probesStarted(), "result", "started")
                .sample(f.probesCarried(), "result", "carried")
                .sample(f.probesAborted(), "result", "aborted");

        writeEstimates(out, s.media());
        writeLayers(out, s.media());

        IceServerStats ice = s.ice();
        out.gauge("videoroom_ice_transports", "ICE transports open now").sample(ice.transports());
        out.counter("videoroom_ice_transports_created_total", "ICE transports created")
                .sample(ice.transportsCreated());
        out.counter("videoroom_ice_checks_dropped_total", "STUN binding requests dropped before ICE, by reason")
                .sample(ice.checksDroppedSourceNotAllowed(), "reason", "source_not_allowed")
                .sample(ice.checksDroppedUnknownUfrag(), "reason", "unknown_ufrag");
        out.counter("videoroom_ice_failures_total", "ICE transports that failed, by reason")
                .sample(ice.failedChecks(), "reason", "checks_failed")
                .sample(ice.failedConnectTimeout(), "reason", "connect_timeout")
                .sample(ice.consentExpired(), "reason", "consent_expired")
                .sample(ice.failedServerClosed(), "reason", "server_closed");
        out.counter("videoroom_ice_selected_pairs_total", "ICE transports connected, by the selected pair's protocol")
                .sample(ice.selectedUdp(), "protocol", "udp")
                .sample(ice.selectedTcp(), "protocol", "tcp");

        BufferPool.Stats b = s.buffers();
        out.gauge("videoroom_buffer_pool_outstanding", "Packet buffers taken and not yet returned")
                .sample(b.outstanding());
        out.counter("videoroom_buffer_pool_taken_total", "Packet buffers handed out").sample(b.taken());
        out.counter("videoroom_buffer_pool_released_total", "Packet buffers returned").sample(b.released());
        out.counter("videoroom_buffer_pool_allocated_total", "Arrays allocated because no free buffer fitted")
                .sample(b.allocated());
        out.counter("videoroom_buffer_pool_discarded_total", "Returned buffers dropped because their tier was full")
                .sample(b.discarded());
        out.counter("videoroom_buffer_pool_bad_releases_total", "Releases of a buffer twice or not from the pool")
                .sample(b.doubleReleases(), "kind", "double")
                .sample(b.foreignReleases(), "kind", "foreign");
        return out.text();
    }

    private static void writeEstimates(PrometheusText out, List<ParticipantMediaStats> media) {
        long[] counts = new long[ESTIMATE_BOUNDS_BPS.length];
        for (ParticipantMediaStats p : media) {
            for (int i = 0; i < ESTIMATE_BOUNDS_BPS.length; i++) {
                if (p.estimateBps() <= ESTIMATE_BOUNDS_BPS[i]) {
                    counts[i]++;
                }
            }
        }
        out.gauge("videoroom_downlink_estimate_participants",
                "Participants with media whose downlink estimate is at most le bit/s now (cumulative)");
        for (int i = 0; i < ESTIMATE_BOUNDS_BPS.length; i++) {
            out.sample(counts[i], "le", Long.toString(ESTIMATE_BOUNDS_BPS[i]));
        }
        out.sample(media.size(), "le", "+Inf");
    }

    private static void writeLayers(PrometheusText out, List<ParticipantMediaStats> media) {
        long[] forwarded = new long[MAX_LAYERS];
        long pending = 0;
        long paused = 0;
        long audio = 0;
        for (ParticipantMediaStats p : media) {
            for (ParticipantMediaStats.SubscriptionStats sub : p.subscriptions()) {
                if (!"video".equals(sub.kind())) {
                    audio++;
                } else if (sub.targetLayer() < 0) {
                    paused++;
                } else if (sub.currentLayer() < 0) {
                    pending++;
                } else {
                    forwarded[Math.min(sub.currentLayer(), MAX_LAYERS - 1)]++;
                }
            }
        }
        out.gauge("videoroom_subscriptions", "Tracks forwarded to subscribers now, video by the layer forwarded "
                + "(0 = lowest; pending = no keyframe yet, paused = no room in the estimate)");
        out.sample(audio, "kind", "audio", "layer", "");
        for (int i = 0; i < MAX_LAYERS; i++) {
            out.sample(forwarded[i], "kind", "video", "layer", Integer.toString(i));
        }
        out.sample(pending, "kind", "video", "layer", "pending");
        out.sample(paused, "kind", "video", "layer", "paused");
    }
}
