package org.videoroom.it.browser;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
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
        // Up to five browsers share two cores here: 640x480 cameras (two simulcast layers) keep them responsive.
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
        for (RoomPage page : first) {
            BrowserMedia.assertMediaFlows(page);
        }

        RoomPage elsewhere = open("Zed").join(base, room + "-other");

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

        assertEquals(List.of(), elsewhere.remoteNames());
        assertEquals(Map.of(), elsewhere.inbound());
        assertEquals(0, elsewhere.remoteTiles());
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

        // Bob's media connection dies while his signaling stays up: the server removes him like one who left.
        String bobId = bob.participantId();
        bob.browser().script("window.videoroom.media.peerConnection.close();");
        RoomPage.await(Duration.ofSeconds(10), "Ada no longer shows Bob",
                () -> !ada.inbound().containsKey(bobId) && ada.remoteTiles() == 0);
        RoomPage.await(Duration.ofSeconds(10), "Bob's page says the connection is gone",
                () -> bob.statusText().contains("Connection lost"));
    }
}
