package org.videoroom.it.browser;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;
import org.videoroom.stats.PrometheusTextParser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real browsers in real rooms: headless Chromium peers join through the lobby page and must decode each other's
 * video and receive each other's audio through the server, with no mock anywhere on the media path.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserRoomIT {

    private static final Duration LOSS_WINDOW = Duration.ofSeconds(8);
    private static final System.Logger LOG = System.getLogger(BrowserRoomIT.class.getName());

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();

    @AfterEach
    void closeBrowsers() {
        browsers.closeAll();
    }

    private RoomPage open(String name) {
        // Up to four browsers share two cores here: 640x480 cameras (two simulcast layers) keep them responsive.
        // A wide window keeps all four remote tiles of the late joiner on screen (a hidden tile gets no video).
        return browsers.add(new RoomPage(name, Chromium.withArguments(name,
                java.util.List.of("--window-size=" + Chromium.WIDE_WINDOW))).withCamera(640, 480));
    }

    @Test
    void participantsSeeAndHearEachOther_lateJoinerGetsEveryone_leaverVanishes_otherRoomGetsNothing() {
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "browsers-" + System.nanoTime();

        long start = System.nanoTime();
        RoomPage ada = open("Ada").join(base, room);
        RoomPage bob = open("Bob").join(base, room);
        RoomPage cy = open("Cy").join(base, room);
        List<RoomPage> first = List.of(ada, bob, cy);
        for (RoomPage page : first) {
            BrowserMedia.awaitMediaFromAll(page, 2);
        }
        LOG.log(System.Logger.Level.INFO, "three participants: every remote video decoding after {0} ms;"
                + " page milestones of the last to join (ms since its room page loaded): {1}",
                (System.nanoTime() - start) / 1_000_000, new java.util.TreeMap<>(cy.timeline()));
        // (That their media keeps flowing is checked below, with the late joiner in the room.)

        // Someone in another room (signaling is where a room's membership and tracks would leak from; the media
        // server forwards only within subscriptions, which only a room's own tracks can have).
        org.videoroom.it.WsClient elsewhere = org.videoroom.it.WsClient.connect(base, room + "-other");
        JsonObject zedJoined = elsewhere.join("Zed");
        assertEquals(0, zedJoined.getJsonArray("participants").size(), zedJoined.toString());
        assertEquals(0, zedJoined.getJsonArray("tracks").size(), zedJoined.toString());

        RoomPage dee = open("Dee").join(base, room);
        BrowserMedia.awaitMediaFromAll(dee, 3);
        Map<String, Long> milestones = dee.timeline();
        LOG.log(System.Logger.Level.INFO, "late joiner: first remote video frame {0} ms after the join reply;"
                + " page milestones (ms since the room page navigation began): {1}",
                milestones.get("firstRemoteFrame") - milestones.get("joined"), new java.util.TreeMap<>(milestones));
        List<RoomPage> four = List.of(ada, bob, cy, dee);
        for (RoomPage page : four) {
            BrowserMedia.awaitMediaFromAll(page, 3);
        }
        assertEquals(Set.of("Ada", "Bob", "Cy"), Set.copyOf(dee.remoteNames()));

        // Hostile datagrams on the shared media port disturb no one.
        WireNoise.blast(TestDeployments.ICE_PORT);
        for (RoomPage page : four) {
            BrowserMedia.assertMediaFlows(page);
        }

        String bobId = bob.participantId();
        bob.leave();
        for (RoomPage page : List.of(ada, cy, dee)) {
            RoomPage.await(Duration.ofSeconds(3), page.name() + " no longer shows Bob",
                    () -> !page.inbound().containsKey(bobId) && page.remoteTiles() == 2);
            BrowserMedia.assertMediaFlows(page);
        }

        assertEquals(List.of(), elsewhere.drain(), "the other room heard nothing of this one");
        elsewhere.close();
    }

    /** The Prometheus view of the same room: counters grow, and both participants show in the distributions. */
    private static void assertMetricsMoved(Map<String, PrometheusTextParser.Family> before,
                                           Map<String, PrometheusTextParser.Family> after) {
        for (String counter : List.of("videoroom_rtp_received_packets_total", "videoroom_rtp_received_bytes_total",
                "videoroom_rtp_forwarded_packets_total", "videoroom_rtp_forwarded_bytes_total",
                "videoroom_nacks_received_total", "videoroom_retransmissions_total",
                "videoroom_transport_cc_feedback_total")) {
            String[] labels = counter.equals("videoroom_transport_cc_feedback_total")
                    ? new String[] {"direction", "sent"} : new String[0];
            assertTrue(BrowserMedia.metric(after, counter, labels) > BrowserMedia.metric(before, counter, labels),
                    counter + " grew");
        }
        assertTrue(BrowserMedia.metric(after, "videoroom_rtp_forwarded_bytes_total")
                > 50 * BrowserMedia.metric(after, "videoroom_rtp_forwarded_packets_total"),
                "bytes count bytes (RTP packets of audio and video are well over 50 bytes on average)");
        assertTrue(BrowserMedia.metric(after, "videoroom_rtp_dropped_packets_total", "reason", "test_loss_injected")
                > BrowserMedia.metric(before, "videoroom_rtp_dropped_packets_total", "reason", "test_loss_injected"));
        assertTrue(BrowserMedia.metric(after, "videoroom_downlink_estimate_participants", "le", "+Inf") >= 2);
        double videoForwarded = 0;
        for (String layer : List.of("0", "1", "2")) {
            videoForwarded += BrowserMedia.metric(after, "videoroom_subscriptions", "kind", "video", "layer", layer);
        }
        assertTrue(videoForwarded >= 2, "each participant receives the other's video at some layer");
        assertTrue(BrowserMedia.metric(after, "videoroom_subscriptions", "kind", "audio", "layer", "") >= 2);
    }

    @Test
    void withFivePercentLossVideoKeepsDecodingAndTheServerRetransmits() throws Exception {
        URI base = TestDeployments.loopback(deploymentUrl);
        // arquillian.xml makes the server drop 5 % of forwarded packets in rooms named lossy-…
        String room = "lossy-" + System.nanoTime();
        RoomPage ada = open("Ada").join(base, room);
        RoomPage bob = open("Bob").join(base, room);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        BrowserMedia.awaitMediaFromAll(bob, 1);

        JsonObject before = BrowserMedia.forwarding(base);
        Map<String, PrometheusTextParser.Family> metricsBefore = BrowserMedia.metrics(base);
        // A fixed window, long enough for a few dozen dropped video packets to be NACKed, with media checked
        // to keep flowing throughout.
        long end = System.nanoTime() + LOSS_WINDOW.toNanos();
        while (System.nanoTime() < end) {
            BrowserMedia.assertMediaFlows(ada);
            BrowserMedia.assertMediaFlows(bob);
            Thread.sleep(500);
        }
        JsonObject after = BrowserMedia.forwarding(base);
        LOG.log(System.Logger.Level.INFO, "5 % loss: forwarding counters before {0}, after {1}", before, after);
        assertTrue(after.getJsonNumber("rtpLossInjected").longValue()
                > before.getJsonNumber("rtpLossInjected").longValue(), "the loss switch dropped packets");
        assertTrue(after.getJsonNumber("nacksReceived").longValue()
                > before.getJsonNumber("nacksReceived").longValue(), "subscribers asked for retransmissions");
        assertTrue(after.getJsonNumber("retransmissions").longValue()
                > before.getJsonNumber("retransmissions").longValue(), "the server retransmitted from its cache");
        assertMetricsMoved(metricsBefore, BrowserMedia.metrics(base));

        // Bob's media connection dies while his signaling stays up (closed without a word to the page): the server
        // removes him like one who left, and his page, its socket closed, joins again by itself as a new
        // participant with a new media session.
        String bobId = bob.participantId();
        bob.browser().script("window.videoroom.media.peerConnection.close();");
        RoomPage.await(Duration.ofSeconds(10), "Ada no longer shows the old Bob", () -> !ada.inbound().containsKey(bobId));
        RoomPage.await(Duration.ofSeconds(20), "Bob's page is back as a new participant",
                () -> !bobId.equals(bob.participantId()) && bob.participantId() != null);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        BrowserMedia.awaitMediaFromAll(bob, 1);
        assertTrue(ada.inbound().containsKey(bob.participantId()), "Ada receives the new Bob");
    }
}
