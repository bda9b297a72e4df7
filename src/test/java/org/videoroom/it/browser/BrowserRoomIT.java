package org.videoroom.it.browser;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jakarta.json.JsonObject;
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

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(BrowserRoomIT.class.getName());

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final List<RoomPage> pages = new ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        for (RoomPage page : pages) {
            try {
                page.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a browser failed", e);
            }
        }
    }

    private RoomPage open(String name) {
        RoomPage page = new RoomPage(name);
        pages.add(page);
        return page;
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
            awaitMediaFromAll(page, 2);
        }
        LOG.log(System.Logger.Level.INFO, "three participants: every remote video decoding after {0} ms;"
                + " page milestones of the last to join (ms since its room page loaded): {1}",
                (System.nanoTime() - start) / 1_000_000, new java.util.TreeMap<>(cy.timeline()));
        for (RoomPage page : first) {
            assertMediaFlows(page);
        }

        RoomPage elsewhere = open("Zed").join(base, room + "-other");

        RoomPage dee = open("Dee");
        long deeJoins = System.nanoTime();
        dee.join(base, room);
        awaitMediaFromAll(dee, 3);
        LOG.log(System.Logger.Level.INFO, "late joiner: video from all three decoding {0} ms after the join click;"
                + " page milestones (ms since the room page loaded): {1}", (System.nanoTime() - deeJoins) / 1_000_000,
                new java.util.TreeMap<>(dee.timeline()));
        List<RoomPage> four = List.of(ada, bob, cy, dee);
        for (RoomPage page : four) {
            awaitMediaFromAll(page, 3);
        }
        assertEquals(Set.of("Ada", "Bob", "Cy"), Set.copyOf(dee.remoteNames()));

        // Hostile datagrams on the shared media port disturb no one.
        WireNoise.blast(TestDeployments.ICE_PORT);
        for (RoomPage page : four) {
            assertMediaFlows(page);
        }

        String bobId = bob.participantId();
        bob.leave();
        for (RoomPage page : List.of(ada, cy, dee)) {
            RoomPage.await(Duration.ofSeconds(3), page.name() + " no longer shows Bob",
                    () -> !page.inbound().containsKey(bobId) && page.remoteTiles() == 2);
            assertMediaFlows(page);
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
        awaitMediaFromAll(ada, 1);
        awaitMediaFromAll(bob, 1);

        JsonObject before = ServerStats.forwarding(base);
        for (int i = 0; i < 3; i++) {
            assertMediaFlows(ada);
            assertMediaFlows(bob);
        }
        JsonObject after = ServerStats.forwarding(base);
        LOG.log(System.Logger.Level.INFO, "5 % loss: forwarding counters before {0}, after {1}", before, after);
        assertTrue(after.getJsonNumber("rtpLossInjected").longValue()
                > before.getJsonNumber("rtpLossInjected").longValue(), "the loss switch dropped packets");
        assertTrue(after.getJsonNumber("nacksReceived").longValue()
                > before.getJsonNumber("nacksReceived").longValue(), "subscribers asked for retransmissions");
        assertTrue(after.getJsonNumber("retransmissions").longValue()
                > before.getJsonNumber("retransmissions").longValue(), "the server retransmitted from its cache");
    }

    /** Waits until the page decodes video and receives audio from {@code count} remote participants. */
    static void awaitMediaFromAll(RoomPage page, int count) {
        RoomPage.await(MEDIA_TIMEOUT, page.name() + " decodes video and receives audio from " + count + " others",
                () -> {
                    Map<String, RoomPage.Inbound> inbound = page.inbound();
                    return inbound.size() == count && inbound.values().stream()
                            .allMatch(in -> in.framesDecoded() > 0 && in.audioPacketsReceived() > 0);
                });
    }

    /**
     * Media keeps flowing: every remote participant's video and audio counters grow again. On two cores with five
     * browsers a decoder may stall for a moment, so each gets a generous window to show progress.
     */
    static void assertMediaFlows(RoomPage page) {
        Map<String, RoomPage.Inbound> before = page.inbound();
        RoomPage.await(FLOW_TIMEOUT, page.name() + " keeps decoding video and receiving audio from " + before.keySet(),
                () -> {
                    Map<String, RoomPage.Inbound> now = page.inbound();
                    return now.keySet().equals(before.keySet()) && before.entrySet().stream().allMatch(e -> {
                        RoomPage.Inbound later = now.get(e.getKey());
                        return later.framesDecoded() > e.getValue().framesDecoded()
                                && later.audioPacketsReceived() > e.getValue().audioPacketsReceived();
                    });
                });
    }
}
