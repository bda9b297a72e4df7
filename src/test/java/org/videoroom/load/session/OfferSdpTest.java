package org.videoroom.load.session;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.load.session.OfferSdp.ReceiveSlot;
import org.videoroom.room.Participant;
import org.videoroom.room.TrackId;
import org.videoroom.sdp.Direction;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.HeaderExtensionUris;
import org.videoroom.sdp.MediaDescription;
import org.videoroom.sdp.MediaKind;
import org.videoroom.sdp.Rid;
import org.videoroom.sdp.RidDirection;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SessionDescription;
import org.videoroom.sdp.Simulcast;
import org.videoroom.sdp.SsrcAttribute;

/**
 * The synthetic participant's offer, read with the server's {@link SdpParser} and answered by the server's own
 * negotiation ({@link ServerNegotiation}): Chromium's shape, the extension ids the publisher writes, simulcast
 * accepted with the rids q, h and f, stopped slots out of the BUNDLE group.
 */
class OfferSdpTest {

    static final Fingerprint FINGERPRINT = Fingerprint.parse("sha-256 "
            + "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF");
    static final long AUDIO_SSRC = 0xA0D10L;

    private ServerNegotiation server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** An offer as a synthetic participant's negotiate() writes it. */
    static String offer(int version, List<ReceiveSlot> slots) {
        return OfferSdp.write(77, version, "ldUf", "loadToolPassword0123456", FINGERPRINT, "cname-1", "stream-1",
                AUDIO_SSRC, slots);
    }

    /** The same from a second participant of the room, which sends with an SSRC of its own (unique per room). */
    static String secondOffer(int version, List<ReceiveSlot> slots) {
        return OfferSdp.write(78, version, "ldU2", "loadToolPassword0123457", FINGERPRINT, "cname-2", "stream-2",
                AUDIO_SSRC + 1, slots);
    }

    @Test
    void aPublishingOfferHasChromiumsShape() {
        SessionDescription offer = SdpParser.parse(offer(2, List.of()));

        assertEquals(List.of(OfferSdp.AUDIO_MID, OfferSdp.VIDEO_MID), offer.bundleGroups().get(0).mids());
        assertEquals(2, offer.origin().sessionVersion());
        MediaDescription audio = offer.media(OfferSdp.AUDIO_MID).orElseThrow();
        MediaDescription video = offer.media(OfferSdp.VIDEO_MID).orElseThrow();
        assertAll("audio",
                () -> assertEquals(MediaKind.AUDIO, audio.kind()),
                () -> assertEquals(Direction.SENDONLY, offer.directionOf(audio)),
                () -> assertEquals(List.of(OfferSdp.OPUS_PT), audio.payloadTypes()),
                () -> assertEquals(List.of(AUDIO_SSRC), audio.ssrcs()),
                () -> assertEquals(Optional.of("cname-1"), audio.ssrcAttribute(AUDIO_SSRC, SsrcAttribute.CNAME)),
                () -> assertTrue(audio.rtcpMux()),
                () -> assertEquals(Optional.of("ldUf"), offer.transportOf(audio).iceUfrag()),
                () -> assertEquals(List.of(FINGERPRINT), offer.transportOf(audio).fingerprints()));
        assertAll("video",
                () -> assertEquals(MediaKind.VIDEO, video.kind()),
                () -> assertEquals(Direction.SENDONLY, offer.directionOf(video)),
                () -> assertEquals(List.of(OfferSdp.VP8_PT, OfferSdp.RTX_PT), video.payloadTypes()),
                () -> assertEquals(List.of(), video.ssrcs(), "simulcast layers are announced by rid only"),
                () -> assertEquals(OfferSdp.RIDS, video.rids(RidDirection.SEND).stream().map(Rid::id).toList()),
                () -> assertEquals(OfferSdp.RIDS, Simulcast.firstRids(video.simulcast().orElseThrow().send())),
                () -> assertTrue(video.rtcpMux()));
    }

    @Test
    void everyMLineUsesTheExtensionIdsThePublisherWrites() {
        SessionDescription offer = SdpParser.parse(offer(2, List.of(new ReceiveSlot("2", false, false),
                new ReceiveSlot("3", true, false))));

        for (MediaDescription m : offer.media()) {
            String mid = m.mid().orElseThrow();
            assertAll("mid " + mid,
                    () -> assertEquals(OfferSdp.ABS_SEND_TIME_ID, id(m, HeaderExtensionUris.ABS_SEND_TIME)),
                    () -> assertEquals(OfferSdp.TRANSPORT_CC_ID, id(m, HeaderExtensionUris.TRANSPORT_WIDE_CC)),
                    () -> assertEquals(OfferSdp.MID_ID, id(m, HeaderExtensionUris.MID)));
            if (m.kind() == MediaKind.AUDIO) {
                assertEquals(OfferSdp.AUDIO_LEVEL_ID, id(m, HeaderExtensionUris.AUDIO_LEVEL), mid);
            } else {
                assertEquals(OfferSdp.RID_ID, id(m, HeaderExtensionUris.RTP_STREAM_ID), mid);
                assertEquals(OfferSdp.REPAIRED_RID_ID, id(m, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID), mid);
            }
        }
    }

