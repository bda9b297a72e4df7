package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.buffer.BufferPool;
import org.videoroom.room.DisplayName;
import org.videoroom.room.LeaveReason;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.ParticipantInfo;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.room.TrackSource;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Direction;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.MediaDescription;
import org.videoroom.sdp.Msid;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SessionDescription;
import org.videoroom.sdp.SsrcAttribute;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.srtp.SrtpConfig;

/**
 * A session's wiring through a real {@link MediaEngine}: a real ICE server on an ephemeral 127.0.0.1 port, a
 * generated DTLS certificate and real rooms, fed the captured browser offers. What the answers and plans contain
 * is {@link NegotiatorTest}'s business; here, that the session applies them: the transport's parameters in the
 * answer, tracks published to and withdrawn from the room, subscriptions found by track id, candidates, leaving.
 * No browser and no media: the offers carry no usable remote candidate (accepted candidates are only recorded,
 * never checked), so nothing is sent anywhere.
 */
class PeerSessionTest {

    /**
     * The timers of the ICE tests' {@code TestIceConfigs}: ice4j fixes its consent timers once per class loader,
     * and these tests may share the JVM with those. The connect timeout is longer than any test here, so no
     * transport fails (and removes its participant) while a test runs.
     */
    private static final IceConfig ICE = IceConfig.defaults()
            .withPort(0)
            .withConnectTimeout(Duration.ofSeconds(60))
            .withConsent(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(1500));

    private static final RoomName ROOM = new RoomName("negotiation-test");

    private ScheduledExecutorService scheduler;
    private ExecutorService events;
    private IceServer iceServer;
    private DtlsCertificate certificate;
    private BufferPool pool;
    private MediaEngine engine;
    private RoomRegistry rooms;

