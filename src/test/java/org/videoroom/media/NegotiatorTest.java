package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Direction;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.MediaDescription;
import org.videoroom.sdp.Msid;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SessionDescription;
import org.videoroom.sdp.Setup;
import org.videoroom.sdp.SsrcAttribute;

/**
 * Negotiation alone, on the captured browser offers: no transport, no room, no threads. A publisher's plan gives
 * the {@link PublishedTrack}s a subscriber's offer then asks for, and SSRCs come from a scripted source so that
 * every server-chosen number is known.
 */
class NegotiatorTest {

    private static final Fingerprint SERVER_FINGERPRINT = Fingerprint.parse("sha-256 "
            + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
    private static final IceCandidate HOST =
            IceCandidate.parse("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
    private static final LocalTransportParameters LOCAL = LocalTransportParameters.withCandidates("srvr",
            "serverPassword0123456789", SERVER_FINGERPRINT, List.of(HOST));
    private static final AnswerBuilder ANSWERS = new AnswerBuilder(CodecPolicy.defaults().withSimulcast());
    private static final long LOCAL_SSRC = 0xC0FFEEL;
    private static final ParticipantId ALICE = new ParticipantId("alice");

    private final ScriptedSsrcs ssrcs = new ScriptedSsrcs();

    // ---- answers ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.CHROMIUM_OFFER, Captures.CHROMIUM_OFFER_GATHERED, Captures.FIREFOX_OFFER,
            Captures.FIREFOX_OFFER_GATHERED})
    void answersABrowsersFirstOffer(String capture) {
        NegotiationPlan plan = negotiator().negotiate(Captures.text(capture), LOCAL, Map.of());

        SessionDescription answer = SdpParser.parse(plan.answer());
        assertEquals(List.of("0", "1", "2", "3"), answer.bundleGroups().get(0).mids(), "one BUNDLE group");
        for (MediaDescription m : answer.media()) {
            assertAll("mid " + m.mid().orElseThrow(),
                    () -> assertEquals(Optional.of(Setup.PASSIVE), answer.transportOf(m).setup()),
                    () -> assertEquals(List.of(SERVER_FINGERPRINT), answer.transportOf(m).fingerprints()),
                    () -> assertTrue(m.rtcpMux()));
        }
        assertEquals(Direction.RECVONLY, direction(answer, "0"), "published audio");
        assertEquals(Direction.RECVONLY, direction(answer, "1"), "published video");
        assertEquals(Direction.INACTIVE, direction(answer, "2"), "recvonly with nothing to send");
        assertEquals(Direction.INACTIVE, direction(answer, "3"), "recvonly with nothing to send");
        assertEquals(List.of(HOST), answer.transportOf(answer.media().get(0)).candidates());
        assertTrue(plan.startsIce(), "the first offer starts ICE");
        assertEquals(List.of(), plan.withdrawn());
        assertEquals(List.of(), plan.subscriptions());
    }

