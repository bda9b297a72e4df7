package org.videoroom.it;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signaling WebSocket on the real server, with several clients at once. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SignalingIT {

    private static final Duration QUIET = Duration.ofMillis(500);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private URI base;

    @BeforeEach
    void setUp() {
        base = TestDeployments.loopback(deploymentUrl);
    }

    @Test
    void threeClientsSeeEachOtherJoinAndLeave_andAnotherRoomSeesNothing() {
        String room = "it-three-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, room);
             WsClient bob = WsClient.connect(base, room);
             WsClient cy = WsClient.connect(base, room);
             WsClient elsewhere = WsClient.connect(base, room + "-other")) {
            elsewhere.join("Zed");

            String adaId = ada.join("Ada").getString("participantId");
            JsonObject bobJoined = bob.join("Bob");
            String bobId = bobJoined.getString("participantId");
            assertEquals(Set.of(adaId), ids(bobJoined));
            assertEquals(bobId, ada.expect("participantJoined").getJsonObject("participant").getString("id"));

            JsonObject cyJoined = cy.join("Cy");
            String cyId = cyJoined.getString("participantId");
            assertEquals(Set.of(adaId, bobId), ids(cyJoined));
            assertEquals("Cy", ada.expect("participantJoined").getJsonObject("participant").getString("name"));
            assertEquals("Cy", bob.expect("participantJoined").getJsonObject("participant").getString("name"));

            bob.send("{\"type\":\"leave\"}");
            assertEquals(bobId, ada.expect("participantLeft").getString("participantId"));
            assertEquals(bobId, cy.expect("participantLeft").getString("participantId"));

            cy.close(); // a closed socket counts as leaving
            JsonObject left = ada.expect("participantLeft");
            assertEquals(cyId, left.getString("participantId"));
            assertEquals("disconnected", left.getString("reason"));

            elsewhere.expectSilence(QUIET);
            bob.expectSilence(QUIET);
        }
    }

    @Test
    void everyBadInputGetsItsErrorAndOthersKeepWorking() {
        String room = "it-bad-" + System.nanoTime();
        try (WsClient good = WsClient.connect(base, room);
             WsClient bad = WsClient.connect(base, room);
             WsClient badRoom = WsClient.connect(base, "bad%20room!")) {
            good.join("Good");

            bad.send("{\"type\":\"leave\"}");
            bad.expectError("not-joined");
            bad.send("{this is not json");
            bad.expectError("bad-json");
            bad.send("{\"type\":\"teleport\"}");
            bad.expectError("unknown-type");
            bad.send("{\"type\":\"join\"}");
            bad.expectError("missing-field");
            bad.send("{\"type\":\"join\",\"name\":\"" + "x".repeat(70_000) + "\"}");
            bad.expectError("too-large");
            bad.send("{\"type\":\"join\",\"name\":\"bell\\u0007\"}");
            bad.expectError("invalid-name");
            bad.send("{\"type\":\"join\",\"name\":\"" + "y".repeat(41) + "\"}");
            bad.expectError("invalid-name");
            badRoom.send("{\"type\":\"join\",\"name\":\"Eve\"}");
            badRoom.expectError("invalid-room");

            // Still usable after all that: it can join, and a second join is refused.
            String badId = bad.join("Finally").getString("participantId");
            assertEquals(badId, good.expect("participantJoined").getJsonObject("participant").getString("id"));
            bad.send("{\"type\":\"join\",\"name\":\"Again\"}");
            bad.expectError("already-joined");
            assertFalse(bad.isClosed());

            // The well-behaved client saw nothing of the errors and still works.
            good.expectSilence(QUIET);
            try (WsClient late = WsClient.connect(base, room)) {
                assertEquals(2, late.join("Late").getJsonArray("participants").size());
                good.expect("participantJoined");
            }
            assertEquals("participantLeft", good.expect("participantLeft").getString("type"));
        }
    }

    @Test
    void badOffersAndCandidatesGetTheirErrorsAndOthersKeepWorking() {
        String room = "it-sdp-" + System.nanoTime();
        try (WsClient good = WsClient.connect(base, room);
             WsClient bad = WsClient.connect(base, room)) {
            good.join("Good");
            bad.join("Bad");
            good.expect("participantJoined");

            bad.send("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}");
            bad.expectError("bad-candidate");
            bad.send("{\"type\":\"offer\",\"sdp\":\"this is not SDP\"}");
            bad.expectError("bad-sdp");
            // Well-formed SDP that cannot be answered: no BUNDLE, no ICE credentials, no fingerprint.
            bad.send("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                    + "m=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\nc=IN IP4 0.0.0.0\\r\\na=mid:0\\r\\na=sendonly\\r\\n"
                    + "a=rtpmap:111 opus/48000/2\\r\\n\"}");
            bad.expectError("bad-sdp");
            bad.send("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n" + "a=x\\r\\n".repeat(7000) + "\"}");
            bad.expectError("bad-sdp");

            good.expectSilence(QUIET);
            assertFalse(bad.isClosed());
            bad.send("{\"type\":\"leave\"}");
            assertEquals("participantLeft", good.expect("participantLeft").getString("type"));
        }
    }

    @Test
    void aPublisherMayNotCloneAnotherParticipantsSsrcNorSubscribeToOneTrackTwice() {
        String room = "it-clone-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, room);
             WsClient mallory = WsClient.connect(base, room)) {
            ada.join("Ada");
            mallory.join("Mallory");
            ada.expect("participantJoined");
            ada.send(offer(org.videoroom.sdp.Captures.text("chromium-156-offer.sdp"), "{}"));
            assertEquals("answer", ada.expect("answer").getString("type"));
            JsonObject added = mallory.expect("tracksAdded");
            String adaVideo = added.getJsonArray("tracks").stream().map(t -> t.asJsonObject())
                    .filter(t -> "video".equals(t.getString("kind"))).findFirst().orElseThrow().getString("trackId");

            // The same capture offers Ada's SSRCs: Mallory would send as Ada.
            mallory.send(offer(org.videoroom.sdp.Captures.text("chromium-156-offer.sdp"), "{}"));
            assertTrue(mallory.expectError("bad-sdp").getString("message").contains("another participant"));
            // One track on two m-lines would be sent twice.
            mallory.send(offer(org.videoroom.sdp.Captures.text("firefox-153-offer.sdp"),
                    "{\"2\":\"" + adaVideo + "\",\"3\":\"" + adaVideo + "\"}"));
            assertTrue(mallory.expectError("bad-sdp").getString("message").contains("two m-lines"));
            // Its own SSRCs and one subscription per track are fine.
            mallory.send(offer(org.videoroom.sdp.Captures.text("firefox-153-offer.sdp"),
                    "{\"3\":\"" + adaVideo + "\"}"));
            assertEquals("answer", mallory.expect("answer").getString("type"));

            // Ada never noticed, and her next offer is answered as before.
            assertEquals("tracksAdded", ada.expect("tracksAdded").getString("type"));
            ada.send(offer(org.videoroom.sdp.Captures.text("chromium-156-offer.sdp"), "{}"));
            assertEquals("answer", ada.expect("answer").getString("type"));
        }
    }

    private static String offer(String sdp, String subscriptions) {
        return jakarta.json.Json.createObjectBuilder().add("type", "offer").add("sdp", sdp)
                .add("subscriptions", jakarta.json.Json.createReader(new java.io.StringReader(subscriptions))
                        .readObject())
                .build().toString();
    }

    @Test
    void aSocketFromAForeignPageIsRefusedBeforeItOpens_thePagesOwnOriginIsNot() {
        String room = "it-origin-" + System.nanoTime();
        String own = "http://" + base.getHost() + ":" + base.getPort();
        try (WsClient ada = WsClient.connect(base, room, own)) {
            String adaId = ada.join("Ada").getString("participantId");

            java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class,
                    () -> WsClient.connect(base, room, "http://evil.example"));
            java.net.http.WebSocketHandshakeException handshake = org.junit.jupiter.api.Assertions.assertInstanceOf(
                    java.net.http.WebSocketHandshakeException.class, refused.getCause());
            assertEquals(403, handshake.getResponse().statusCode());
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                    () -> WsClient.connect(base, room, "null"));

            ada.expectSilence(QUIET); // nobody joined
            try (WsClient bob = WsClient.connect(base, room, own)) {
                JsonObject bobJoined = bob.join("Bob");
                assertEquals(Set.of(adaId), ids(bobJoined));
                assertEquals("participantJoined", ada.next().getString("type"));
            }
        }
    }

    /**
     * Squatting and socket floods, on the real server: a socket that joins and never negotiates is removed (the
     * others see why), one address cannot open sockets without bound, a candidate before any offer builds no ICE
     * agent. Meanwhile a participant who negotiated stays, and the room still takes newcomers.
     * (arquillian.xml: rooms named idle-… get 2 s idle and 3 s silence limits; 40 sockets per address.)
     */
    @Test
    void squattersAndSocketFloodsAreCappedWhileTheRoomGoesOn() throws Exception {
        String room = "idle-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, room);
             WsClient squatter = WsClient.connect(base, room)) {
            String adaId = ada.join("Ada").getString("participantId");
            ada.send(offer(org.videoroom.sdp.Captures.text("chromium-156-offer.sdp"), "{}"));
            assertEquals("answer", ada.expect("answer").getString("type"));

            long transportsBefore = iceTransportsCreated();
            String squatterId = squatter.join("Squatter").getString("participantId");
            squatter.send("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}");
            squatter.expectError("bad-candidate");
            squatter.send("{\"type\":\"viewport\",\"tiles\":{}}");
            assertEquals(transportsBefore, iceTransportsCreated(), "no ICE agent for a candidate or viewport");

            assertEquals(squatterId, ada.expect("participantJoined").getJsonObject("participant").getString("id"));
            JsonObject left = ada.expect("participantLeft");
            assertEquals(squatterId, left.getString("participantId"));
            assertEquals("idle", left.getString("reason"));
            assertEquals("1000 idle", squatter.awaitClosedByServer(Duration.ofSeconds(5)));

            // Ada answers the server's pings (the JDK client does, like browsers): still there after 4 s.
            Thread.sleep(4000);
            assertFalse(ada.isClosed(), "a participant with media and answered pings stays");

            java.util.List<WsClient> flood = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 45; i++) {
                    flood.add(WsClient.connect(base, "flood-" + System.nanoTime()));
                }
                Thread.sleep(1000);
                java.util.List<String> refusals = flood.stream().filter(WsClient::isClosed)
                        .map(c -> c.awaitClosedByServer(Duration.ofSeconds(1))).toList();
                assertTrue(refusals.size() >= 6, "Ada's and 39 more at most: " + refusals.size() + " refused");
                assertEquals(Set.of("1013 too many connections from your address"), Set.copyOf(refusals));
            } finally {
                flood.forEach(WsClient::close);
            }
            var metrics = org.videoroom.it.browser.BrowserMedia.metrics(base);
            assertTrue(org.videoroom.it.browser.BrowserMedia.metric(metrics, "videoroom_signaling_refused_total",
                    "reason", "address_full") >= 1);
            assertTrue(org.videoroom.it.browser.BrowserMedia.metric(metrics, "videoroom_signaling_expired_total",
                    "reason", "idle") >= 1);

            // Places are freed when sockets close: a newcomer joins and sees Ada.
            Thread.sleep(500);
            try (WsClient bob = WsClient.connect(base, room)) {
                assertEquals(Set.of(adaId), ids(bob.join("Bob")));
            }
        }
    }

    private long iceTransportsCreated() throws Exception {
        return (long) org.videoroom.it.browser.BrowserMedia.metric(org.videoroom.it.browser.BrowserMedia.metrics(base),
                "videoroom_ice_transports_created_total");
    }

    @Test
    void roomPasswordsAndSignedJoinTokensKeepStrangersOut() {
        String room = "it-password-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, room);
             WsClient bob = WsClient.connect(base, room)) {
            ada.send("{\"type\":\"join\",\"name\":\"Ada\",\"password\":\"open sesame\"}");
            ada.expect("joined");
            bob.send("{\"type\":\"join\",\"name\":\"Bob\"}");
            bob.expectError("password-required");
            bob.send("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"open sesame!\"}");
            bob.expectError("wrong-password");
            for (int i = 0; i < 4; i++) {
                bob.send("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"guess " + i + "\"}");
                bob.expectError("wrong-password");
            }
            bob.send("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"open sesame\"}");
            bob.expectError("rate-limited");
            ada.expectSilence(QUIET);
        }

        org.videoroom.signaling.JoinTokens tokens = new org.videoroom.signaling.JoinTokens(TestDeployments.TOKEN_SECRET);
        String signed = "signed-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, signed);
             WsClient mallory = WsClient.connect(base, signed)) {
            ada.send("{\"type\":\"join\",\"name\":\"Ada\",\"token\":\""
                    + tokens.mint(signed, "Ada", java.time.Instant.now().plusSeconds(60)) + "\"}");
            ada.expect("joined");
            mallory.send("{\"type\":\"join\",\"name\":\"Mallory\"}");
            mallory.expectError("unauthorized");
            mallory.send("{\"type\":\"join\",\"name\":\"Mallory\",\"token\":\""
                    + new org.videoroom.signaling.JoinTokens("not the server's secret at all")
                    .mint(signed, "Mallory", java.time.Instant.now().plusSeconds(60)) + "\"}");
            mallory.expectError("unauthorized");
            mallory.send("{\"type\":\"join\",\"name\":\"Mallory\",\"token\":\""
                    + tokens.mint(signed, "Mallory", java.time.Instant.now().minusSeconds(1)) + "\"}");
            mallory.expectError("unauthorized");
            ada.expectSilence(QUIET);
        }
    }

    @Test
    void fullRoomIsRefused() {
        String room = "it-full-" + System.nanoTime();
        WsClient[] clients = new WsClient[16]; // arquillian.xml sets videoroom.room.max-participants=16
        try {
            for (int i = 0; i < clients.length; i++) {
                clients[i] = WsClient.connect(base, room);
                clients[i].join("p" + i);
            }
            try (WsClient extra = WsClient.connect(base, room)) {
                extra.send("{\"type\":\"join\",\"name\":\"extra\"}");
                extra.expectError("room-full");
            }
        } finally {
            for (WsClient client : clients) {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private static Set<String> ids(JsonObject joined) {
        return joined.getJsonArray("participants").stream()
                .map(v -> v.asJsonObject().getString("id"))
                .collect(Collectors.toSet());
    }
}