    @Test
    void receiveSlotsAreRecvonlyAndStoppedOnesRejectedOutsideTheBundle() {
        SessionDescription offer = SdpParser.parse(offer(3, List.of(new ReceiveSlot("2", false, false),
                new ReceiveSlot("3", true, true), new ReceiveSlot("4", true, false),
                new ReceiveSlot("5", false, true))));

        assertEquals(List.of("0", "1", "2", "4"), offer.bundleGroups().get(0).mids());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"),
                offer.media().stream().map(m -> m.mid().orElseThrow()).toList(), "slots keep their place");
        for (String mid : List.of("2", "4")) {
            MediaDescription m = offer.media(mid).orElseThrow();
            assertEquals(Direction.RECVONLY, offer.directionOf(m), mid);
            assertEquals(MediaDescription.DISCARD_PORT, m.port(), mid);
        }
        for (String mid : List.of("3", "5")) {
            MediaDescription m = offer.media(mid).orElseThrow();
            assertEquals(0, m.port(), mid);
            assertTrue(m.isRejected(), mid);
            assertEquals(Direction.INACTIVE, offer.directionOf(m), mid);
        }
        assertEquals(MediaKind.VIDEO, offer.media("3").orElseThrow().kind());
        assertEquals(MediaKind.AUDIO, offer.media("5").orElseThrow().kind());
    }

    @Test
    void theServerAcceptsThePublicationWithSimulcastQhf() {
        server = new ServerNegotiation();
        Participant alice = server.join("Alice");

        SessionDescription answer = SdpParser.parse(server.offer(alice, offer(2, List.of()), Map.of()));

        assertEquals(List.of("0", "1"), answer.bundleGroups().get(0).mids());
        MediaDescription audio = answer.media(OfferSdp.AUDIO_MID).orElseThrow();
        MediaDescription video = answer.media(OfferSdp.VIDEO_MID).orElseThrow();
        assertAll(
                () -> assertEquals(Direction.RECVONLY, answer.directionOf(audio)),
                () -> assertEquals(Direction.RECVONLY, answer.directionOf(video)),
                () -> assertEquals(List.of(OfferSdp.OPUS_PT), audio.payloadTypes()),
                () -> assertEquals(List.of(OfferSdp.VP8_PT, OfferSdp.RTX_PT), video.payloadTypes(), "VP8 and RTX"),
                () -> assertEquals(OfferSdp.RIDS, video.rids(RidDirection.RECV).stream().map(Rid::id).toList()),
                () -> assertEquals(OfferSdp.RIDS, Simulcast.firstRids(video.simulcast().orElseThrow().recv())),
                () -> assertEquals(OfferSdp.RID_ID, id(video, HeaderExtensionUris.RTP_STREAM_ID)),
                () -> assertEquals(OfferSdp.REPAIRED_RID_ID, id(video, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID)),
                () -> assertEquals(OfferSdp.TRANSPORT_CC_ID, id(video, HeaderExtensionUris.TRANSPORT_WIDE_CC)),
                () -> assertEquals(OfferSdp.ABS_SEND_TIME_ID, id(video, HeaderExtensionUris.ABS_SEND_TIME)),
                () -> assertEquals(OfferSdp.MID_ID, id(audio, HeaderExtensionUris.MID)),
                () -> assertEquals(OfferSdp.AUDIO_LEVEL_ID, id(audio, HeaderExtensionUris.AUDIO_LEVEL)));
        assertEquals(List.of(TrackId.of(alice.id(), "0"), TrackId.of(alice.id(), "1")),
                alice.published().stream().map(t -> t.id()).toList(), "both tracks published to the room");
    }

    @Test
    void theServerSendsOnTheReceiveSlotsWithSsrcsAndAnFidGroupForVideo() {
        server = new ServerNegotiation();
        Participant alice = server.join("Alice");
        Participant bob = server.join("Bob");
        server.offer(alice, offer(2, List.of()), Map.of());

        SessionDescription answer = SdpParser.parse(server.offer(bob, secondOffer(2, List.of(
                        new ReceiveSlot("2", false, false), new ReceiveSlot("3", true, false),
                        new ReceiveSlot("4", true, true))),
                Map.of("2", TrackId.of(alice.id(), "0").value(), "3", TrackId.of(alice.id(), "1").value())));

        assertEquals(List.of("0", "1", "2", "3"), answer.bundleGroups().get(0).mids());
        MediaDescription audio = answer.media("2").orElseThrow();
        MediaDescription video = answer.media("3").orElseThrow();
        assertAll("audio",
                () -> assertEquals(Direction.SENDONLY, answer.directionOf(audio)),
                () -> assertEquals(1, audio.ssrcs().size()),
                () -> assertEquals(List.of(), audio.ssrcGroups()),
                () -> assertTrue(audio.ssrcAttribute(audio.ssrcs().get(0), SsrcAttribute.CNAME).isPresent()));
        assertAll("video",
                () -> assertEquals(Direction.SENDONLY, answer.directionOf(video)),
                () -> assertEquals(2, video.ssrcs().size()),
                () -> assertEquals(video.ssrcs(), video.ssrcGroups("FID").get(0).ssrcs(), "media SSRC, then RTX"),
                () -> assertEquals(List.of(OfferSdp.VP8_PT, OfferSdp.RTX_PT), video.payloadTypes()));
        assertTrue(answer.media("4").orElseThrow().isRejected(), "the stopped slot stays rejected");
        assertEquals(Direction.RECVONLY, answer.directionOf(answer.media("1").orElseThrow()),
                "Bob's own simulcast is still received");
    }

    private static int id(MediaDescription m, String uri) {
        return m.headerExtension(uri).orElseThrow(() -> new AssertionError("no " + uri)).id();
    }
}