    static Stream<Arguments> publishers() {
        return Stream.of(
                // offer, audio SSRC, video SSRC, video RTX SSRC, transport-wide cc id, mid id
                Arguments.of(Captures.CHROMIUM_OFFER, Captures.CHROMIUM_AUDIO_SSRC, Captures.CHROMIUM_VIDEO_SSRC,
                        1635379259L, 3, 4),
                Arguments.of(Captures.FIREFOX_OFFER, Captures.FIREFOX_AUDIO_SSRC, Captures.FIREFOX_VIDEO_SSRC,
                        4097839082L, 7, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishers")
    void theOfferersSendLinesBecomePublications(String capture, long audioSsrc, long videoSsrc, long rtxSsrc,
                                               int transportCcId, int midId) {
        NegotiationPlan plan = negotiator().negotiate(Captures.text(capture), LOCAL, Map.of());

        assertEquals(2, plan.publications().size());
        PublicationPlan audio = plan.publications().get(0);
        PublicationPlan video = plan.publications().get(1);
        assertAll(
                () -> assertEquals("0", audio.mid()),
                () -> assertEquals(MediaKind.AUDIO, audio.kind()),
                () -> assertEquals(audioSsrc, audio.ssrc()),
                () -> assertEquals(List.of(), audio.rtxSsrcs()),
                () -> assertEquals(48_000, audio.clockRate()),
                () -> assertTrue(audio.fresh()),
                () -> assertEquals("1", video.mid()),
                () -> assertEquals(MediaKind.VIDEO, video.kind()),
                () -> assertEquals(videoSsrc, video.ssrc()),
                () -> assertEquals(List.of(rtxSsrc), video.rtxSsrcs(), "the FID group's RTX SSRC"),
                () -> assertEquals(List.of(), video.rids()),
                () -> assertEquals(90_000, video.clockRate()),
                () -> assertEquals(transportCcId, plan.receiveExtensions().transportCc()),
                () -> assertEquals(midId, plan.receiveExtensions().mid()),
                () -> assertEquals(-1, plan.sendTransportCcId(), "nothing is sent to it yet"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.CHROMIUM_OFFER_SIMULCAST, Captures.FIREFOX_OFFER_SIMULCAST})
    void aSimulcastLineIsOnePublicationWithItsRidsAndNoSsrc(String capture) {
        NegotiationPlan plan = negotiator().negotiate(Captures.text(capture), LOCAL, Map.of());

        PublicationPlan video = plan.publications().stream().filter(p -> p.mid().equals("1")).findFirst()
                .orElseThrow();
        assertEquals(List.of("q", "h", "f"), video.rids(), "lowest first, as the browser listed them");
        assertEquals(-1, video.ssrc(), "layer SSRCs are learnt from the rid extension");
        assertEquals(List.of(), video.rtxSsrcs());
        assertTrue(plan.receiveExtensions().rid() > 0);
        assertTrue(plan.receiveExtensions().repairedRid() > 0);
    }

    // ---- subscriptions ---------------------------------------------------------------------------------------

    static Stream<Arguments> browserPairs() {
        return Stream.of(
                Arguments.of(Captures.CHROMIUM_OFFER, Captures.CHROMIUM_OFFER),
                Arguments.of(Captures.CHROMIUM_OFFER, Captures.FIREFOX_OFFER),
                Arguments.of(Captures.FIREFOX_OFFER, Captures.CHROMIUM_OFFER),
                Arguments.of(Captures.FIREFOX_OFFER, Captures.FIREFOX_OFFER));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("browserPairs")
    void aSubscriberGetsSendonlyLinesWithServerChosenSsrcsAndThePublishersMsid(String publisherOffer,
                                                                               String subscriberOffer) {
        Map<String, PublishedTrack> tracks = publish(publisherOffer);
        ssrcs.script(0x1111L, 0x2222L, 0x3333L, 0x4444L);

        NegotiationPlan plan = negotiator().negotiate(Captures.text(subscriberOffer), LOCAL,
                Map.of("2", tracks.get("0"), "3", tracks.get("1")));

        SessionDescription answer = SdpParser.parse(plan.answer());
        Set<Long> announced = new HashSet<>();
        for (SubscriptionPlan subscription : plan.subscriptions()) {
            PublishedTrack track = subscription.track();
            MediaDescription m = answer.media(subscription.mid()).orElseThrow();
            Msid msid = Msid.of(ALICE.value(), track.info().id().value());
            assertAll("mid " + subscription.mid(),
                    () -> assertEquals(Direction.SENDONLY, answer.directionOf(m)),
                    () -> assertEquals(subscription.ssrc(), m.ssrcs().get(0), "the answer announces the plan's SSRC"),
                    () -> assertNotEquals(track.layer(0).ssrc(), subscription.ssrc(), "never the publisher's"),
                    () -> assertEquals(List.of(msid), m.msids(), "msid <publisher id> <track id>"),
                    () -> assertEquals(Optional.of(msid.format()),
                            m.ssrcAttribute(subscription.ssrc(), SsrcAttribute.MSID)),
                    () -> assertTrue(subscription.fresh()));
            announced.addAll(m.ssrcs());
        }
        // Audio announces its media SSRC only, video its RTX SSRC too.
        assertEquals(3, announced.size());
        assertTrue(Set.of(0x1111L, 0x2222L, 0x3333L, 0x4444L).containsAll(announced), "scripted: " + announced);
        assertTrue(plan.sendTransportCcId() > 0, "what we send carries our transport-wide sequence numbers");
        SubscriptionPlan video = subscription(plan, "3");
        assertEquals(answer.media("3").orElseThrow().ssrcs().get(1), video.rtxSsrc(),
                "video retransmits on the RTX SSRC the answer paired with its media SSRC");
        assertNotNull(video.rtxPacketizer(0));
        assertEquals(-1, subscription(plan, "2").rtxSsrc(), "audio negotiates no RTX");
        assertNull(subscription(plan, "2").rtxPacketizer(0));
        assertTrue(video.nack(), "video negotiated NACK: its subscription keeps a history");
        assertFalse(subscription(plan, "2").nack(), "Opus has no NACK: no history is kept for it");
    }

    @Test
    void payloadTypesAndHeaderExtensionsAreMappedFromThePublishersNumbersToTheSubscribers() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);

        NegotiationPlan plan = negotiator().negotiate(Captures.text(Captures.FIREFOX_OFFER), LOCAL,
                Map.of("3", tracks.get("1")));

        SubscriptionPlan video = subscription(plan, "3");
        assertEquals(120, video.payloadTypeMap()[96], "Chromium's VP8 is Firefox's 120");
        assertEquals(-1, video.payloadTypeMap()[102], "Firefox offers no H264");
        assertTrue(video.vp8PayloadTypes()[96]);
        assertFalse(video.vp8PayloadTypes()[102]);
        assertEquals(124, video.rtxPayloadTypes().get(120), "Firefox's RTX for VP8");
        // Chromium's transport-wide cc (3) is Firefox's 7; Chromium's mid (4) is never forwarded.
        assertEquals(7, video.extensionIds().map(3));
        assertEquals(0, video.extensionIds().map(4), "stripped");
    }

    @Test
    void aSubscriptionToNothingUsableLeavesTheLineInactive() {
        NegotiationPlan plan = negotiator().negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());

        assertEquals(Direction.INACTIVE, direction(SdpParser.parse(plan.answer()), "3"));
        assertEquals(List.of(), plan.subscriptions());
    }

    @Test
    void aTrackOnALineOfTheOtherKindIsABadOfferAndChangesNothing() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);
        Negotiator bob = negotiator();

        MediaRequestException e = assertThrows(MediaRequestException.class, () -> bob.negotiate(
                Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of("2", tracks.get("1"))));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertNull(bob.remoteUfrag());
        assertTrue(bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of()).startsIce());
    }

    // ---- renegotiation ---------------------------------------------------------------------------------------

    @Test
    void anUnchangedReofferKeepsEverythingAndRaisesTheVersion() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);
        Negotiator bob = negotiator();
        Map<String, PublishedTrack> wanted = Map.of("2", tracks.get("0"), "3", tracks.get("1"));
        NegotiationPlan first = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, wanted);

        NegotiationPlan second = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, wanted);

        assertFalse(second.startsIce());
        assertTrue(second.publications().stream().noneMatch(PublicationPlan::fresh), "publications carry on");
        assertTrue(second.subscriptions().stream().noneMatch(SubscriptionPlan::fresh), "subscriptions carry on");
        assertEquals(List.of(), second.withdrawn());
        assertEquals(List.of(), second.ended());
        for (String mid : List.of("2", "3")) {
            assertEquals(subscription(first, mid).ssrc(), subscription(second, mid).ssrc(), "same SSRC on " + mid);
            assertEquals(subscription(first, mid).rtxSsrc(), subscription(second, mid).rtxSsrc());
        }
        SessionDescription a = SdpParser.parse(first.answer());
        SessionDescription b = SdpParser.parse(second.answer());
        // RFC 3264 §8: same session id, a higher version.
        assertEquals(a.origin().sessionId(), b.origin().sessionId());
        assertTrue(b.origin().sessionVersion() > a.origin().sessionVersion());
        assertEquals(a.media("3").orElseThrow().ssrcs(), b.media("3").orElseThrow().ssrcs(),
                "the browser sees the same SSRCs");
    }

    @Test
    void anotherTrackOnTheSameMidIsAFreshSubscriptionWithFreshSsrcs() {
        Map<String, PublishedTrack> alice = publish(Captures.CHROMIUM_OFFER);
        Map<String, PublishedTrack> carol = publish(Captures.FIREFOX_OFFER);
        Negotiator bob = negotiator();
        NegotiationPlan first = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("3", alice.get("1")));

        NegotiationPlan second = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("3", carol.get("1")));

        assertEquals(List.of("3"), second.ended(), "the old subscription on mid 3 ends");
        SubscriptionPlan replaced = subscription(second, "3");
        assertTrue(replaced.fresh());
        assertEquals(carol.get("1"), replaced.track());
        assertNotEquals(subscription(first, "3").ssrc(), replaced.ssrc(),
                "a new track gets a new SSRC (the browser must not mix the two streams)");
    }

    @Test
    void aTrackNoLongerWantedEndsItsSubscription() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);
        Negotiator bob = negotiator();
        bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of("2", tracks.get("0"), "3",
                tracks.get("1")));

        NegotiationPlan plan = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("3", tracks.get("1")));

        assertEquals(List.of("2"), plan.ended());
        assertEquals(List.of("3"), plan.subscriptions().stream().map(SubscriptionPlan::mid).toList());
        assertFalse(subscription(plan, "3").fresh());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Captures.CHROMIUM_REOFFER_STOPPED, Captures.FIREFOX_REOFFER_STOPPED})
    void aStoppedRecvonlyLineEndsItsSubscription(String reoffer) {
        String offer = reoffer.startsWith("chromium") ? Captures.CHROMIUM_OFFER : Captures.FIREFOX_OFFER;
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);
        Negotiator bob = negotiator();
        Map<String, PublishedTrack> wanted = Map.of("2", tracks.get("0"), "3", tracks.get("1"));
        bob.negotiate(Captures.text(offer), LOCAL, wanted);

        // The captures stop the recvonly audio transceiver (mid 2); the browser still asks for what it had.
        NegotiationPlan plan = bob.negotiate(Captures.text(reoffer), LOCAL, wanted);

        assertEquals(List.of("2"), plan.ended());
        assertEquals(List.of("3"), plan.subscriptions().stream().map(SubscriptionPlan::mid).toList());
        assertEquals(List.of(), plan.withdrawn(), "its own tracks carry on");
    }

    /** Each published track costs a retransmission cache: an offer of nine microphones is refused whole. */
    @Test
    void moreTracksThanThePublishingCapAreABadOffer() {
        Negotiator alice = negotiator();
        assertEquals(Negotiator.MAX_PUBLISHED_TRACKS,
                alice.negotiate(audioLines(Negotiator.MAX_PUBLISHED_TRACKS), LOCAL, Map.of()).publications().size());

        MediaRequestException refused = assertThrows(MediaRequestException.class,
                () -> negotiator().negotiate(audioLines(Negotiator.MAX_PUBLISHED_TRACKS + 1), LOCAL, Map.of()));
        assertTrue(refused.getMessage().contains("at most " + Negotiator.MAX_PUBLISHED_TRACKS), refused.getMessage());
    }

    /** The Chromium capture's session lines and its audio m-section {@code count} times, each with a MID and SSRC. */
    private static String audioLines(int count) {
        String[] lines = Captures.text(Captures.CHROMIUM_OFFER).split("\r\n");
        int firstMedia = 0;
        while (!lines[firstMedia].startsWith("m=")) {
            firstMedia++;
        }
        int secondMedia = firstMedia + 1;
        while (!lines[secondMedia].startsWith("m=")) {
            secondMedia++;
        }
        StringBuilder sdp = new StringBuilder();
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (int i = 0; i < count; i++) {
            bundle.append(' ').append(i);
        }
        for (int i = 0; i < firstMedia; i++) {
            sdp.append(lines[i].startsWith("a=group:BUNDLE") ? bundle : lines[i]).append("\r\n");
        }
        for (int m = 0; m < count; m++) {
            for (int i = firstMedia; i < secondMedia; i++) {
                String line = lines[i].replace(String.valueOf(Captures.CHROMIUM_AUDIO_SSRC), String.valueOf(7000 + m));
                sdp.append(line.startsWith("a=mid:") ? "a=mid:" + m : line).append("\r\n");
            }
        }
        return sdp.toString();
    }

    @Test
    void stoppingAPublishingLineWithdrawsItsTrack() {
        Negotiator alice = negotiator();
        alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());

        NegotiationPlan plan = alice.negotiate(PeerSessionTest.chromiumStoppingVideo(), LOCAL, Map.of());

        assertEquals(List.of("1"), plan.withdrawn());
        assertEquals(List.of("0"), plan.publications().stream().map(PublicationPlan::mid).toList());
        assertFalse(plan.publications().get(0).fresh());
    }

    @Test
    void changedLayersReplaceThePublication() {
        Negotiator alice = negotiator();
        alice.negotiate(Captures.text(Captures.FIREFOX_OFFER), LOCAL, Map.of());
        String otherSsrc = Captures.text(Captures.FIREFOX_OFFER)
                .replace(String.valueOf(Captures.FIREFOX_VIDEO_SSRC), "12345");

        NegotiationPlan plan = alice.negotiate(otherSsrc, LOCAL, Map.of());

        assertEquals(List.of("1"), plan.withdrawn());
        PublicationPlan video = plan.publications().get(1);
        assertTrue(video.fresh());
        assertEquals(12345, video.ssrc());
        assertFalse(plan.publications().get(0).fresh(), "the audio is untouched");
    }

    @Test
    void anIceRestartIsABadOfferAndChangesNothing() {
        Negotiator alice = negotiator();
        alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());

        // What Chromium offers after restartIce(): a new ufrag and pwd on every m-line.
        String restart = Captures.text(Captures.CHROMIUM_OFFER)
                .replace("a=ice-ufrag:y02E", "a=ice-ufrag:Rst1")
                .replace("a=ice-pwd:Fav2GiBlO3LFT3TJYCZO2CIt", "a=ice-pwd:NewPasswordForTheRestart");
        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> alice.negotiate(restart, LOCAL, Map.of()));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertEquals("y02E", alice.remoteUfrag());
        NegotiationPlan next = alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());
        assertEquals(List.of(), next.withdrawn());
        assertTrue(next.publications().stream().noneMatch(PublicationPlan::fresh));
    }

    @Test
    void anIceRestartIsAnsweredWithTheNewAgentsCredentials_andChangesNothingElse() {
        Negotiator alice = negotiator();
        NegotiationPlan first = alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());
        assertTrue(first.startsIce());
        assertFalse(first.restartsIce());
        LocalTransportParameters restartedLocal = LocalTransportParameters.withCandidates("rst2",
                "restartedServerPassword0", SERVER_FINGERPRINT, List.of(HOST));
        int[] prepared = {0};
        String restart = Captures.text(Captures.CHROMIUM_OFFER)
                .replace("a=ice-ufrag:y02E", "a=ice-ufrag:Rst1")
                .replace("a=ice-pwd:Fav2GiBlO3LFT3TJYCZO2CIt", "a=ice-pwd:NewPasswordForTheRestart");

        NegotiationPlan plan = alice.negotiate(restart, LOCAL, () -> {
            prepared[0]++;
            return restartedLocal;
        }, Map.of());

        assertEquals(1, prepared[0]);
        assertTrue(plan.restartsIce());
        assertFalse(plan.startsIce());
        assertEquals("Rst1", plan.session().remoteIce().ufrag());
        assertEquals("NewPasswordForTheRestart", plan.session().remoteIce().pwd());
        assertEquals("rst2", plan.session().localIce().ufrag());
        assertTrue(plan.answer().contains("a=ice-ufrag:rst2"), plan.answer());
        assertFalse(plan.answer().contains("a=ice-ufrag:srvr"), plan.answer());
        assertEquals("Rst1", alice.remoteUfrag());
        assertEquals(List.of(), plan.withdrawn(), "the tracks go on");
        assertTrue(plan.publications().stream().noneMatch(PublicationPlan::fresh));

        // The next offer with the same credentials is no restart.
        NegotiationPlan again = alice.negotiate(restart, LOCAL, () -> {
            throw new AssertionError("not a restart");
        }, Map.of());
        assertFalse(again.restartsIce());
    }

    static Stream<Arguments> badOffers() {
        return PeerSessionTest.badOffers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOffers")
    void aMalformedOfferIsBadSdpAndTheNextGoodOneIsTheFirst(String name, String sdp) {
        Negotiator alice = negotiator();

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> alice.negotiate(sdp, LOCAL, Map.of()));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        NegotiationPlan plan = alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());
        assertTrue(plan.startsIce());
        assertEquals(2, plan.publications().size());
    }

    // ---- SSRC choice -----------------------------------------------------------------------------------------

    @Test
    void freshSsrcsNeverRepeatOursOrEachOther() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);
        Negotiator bob = negotiator();
        // A random source that repeats itself: our own SSRC, then duplicates.
        ssrcs.script(LOCAL_SSRC, 7, 7, 7, 8, 8, 9, 10);

        NegotiationPlan plan = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("2", tracks.get("0"), "3", tracks.get("1")));

        List<Long> announced = new ArrayList<>();
        SessionDescription answer = SdpParser.parse(plan.answer());
        announced.addAll(answer.media("2").orElseThrow().ssrcs());
        announced.addAll(answer.media("3").orElseThrow().ssrcs());
        assertFalse(announced.contains(LOCAL_SSRC));
        assertEquals(announced.size(), new HashSet<>(announced).size(), "distinct: " + announced);

        // A later subscription does not reuse the SSRCs chosen before (not even those of one ending now).
        Map<String, PublishedTrack> carol = publish(Captures.FIREFOX_OFFER);
        ssrcs.script(7, 8, 9, 10, 11, 12);
        NegotiationPlan later = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("3", carol.get("1")));
        SubscriptionPlan video = subscription(later, "3");
        assertFalse(announced.contains(video.ssrc()) || announced.contains(video.rtxSsrc()),
                video.ssrc() + "/" + video.rtxSsrc() + " among " + announced);
    }

    // ---- SSRCs unique in the room ----------------------------------------------------------------------------

    @Test
    void publishingWithAnSsrcAnotherParticipantSendsWithIsBadSdpAndChangesNothing() {
        SsrcOwners room = new SsrcOwners();
        negotiator(room, "alice").negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());
        Negotiator mallory = negotiator(room, "mallory");
        // Mallory read Alice's video SSRC (her sender reports reach every subscriber) and offers it as its own.
        String clone = Captures.text(Captures.FIREFOX_OFFER)
                .replace(String.valueOf(Captures.FIREFOX_VIDEO_SSRC), String.valueOf(Captures.CHROMIUM_VIDEO_SSRC));

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> mallory.negotiate(clone, LOCAL, Map.of()));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertTrue(e.getMessage().contains("another participant"), e.getMessage());
        assertNull(mallory.remoteUfrag(), "nothing was accepted");
        NegotiationPlan honest = mallory.negotiate(Captures.text(Captures.FIREFOX_OFFER), LOCAL, Map.of());
        assertTrue(honest.startsIce(), "the next good offer is the first");
        assertEquals(Captures.FIREFOX_AUDIO_SSRC, honest.publications().get(0).ssrc(),
                "the refused offer's audio SSRC was not kept claimed");
    }

    @Test
    void oneTrackWantedOnTwoLinesIsBadSdp() {
        Map<String, PublishedTrack> tracks = publish(Captures.CHROMIUM_OFFER);

        MediaRequestException e = assertThrows(MediaRequestException.class, () -> negotiator().negotiate(
                Captures.text(Captures.FIREFOX_OFFER), LOCAL, Map.of("2", tracks.get("1"), "3", tracks.get("1"))));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertTrue(e.getMessage().contains("two m-lines"), e.getMessage());
    }

    @Test
    void aMidLongerThanAnyBrowsersOrNotATokenIsBadSdp() {
        for (String mid : List.of("x".repeat(200), "a b")) {
            String offer = Captures.text(Captures.CHROMIUM_OFFER).replace("a=mid:1\r\n", "a=mid:" + mid + "\r\n");

            MediaRequestException e = assertThrows(MediaRequestException.class,
                    () -> negotiator().negotiate(offer, LOCAL, Map.of()), mid);

            assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("mid"), e.getMessage());
        }
    }

    @Test
    void aReofferMayKeepItsOwnSsrcs() {
        SsrcOwners room = new SsrcOwners();
        Negotiator alice = negotiator(room, "alice");
        alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());

        NegotiationPlan again = alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());

        assertTrue(again.publications().stream().noneMatch(PublicationPlan::fresh));
    }

    @Test
    void anSsrcOnTwoLinesOfOneOfferIsBadSdp() {
        String twice = Captures.text(Captures.FIREFOX_OFFER)
                .replace(String.valueOf(Captures.FIREFOX_AUDIO_SSRC), String.valueOf(Captures.FIREFOX_VIDEO_SSRC));

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> negotiator(new SsrcOwners(), "alice").negotiate(twice, LOCAL, Map.of()));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
    }

    @Test
    void publishingWithAnSsrcTheServerSendsWithToTheSameParticipantIsBadSdp() {
        Map<String, PublishedTrack> tracks = publish(Captures.FIREFOX_OFFER);
        Negotiator bob = negotiator(new SsrcOwners(), "bob");
        NegotiationPlan plan = bob.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL,
                Map.of("3", tracks.get("1")));
        long towardsBob = subscription(plan, "3").ssrc();
        // The same SSRC in both directions of one SRTP session would reuse its keystream.
        String echo = Captures.text(Captures.CHROMIUM_OFFER)
                .replace(String.valueOf(Captures.CHROMIUM_VIDEO_SSRC), String.valueOf(towardsBob));

        MediaRequestException e = assertThrows(MediaRequestException.class,
                () -> bob.negotiate(echo, LOCAL, Map.of("3", tracks.get("1"))));

        assertEquals(MediaRequestException.Kind.BAD_SDP, e.kind());
        assertTrue(e.getMessage().contains("the server sends with"), e.getMessage());
    }

    @Test
    void aWithdrawnOrLeavingPublishersSsrcsAreFreeForOthers() {
        SsrcOwners room = new SsrcOwners();
        SsrcOwners.Claims aliceClaims = room.claimsOf("alice");
        Negotiator alice = new Negotiator(ANSWERS, 42, LOCAL_SSRC, ssrcs, aliceClaims, "[alice] ");
        alice.negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of());
        alice.negotiate(PeerSessionTest.chromiumStoppingVideo(), LOCAL, Map.of());
        String withAlicesVideo = Captures.text(Captures.FIREFOX_OFFER)
                .replace(String.valueOf(Captures.FIREFOX_VIDEO_SSRC), String.valueOf(Captures.CHROMIUM_VIDEO_SSRC));
        String withAlicesAudio = Captures.text(Captures.FIREFOX_OFFER)
                .replace(String.valueOf(Captures.FIREFOX_AUDIO_SSRC), String.valueOf(Captures.CHROMIUM_AUDIO_SSRC));

        SsrcOwners.Claims bobClaims = room.claimsOf("bob");
        assertEquals(Captures.CHROMIUM_VIDEO_SSRC, new Negotiator(ANSWERS, 43, LOCAL_SSRC, ssrcs, bobClaims, "[bob] ")
                .negotiate(withAlicesVideo, LOCAL, Map.of()).publications().get(1).ssrc(), "her stopped video's");
        bobClaims.releaseAll(); // Bob leaves: Carol offers the same capture's other SSRCs
        assertThrows(MediaRequestException.class,
                () -> negotiator(room, "carol").negotiate(withAlicesAudio, LOCAL, Map.of()), "her audio goes on");
        aliceClaims.releaseAll(); // she leaves
        assertEquals(Captures.CHROMIUM_AUDIO_SSRC, negotiator(room, "carol")
                .negotiate(withAlicesAudio, LOCAL, Map.of()).publications().get(0).ssrc());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Negotiator negotiator() {
        return new Negotiator(ANSWERS, 42, LOCAL_SSRC, ssrcs, "[test] ");
    }

    /** A participant of the room whose SSRCs {@code room} holds. */
    private Negotiator negotiator(SsrcOwners room, String name) {
        return new Negotiator(ANSWERS, 42, LOCAL_SSRC, ssrcs, room.claimsOf(name), "[" + name + "] ");
    }

    /** Alice's tracks, as the session would create them from her plan. */
    private Map<String, PublishedTrack> publish(String offer) {
        NegotiationPlan plan = new Negotiator(ANSWERS, 1, 1, new ScriptedSsrcs(), "[alice] ")
                .negotiate(Captures.text(offer), LOCAL, Map.of());
        Map<String, PublishedTrack> tracks = new java.util.HashMap<>();
        for (PublicationPlan p : plan.publications()) {
            TrackInfo info = new TrackInfo(TrackId.of(ALICE, p.mid()), ALICE, p.kind());
            tracks.put(p.mid(), new PublishedTrack(info, p.mid(), p.rids(), p.ssrc(), p.clockRate(), null,
                    p.media(), MediaConfig.DEFAULT, System::nanoTime));
        }
        return tracks;
    }

    private static SubscriptionPlan subscription(NegotiationPlan plan, String mid) {
        return plan.subscriptions().stream().filter(s -> s.mid().equals(mid)).findFirst().orElseThrow();
    }

    private static Direction direction(SessionDescription answer, String mid) {
        return answer.directionOf(answer.media(mid).orElseThrow());
    }

    /** SSRCs in a given order, then counting up from 0x10000 when the script runs out. */
    private static final class ScriptedSsrcs implements LongSupplier {
        private final Deque<Long> next = new ArrayDeque<>();
        private long counter = 0x10000;

        void script(long... values) {
            next.clear();
            for (long v : values) {
                next.add(v);
            }
        }

        @Override
        public long getAsLong() {
            return next.isEmpty() ? counter++ : next.poll();
        }
    }
}
