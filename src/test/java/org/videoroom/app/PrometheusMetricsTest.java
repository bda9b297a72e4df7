package org.videoroom.app;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;
import org.videoroom.media.ForwardingStats;
import org.videoroom.media.ParticipantMediaStats;
import org.videoroom.stats.PrometheusTextParser;
import org.videoroom.transport.ice.IceServerStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.videoroom.stats.PrometheusTextParser.value;

class PrometheusMetricsTest {

    @Test
    void everyPartOfTheStatsIsExposedUnderItsName() {
        ForwardingStats forwarding = new ForwardingStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                18, 19, 20, 21, 22, 23, 24);
        IceServerStats ice = new IceServerStats(2, 30, 31, 32, 33, 34, 35, 36, 37, 38);
        BufferPool.Stats buffers = new BufferPool.Stats(40, 41, 42, 43, 44, 45, 46);
        List<ParticipantMediaStats> media = List.of(
                participant(250_000, video(0, 0), video(-1, 1), audio()),
                participant(5_000_000, video(2, 2), video(1, -1)));

        Map<String, PrometheusTextParser.Family> m = PrometheusTextParser.parse(PrometheusMetrics.write(
                new PrometheusMetrics.Snapshot(3, 7, new PrometheusMetrics.Signaling(5, 4, 0, 0, 0, 0), forwarding, ice, buffers, media)));

        assertEquals(3.0, value(m, "videoroom_rooms").orElseThrow());
        assertEquals(7.0, value(m, "videoroom_participants").orElseThrow());
        assertEquals(4.0, value(m, "videoroom_signaling_refused_total", "reason", "foreign_origin").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_rtp_received_packets_total").orElseThrow());
        assertEquals(20.0, value(m, "videoroom_rtp_received_bytes_total").orElseThrow());
        assertEquals(2.0, value(m, "videoroom_rtp_forwarded_packets_total").orElseThrow());
        assertEquals(21.0, value(m, "videoroom_rtp_forwarded_bytes_total").orElseThrow());
        assertEquals(3.0, value(m, "videoroom_rtp_dropped_packets_total", "reason", "test_loss_injected").orElseThrow());
        assertEquals(4.0, value(m, "videoroom_nacks_received_total").orElseThrow());
        assertEquals(5.0, value(m, "videoroom_retransmissions_total").orElseThrow());
        assertEquals(19.0, value(m, "videoroom_nack_entries_ignored_total").orElseThrow());
        assertEquals(22.0, value(m, "videoroom_rtp_dropped_packets_total", "reason", "rtx_unsolicited").orElseThrow());
        assertEquals(23.0, value(m, "videoroom_nacks_suppressed_total").orElseThrow());
        assertEquals(24.0, value(m, "videoroom_retransmissions_denied_total").orElseThrow());
        assertEquals(17.0, value(m, "videoroom_probes_total", "result", "carried").orElseThrow());
        assertEquals(18.0, value(m, "videoroom_probes_total", "result", "aborted").orElseThrow());
        assertEquals(33.0, value(m, "videoroom_ice_failures_total", "reason", "checks_failed").orElseThrow());
        assertEquals(34.0, value(m, "videoroom_ice_failures_total", "reason", "connect_timeout").orElseThrow());
        assertEquals(35.0, value(m, "videoroom_ice_failures_total", "reason", "server_closed").orElseThrow());
        assertEquals(36.0, value(m, "videoroom_ice_failures_total", "reason", "consent_expired").orElseThrow());
        assertEquals(31.0, value(m, "videoroom_ice_checks_dropped_total", "reason", "source_not_allowed").orElseThrow());
        assertEquals(37.0, value(m, "videoroom_ice_selected_pairs_total", "protocol", "udp").orElseThrow());
        assertEquals(38.0, value(m, "videoroom_ice_selected_pairs_total", "protocol", "tcp").orElseThrow());
        assertEquals(43.0, value(m, "videoroom_buffer_pool_outstanding").orElseThrow());
        assertEquals(46.0, value(m, "videoroom_buffer_pool_bad_releases_total", "kind", "foreign").orElseThrow());

        assertEquals(0.0, value(m, "videoroom_downlink_estimate_participants", "le", "100000").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_downlink_estimate_participants", "le", "300000").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_downlink_estimate_participants", "le", "4000000").orElseThrow());
        assertEquals(2.0, value(m, "videoroom_downlink_estimate_participants", "le", "+Inf").orElseThrow());

        assertEquals(1.0, value(m, "videoroom_subscriptions", "kind", "video", "layer", "0").orElseThrow());
        assertEquals(0.0, value(m, "videoroom_subscriptions", "kind", "video", "layer", "1").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_subscriptions", "kind", "video", "layer", "2").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_subscriptions", "kind", "video", "layer", "pending").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_subscriptions", "kind", "video", "layer", "paused").orElseThrow());
        assertEquals(1.0, value(m, "videoroom_subscriptions", "kind", "audio", "layer", "").orElseThrow());

        for (PrometheusTextParser.Family family : m.values()) {
            assertTrue(family.help() != null && !family.help().isBlank(), family.name());
            assertEquals(family.type().equals("counter"), family.name().endsWith("_total"), family.name());
            assertTrue(family.name().startsWith("videoroom_"), family.name());
        }
    }

    @Test
    void anIdleServerWritesEveryFamilyWithZeros() {
        Map<String, PrometheusTextParser.Family> m = PrometheusTextParser.parse(PrometheusMetrics.write(
                new PrometheusMetrics.Snapshot(0, 0, new PrometheusMetrics.Signaling(0, 0, 0, 0, 0, 0),
                        new ForwardingStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                        new IceServerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), new BufferPool.Stats(0, 0, 0, 0, 0, 0, 0),
                        List.of())));
        assertEquals(0.0, value(m, "videoroom_downlink_estimate_participants", "le", "+Inf").orElseThrow());
        assertTrue(m.values().stream().allMatch(f -> !f.samples().isEmpty()), "no empty family");
    }

    private static ParticipantMediaStats participant(long estimateBps,
                                                     ParticipantMediaStats.SubscriptionStats... subscriptions) {
        return new ParticipantMediaStats("p", "udp", 0, estimateBps, null, null, null, 0, 0, null, null, List.of(subscriptions));
    }

    private static ParticipantMediaStats.SubscriptionStats video(int current, int target) {
        return new ParticipantMediaStats.SubscriptionStats("t", "video", 3, current, target, 0, 0, 0, 0, java.util.List.of(150_000L, 500_000L, 1_500_000L));
    }

    private static ParticipantMediaStats.SubscriptionStats audio() {
        return new ParticipantMediaStats.SubscriptionStats("a", "audio", 1, 0, 0, 0, 0, 0, 0, java.util.List.of(40_000L));
    }
}
