package org.videoroom.load.session;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.videoroom.load.session.OfferSdp.ReceiveSlot;
import org.videoroom.room.Participant;
import org.videoroom.room.TrackId;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.MediaDescription;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SessionDescription;

/**
 * What a synthetic participant takes from the server's answer to its {@link OfferSdp}, the answer coming from the
 * server's own negotiation ({@link ServerNegotiation}) and the expected values from the server's {@link SdpParser}.
 */
class AnswerInfoTest {

    private ServerNegotiation server;
    private Participant alice;
    private Participant bob;
    private Map<String, String> wanted;

    @BeforeEach
    void aliceAndBob() {
        server = new ServerNegotiation();
        alice = server.join("Alice");
        bob = server.join("Bob");
        server.offer(alice, OfferSdpTest.offer(2, List.of()), Map.of());
        wanted = Map.of("2", TrackId.of(alice.id(), "0").value(), "3", TrackId.of(alice.id(), "1").value());
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    @Test
    void theSendStreamsAreTheAnswersSsrcsAndTheirRtx() {
        String sdp = server.offer(bob, OfferSdpTest.secondOffer(2, List.of(new ReceiveSlot("2", false, false),
                new ReceiveSlot("3", true, false), new ReceiveSlot("4", true, true))), wanted);

        AnswerInfo info = AnswerInfo.parse(sdp);

        SessionDescription answer = SdpParser.parse(sdp);
        MediaDescription audio = answer.media("2").orElseThrow();
        MediaDescription video = answer.media("3").orElseThrow();
        List<Long> fid = video.ssrcGroups("FID").get(0).ssrcs();
        assertAll(
                () -> assertEquals(Set.of("2", "3"), info.sendStreams().keySet(),
                        "only the sendonly m-lines: not our own publications, not the stopped slot"),
                () -> assertEquals(new AnswerInfo.SendStream("2", audio.ssrcs().get(0), 0),
                        info.sendStreams().get("2"), "audio has no RTX"),
                () -> assertEquals(new AnswerInfo.SendStream("3", fid.get(0), fid.get(1)),
                        info.sendStreams().get("3"), "the FID group's media and RTX SSRCs"),
                () -> assertNotEquals(fid.get(0), fid.get(1)));
    }

    @Test
    void theTransportIsTheServersIcePortAndCertificate() {
        String sdp = server.offer(bob, OfferSdpTest.secondOffer(2, List.of(new ReceiveSlot("2", false, false))),
                Map.of("2", wanted.get("2")));

        AnswerInfo info = AnswerInfo.parse(sdp);

        SessionDescription answer = SdpParser.parse(sdp);
        MediaDescription first = answer.media().get(0);
        assertEquals(answer.transportOf(first).iceUfrag().orElseThrow(), info.iceUfrag());
        assertEquals(answer.transportOf(first).icePwd().orElseThrow(), info.icePassword());
        assertEquals(List.of(server.fingerprint()), info.fingerprints());
        IceCandidate host = info.candidates().get(0);
        assertAll("host candidate",
                () -> assertEquals("127.0.0.1", host.address()),
                () -> assertEquals(server.icePort(), host.port()),
                () -> assertTrue(host.isUdp()));
    }

    @Test
    void aReofferKeepsTheSsrcsAndDropsTheStoppedSlot() {
        AnswerInfo first = AnswerInfo.parse(server.offer(bob, OfferSdpTest.secondOffer(2, List.of(
                new ReceiveSlot("2", false, false), new ReceiveSlot("3", true, false))), wanted));

        AnswerInfo second = AnswerInfo.parse(server.offer(bob, OfferSdpTest.secondOffer(3, List.of(
                        new ReceiveSlot("2", false, false), new ReceiveSlot("3", true, true))),
                Map.of("2", wanted.get("2"))));

        assertEquals(Set.of("2"), second.sendStreams().keySet());
        assertEquals(first.sendStreams().get("2"), second.sendStreams().get("2"),
                "the browser already bound them to a receiver");
        assertEquals(first.iceUfrag(), second.iceUfrag());
    }

    @Test
    void anAnswerWithoutIceCredentialsIsRefused() {
        String sdp = server.offer(bob, OfferSdpTest.secondOffer(2, List.of()), Map.of());
        String withoutUfrag = sdp.replaceAll("a=ice-ufrag:[^\r\n]*\r\n", "");

        assertThrows(IllegalArgumentException.class, () -> AnswerInfo.parse(withoutUfrag));
    }
}