    @BeforeEach
    void startEngine() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        events = Executors.newCachedThreadPool();
        iceServer = new IceServer(ICE, scheduler);
        certificate = DtlsCertificate.generate();
        pool = new BufferPool(64, true);
        engine = new MediaEngine(iceServer, certificate, DtlsConfig.DEFAULT, SrtpConfig.DEFAULT, MediaConfig.DEFAULT,
                CodecPolicy.defaults(), pool, scheduler, events, events, events, System::nanoTime);
        rooms = new RoomRegistry(8, new RoomRegistry.Listener() {
            @Override
            public void onRoomOpened(RoomName room) {
            }

            @Override
            public void onRoomClosed(RoomName room) {
            }
        });
    }

    @AfterEach
    void stopEngine() throws InterruptedException {
        try {
            engine.close();
            rooms.close();
            assertEquals(0, iceServer.stats().transports(), "ICE transports left open after the engine closed");
        } finally {
            iceServer.close();
            scheduler.shutdownNow();
            events.shutdownNow();
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
            assertTrue(events.awaitTermination(5, TimeUnit.SECONDS));
        }
        assertEquals(0, pool.stats().outstanding(), "outstanding buffers");
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.CHROMIUM_OFFER, Captures.CHROMIUM_OFFER_GATHERED, Captures.FIREFOX_OFFER,
            Captures.FIREFOX_OFFER_GATHERED})
    void theAnswerCarriesTheTransportsParameters(String capture) {
        Participant alice = join("Alice", new RoomEvents());

        SessionDescription answer = SdpParser.parse(engine.session(alice).offer(Captures.text(capture), Map.of()));

        Fingerprint ours = Fingerprint.parse(certificate.fingerprint().format());
        for (MediaDescription m : answer.media()) {
            assertEquals(List.of(ours), answer.transportOf(m).fingerprints(), "mid " + m.mid().orElseThrow());
        }
        // The answerer-tagged m-line carries the shared port's host candidate, and is its default candidate.
        MediaDescription tagged = answer.media().get(0);
        IceCandidate host = answer.transportOf(tagged).candidates().get(0);
        assertAll("host candidate",
                () -> assertEquals("127.0.0.1", host.address()),
                () -> assertEquals(iceServer.port(), host.port()),
                () -> assertEquals(IceCandidate.CandidateType.HOST, host.type()),
                () -> assertTrue(host.isUdp()),
                () -> assertEquals(iceServer.port(), tagged.port()));
        String ufrag = answer.transportOf(tagged).iceUfrag().orElseThrow();
        assertTrue(iceServer.isRegistered(ufrag), "the answer's ufrag is the participant's ICE transport");
    }

    @Test
    void theWarmUpRunsThroughNegotiationIceAndDtlsAndLeavesNothingBehind() {
        long createdBefore = iceServer.stats().transportsCreated();
        MediaEngine.WarmUp took = engine.warmUp();
        assertTrue(took.negotiationMs() >= 0 && took.iceMs() >= 0 && took.dtlsMs() >= 0, took.toString());
        assertEquals(createdBefore + 1, iceServer.stats().transportsCreated(), "an ICE transport was made");
        assertEquals(0, iceServer.stats().transports(), "and closed");
        // The room is as it was: a participant's first session negotiates as usual.
        Participant alice = join("Alice", new RoomEvents());
        SdpParser.parse(engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of()));
    }

    @Test
    void aVideoLineDeclaredAScreenIsAnnouncedAsOne_aScreenAudioLineIsAMicrophone() {
        Participant alice = join("Alice", new RoomEvents());
        RoomEvents bobSees = new RoomEvents();
        join("Bob", bobSees);

        engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of(),
                Map.of("0", TrackSource.SCREEN, "1", TrackSource.SCREEN));

        assertEquals(List.of(List.of(
                new TrackInfo(TrackId.of(alice.id(), "0"), alice.id(), MediaKind.AUDIO, TrackSource.MICROPHONE),
                new TrackInfo(TrackId.of(alice.id(), "1"), alice.id(), MediaKind.VIDEO, TrackSource.SCREEN))),
                bobSees.tracksAdded);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.CHROMIUM_OFFER, Captures.FIREFOX_OFFER})
    void publishesTheOfferersTracksToTheRoom(String capture) {
        Participant alice = join("Alice", new RoomEvents());
        RoomEvents bobSees = new RoomEvents();
        join("Bob", bobSees);

        engine.session(alice).offer(Captures.text(capture), Map.of());

        List<TrackInfo> expected = List.of(
                new TrackInfo(TrackId.of(alice.id(), "0"), alice.id(), MediaKind.AUDIO),
                new TrackInfo(TrackId.of(alice.id(), "1"), alice.id(), MediaKind.VIDEO));
        assertEquals(List.of(expected), bobSees.tracksAdded);
        assertEquals(expected, alice.published());
    }

    /** The session wires its REMB to the negotiation: on for a publisher without transport-cc, off otherwise. */
    @Test
    void onlyAPublisherWithoutTransportCcIsSetUpForRemb() {
        Participant alice = join("Alice", new RoomEvents());
        Participant bob = join("Bob", new RoomEvents());

        engine.session(alice).offer(org.videoroom.sdp.Captures.withoutTransportCc(Captures.CHROMIUM_OFFER), Map.of());
        engine.session(bob).offer(Captures.secondBrowser(Captures.CHROMIUM_OFFER), Map.of());

        RembFeedback.Stats remb = engine.session(alice).stats().remb();
        assertAll(
                () -> assertEquals(0, remb.rembsSent(), "nothing received, nothing sent"),
                () -> assertEquals(org.videoroom.bwe.BweConfig.defaults().startBps(), remb.estimateBps()),
                () -> assertEquals(null, engine.session(bob).stats().remb()));

        // A re-offer that brings transport-cc back turns REMB off.
        engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());
        assertEquals(null, engine.session(alice).stats().remb());
    }

    static Stream<Arguments> browserPairs() {
        return Stream.of(
                // publisher's offer, its audio and video SSRCs, subscriber's offer
                Arguments.of(Captures.CHROMIUM_OFFER, Captures.CHROMIUM_AUDIO_SSRC, Captures.CHROMIUM_VIDEO_SSRC,
                        Captures.CHROMIUM_OFFER),
                Arguments.of(Captures.CHROMIUM_OFFER, Captures.CHROMIUM_AUDIO_SSRC, Captures.CHROMIUM_VIDEO_SSRC,
                        Captures.FIREFOX_OFFER),
                Arguments.of(Captures.FIREFOX_OFFER, Captures.FIREFOX_AUDIO_SSRC, Captures.FIREFOX_VIDEO_SSRC,
                        Captures.CHROMIUM_OFFER),
                Arguments.of(Captures.FIREFOX_OFFER, Captures.FIREFOX_AUDIO_SSRC, Captures.FIREFOX_VIDEO_SSRC,
                        Captures.FIREFOX_OFFER));
    }

    @ParameterizedTest(name = "{0} to {3}")
    @MethodSource("browserPairs")
    void subscriberGetsSendonlyLinesWithServerChosenSsrcsAndThePublishersMsid(String publisherOffer, long audioSsrc,
                                                                 long videoSsrc, String subscriberOffer) {
        Participant alice = join("Alice", new RoomEvents());
        Participant bob = join("Bob", new RoomEvents());
        engine.session(alice).offer(Captures.text(publisherOffer), Map.of());
        TrackId audio = TrackId.of(alice.id(), "0");
        TrackId video = TrackId.of(alice.id(), "1");

        // Both captures have a recvonly audio (mid 2) and a recvonly video (mid 3) transceiver.
        SessionDescription answer = SdpParser.parse(engine.session(bob).offer(Captures.secondBrowser(subscriberOffer),
                Map.of("2", audio.value(), "3", video.value())));

        assertForwarded(answer, "2", audioSsrc, alice.id(), audio);
        assertForwarded(answer, "3", videoSsrc, alice.id(), video);
        assertEquals(Direction.RECVONLY, direction(answer, "0"), "Bob's own tracks are still received");
    }

    @Test
    void aSubscriptionToNothingUsableLeavesTheLineInactive() {
        Participant alice = join("Alice", new RoomEvents());
        engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());

        // Its own track, an unknown track, and a string that is no track id at all.
        SessionDescription answer = SdpParser.parse(engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER),
                Map.of("2", TrackId.of(alice.id(), "0").value(), "3", "nobody-1")));
        assertEquals(Direction.INACTIVE, direction(answer, "2"), "no subscribing to oneself");
        assertEquals(Direction.INACTIVE, direction(answer, "3"), "unknown track");

        answer = SdpParser.parse(engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER),
                Map.of("3", "")));
        assertEquals(Direction.INACTIVE, direction(answer, "3"), "not a track id");
    }

    // ---- renegotiation ---------------------------------------------------------------------------------------

    @Test
    void stoppingAPublishingLineUnpublishesItsTrack() {
        Participant alice = join("Alice", new RoomEvents());
        RoomEvents bobSees = new RoomEvents();
        Participant bob = join("Bob", bobSees);
        PeerSession aliceMedia = engine.session(alice);
        aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());
        TrackId audio = TrackId.of(alice.id(), "0");
        TrackId video = TrackId.of(alice.id(), "1");
        Map<String, String> wanted = Map.of("2", audio.value(), "3", video.value());
        engine.session(bob).offer(Captures.secondBrowser(Captures.CHROMIUM_OFFER), wanted);

        SessionDescription answer = SdpParser.parse(aliceMedia.offer(chromiumStoppingVideo(), Map.of()));

        assertEquals(List.of(List.of(video)), bobSees.tracksRemoved);
        assertEquals(List.of(new TrackInfo(audio, alice.id(), MediaKind.AUDIO)), alice.published());
        assertEquals(0, answer.media("1").orElseThrow().port(), "the stopped line stays rejected");
        assertEquals(List.of("0", "2", "3"), answer.bundleGroups().get(0).mids());

        // Bob's next offer finds only the audio track left.
        SessionDescription bobAnswer = SdpParser.parse(engine.session(bob).offer(
                Captures.secondBrowser(Captures.CHROMIUM_OFFER), wanted));
        assertEquals(Direction.SENDONLY, direction(bobAnswer, "2"));
        assertEquals(Direction.INACTIVE, direction(bobAnswer, "3"));
    }

    @Test
    void anUnchangedReofferChangesNothingButTheAnswersVersion() {
        Participant alice = join("Alice", new RoomEvents());
        RoomEvents bobSees = new RoomEvents();
        join("Bob", bobSees);
        PeerSession aliceMedia = engine.session(alice);

        SessionDescription first = SdpParser.parse(aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of()));
        SessionDescription second = SdpParser.parse(aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of()));

        assertEquals(1, bobSees.tracksAdded.size(), "published once");
        assertEquals(List.of(), bobSees.tracksRemoved);
        // RFC 3264 §8: same session id, a higher version.
        assertEquals(first.origin().sessionId(), second.origin().sessionId());
        assertTrue(second.origin().sessionVersion() > first.origin().sessionVersion());
        assertEquals(ufrag(first), ufrag(second), "same ICE transport");
    }

    @Test
    void anIceRestartGetsANewAgentAndKeepsTheTracks() {
        Participant alice = join("Alice", new RoomEvents());
        RoomEvents bobSees = new RoomEvents();
        join("Bob", bobSees);
        PeerSession aliceMedia = engine.session(alice);
        String firstUfrag = ufrag(SdpParser.parse(aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of())));
        int transports = iceServer.stats().transports();

        // A restart is what Chromium offers after restartIce(): new ufrag and pwd on every m-line.
        String restart = Captures.text(Captures.CHROMIUM_OFFER)
                .replace("a=ice-ufrag:y02E", "a=ice-ufrag:Rst1")
                .replace("a=ice-pwd:Fav2GiBlO3LFT3TJYCZO2CIt", "a=ice-pwd:NewPasswordForTheRestart");
        String restartedUfrag = ufrag(SdpParser.parse(aliceMedia.offer(restart, Map.of())));

        assertNotEquals(firstUfrag, restartedUfrag, "a new agent, with credentials of its own");
        assertEquals(transports, iceServer.stats().transports(), "the old agent is closed");
        assertEquals(1, aliceMedia.stats().iceRestarts());
        assertEquals(List.of(), bobSees.tracksRemoved, "the tracks go on");
        assertEquals(2, alice.published().size());
        assertEquals(restartedUfrag, ufrag(SdpParser.parse(aliceMedia.offer(restart, Map.of()))),
                "the same credentials again: no restart");

        assertEquals(1, aliceMedia.stats().iceRestarts());
    }

    // ---- refused requests ------------------------------------------------------------------------------------

    /** Offers no session may accept (shared with {@link NegotiatorTest}). */
    static Stream<Arguments> badOffers() {
        String chromium = Captures.text(Captures.CHROMIUM_OFFER);
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("not SDP", "hello"),
                Arguments.of("truncated", chromium.substring(0, chromium.indexOf("m=video"))
                        + "m=video 9 UDP/TLS/RTP/SAVPF\r\n"),
                Arguments.of("no BUNDLE group", chromium.replace("a=group:BUNDLE 0 1 2 3\r\n", "")),
                Arguments.of("setup passive leaves the server no DTLS role",
                        chromium.replace("a=setup:actpass", "a=setup:passive")),
                Arguments.of("no fingerprint", chromium.lines()
                        .filter(l -> !l.startsWith("a=fingerprint:")).map(l -> l + "\r\n")
                        .reduce("", String::concat)),
                Arguments.of("no rtcp-mux", chromium.replace("a=rtcp-mux\r\n", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOffers")
    void aMalformedOfferIsBadSdpAndTheNextGoodOneWorks(String name, String sdp) {
        Participant alice = join("Alice", new RoomEvents());
        PeerSession aliceMedia = engine.session(alice);

        MediaRequestException e = assertThrows(MediaRequestException.class, () -> aliceMedia.offer(sdp, Map.of()));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertEquals(List.of(), alice.published());
        aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());
        assertEquals(2, alice.published().size());
    }

    @Test
    void aCandidateBeforeAnyOfferIsRefused() {
        Participant alice = join("Alice", new RoomEvents());

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> engine.session(alice).candidate(LOOPBACK_CANDIDATE));

        assertEquals(MediaRequestException.Kind.BAD_CANDIDATE, e.kind());
    }

    @Test
    void candidatesAfterTheOfferAreTakenAndGarbageIsRefused() {
        Participant alice = join("Alice", new RoomEvents());
        PeerSession aliceMedia = engine.session(alice);
        aliceMedia.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());

        aliceMedia.candidate(LOOPBACK_CANDIDATE);
        aliceMedia.candidate(LOOPBACK_CANDIDATE); // a duplicate is no error
        // Outside the allowed networks, or TCP: recorded as ignored, no error for the browser.
        aliceMedia.candidate("candidate:2171614773 1 udp 2122063615 192.0.2.2 41449 typ host generation 0 ufrag y02E");
        aliceMedia.candidate("candidate:2608468021 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active");
        aliceMedia.candidate(""); // end of candidates

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> aliceMedia.candidate("candidate:nonsense"));
        assertEquals(MediaRequestException.Kind.BAD_CANDIDATE, e.kind());
    }

    // ---- leaving ---------------------------------------------------------------------------------------------

    @Test
    void leavingClosesTheSessionAndWithdrawsItsTracks() {
        Participant alice = join("Alice", new RoomEvents());
        Participant bob = join("Bob", new RoomEvents());
        PeerSession aliceMedia = engine.session(alice);
        String aliceUfrag = ufrag(SdpParser.parse(aliceMedia.offer(Captures.text(Captures.FIREFOX_OFFER), Map.of())));
        Map<String, String> wanted = Map.of("2", TrackId.of(alice.id(), "0").value(),
                "3", TrackId.of(alice.id(), "1").value());
        SessionDescription before = SdpParser.parse(engine.session(bob).offer(Captures.text(Captures.CHROMIUM_OFFER),
                wanted));
        assertEquals(Direction.SENDONLY, direction(before, "3"));

        alice.leave(LeaveReason.LEFT);

        assertFalse(iceServer.isRegistered(aliceUfrag), "Alice's ICE transport is closed");
        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> aliceMedia.offer(Captures.text(Captures.FIREFOX_OFFER), Map.of()));
        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        SessionDescription after = SdpParser.parse(engine.session(bob).offer(Captures.text(Captures.CHROMIUM_OFFER),
                wanted));
        assertEquals(Direction.INACTIVE, direction(after, "2"), "Alice's audio is gone from the room's media");
        assertEquals(Direction.INACTIVE, direction(after, "3"), "Alice's video is gone from the room's media");
    }

    @Test
    void aParticipantThatLeftGetsNoWorkingSession() {
        Participant alice = join("Alice", new RoomEvents());
        alice.leave(LeaveReason.LEFT);

        PeerSession late = engine.session(alice);

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> late.offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of()));
        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertEquals(0, iceServer.stats().transports(), "its transport was closed at once");
    }

    @Test
    void closingTheEngineClosesEverySession() {
        Participant alice = join("Alice", new RoomEvents());
        Participant bob = join("Bob", new RoomEvents());
        engine.session(alice).offer(Captures.text(Captures.CHROMIUM_OFFER), Map.of());
        engine.session(bob).offer(Captures.text(Captures.FIREFOX_OFFER), Map.of());
        assertEquals(2, iceServer.stats().transports());

        engine.close();

        assertEquals(0, iceServer.stats().transports());
        assertThrows(IllegalStateException.class, () -> engine.session(alice));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Chromium's 127.0.0.1 host candidate from {@code chromium-156-candidates.jsonl}. */
    private static final String LOOPBACK_CANDIDATE =
            "candidate:1708180641 1 udp 2122194687 127.0.0.1 53162 typ host generation 0 ufrag y02E network-id 3";

    private Participant join(String name, RoomEvents events) {
        return rooms.join(ROOM, DisplayName.of(name), events);
    }

    /**
     * Chromium's re-offer after {@code stop()} on the video sender's transceiver (mid 1), derived from the first
     * offer the way the captured {@code chromium-156-reoffer-stopped.sdp} shows Chromium does it for mid 2: port 0,
     * {@code a=inactive}, all other attributes kept, the mid dropped from BUNDLE, the o= version raised.
     */
    static String chromiumStoppingVideo() {
        List<String> sections = sections(Captures.text(Captures.CHROMIUM_OFFER));
        sections.set(0, sections.get(0)
                .replace("o=- 1065954859119692187 2 ", "o=- 1065954859119692187 3 ")
                .replace("a=group:BUNDLE 0 1 2 3", "a=group:BUNDLE 0 2 3"));
        UnaryOperator<String> stop = s -> s.replaceFirst("^m=video 9 ", "m=video 0 ")
                .replace("a=sendrecv\r\n", "a=inactive\r\n");
        sections.set(2, stop.apply(sections.get(2)));
        assertTrue(sections.get(2).contains("a=mid:1\r\n") && sections.get(2).startsWith("m=video 0 "));
        return String.join("", sections);
    }

    /** The session part and each m= section of an SDP with CRLF line ends, each keeping its line ends. */
    private static List<String> sections(String sdp) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int next;
        while ((next = sdp.indexOf("\r\nm=", start)) >= 0) {
            parts.add(sdp.substring(start, next + 2));
            start = next + 2;
        }
        parts.add(sdp.substring(start));
        return parts;
    }

    private static Direction direction(SessionDescription answer, String mid) {
        return answer.directionOf(answer.media(mid).orElseThrow());
    }

    private static String ufrag(SessionDescription answer) {
        return answer.transportOf(answer.media().get(0)).iceUfrag().orElseThrow();
    }

    private static void assertForwarded(SessionDescription answer, String mid, long ssrc, ParticipantId publisher,
                                        TrackId track) {
        MediaDescription m = answer.media(mid).orElseThrow();
        Msid msid = Msid.of(publisher.value(), track.value());
        long announced = m.ssrcs().get(0);
        assertAll("mid " + mid,
                () -> assertEquals(Direction.SENDONLY, answer.directionOf(m)),
                () -> assertNotEquals(ssrc, announced,
                        "the subscriber leg has a server-chosen SSRC, not the publisher's (no cloning, no leak)"),
                () -> assertEquals(m.kind() == org.videoroom.sdp.MediaKind.VIDEO ? 2 : 1, m.ssrcs().size(),
                        "video also announces the server's RTX SSRC for retransmissions"),
                () -> assertEquals(m.kind() == org.videoroom.sdp.MediaKind.VIDEO ? 1 : 0,
                        m.ssrcGroups("FID").size(), "RTX pairs with the media SSRC (RFC 4588 §8)"),
                () -> assertEquals(List.of(msid), m.msids(), "msid <publisher id> <track id>"),
                () -> assertEquals(Optional.of(msid.format()), m.ssrcAttribute(announced, SsrcAttribute.MSID)),
                () -> assertNotEquals(Optional.empty(), m.ssrcAttribute(announced, SsrcAttribute.CNAME)));
    }

    /** What one participant hears from the room. Calls come synchronously, under the room's lock. */
    private static final class RoomEvents implements Participant.Listener {
        final List<List<TrackInfo>> tracksAdded = new CopyOnWriteArrayList<>();
        final List<List<TrackId>> tracksRemoved = new CopyOnWriteArrayList<>();

        @Override
        public void onJoined(Participant self, List<ParticipantInfo> others, List<TrackInfo> tracks) {
        }

        @Override
        public void onParticipantJoined(ParticipantInfo participant) {
        }

        @Override
        public void onTracksAdded(List<TrackInfo> tracks) {
            tracksAdded.add(tracks);
        }

        @Override
        public void onTracksRemoved(List<TrackId> tracks) {
            tracksRemoved.add(tracks);
        }

        @Override
        public void onParticipantLeft(ParticipantId participant, LeaveReason reason) {
        }

        @Override
        public void onRemoved(LeaveReason reason) {
        }
    }
}
