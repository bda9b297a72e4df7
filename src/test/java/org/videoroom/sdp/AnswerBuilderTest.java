package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.sdp.SdpNegotiationException.Reason;

class AnswerBuilderTest {

    private static final Fingerprint LOCAL_FINGERPRINT = Fingerprint.ofCertificate("sha-256", new byte[] {1, 2, 3});
    private static final IceCandidate LOCAL_HOST = IceCandidate.udpHost("1", 2130706431L, "127.0.0.1", 10000);
    private static final LocalTransportParameters LOCAL = LocalTransportParameters.withCandidates("srvU",
            "0123456789abcdefghijkl", LOCAL_FINGERPRINT, List.of(LOCAL_HOST));
    private static final Origin ORIGIN = Origin.jsep(4242, 7);
    private static final AnswerBuilder BUILDER = new AnswerBuilder(CodecPolicy.defaults());

    private static final OutgoingTrack AUDIO_TRACK =
            new OutgoingTrack(MediaKind.AUDIO, "peer-1", "peer-1-audio", 1111, OptionalLong.empty(), "peer1cname");
    private static final OutgoingTrack VIDEO_TRACK =
            new OutgoingTrack(MediaKind.VIDEO, "peer-1", "peer-1-video", 2222, OptionalLong.of(3333), "peer1cname");
    private static final Map<String, OutgoingTrack> TRACKS = Map.of("2", AUDIO_TRACK, "3", VIDEO_TRACK);

    private static NegotiatedAnswer answer(String capture) {
        return BUILDER.answer(Captures.parse(capture), LOCAL, ORIGIN, TRACKS);
    }

    // ---- Chromium 156 ----------------------------------------------------------------------

    @Test
    void chromiumAnswerSessionLevel() {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        assertAll(
                () -> assertEquals(ORIGIN, answer.origin()),
                () -> assertEquals(List.of(new Group("BUNDLE", List.of("0", "1", "2", "3"))), answer.groups()),
                () -> assertFalse(answer.iceLite()),
                () -> assertFalse(answer.extmapAllowMixed()),
                () -> assertEquals(List.of("0", "1", "2", "3"), answer.media().stream().map(m -> m.mid().orElseThrow()).toList()),
                () -> assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY),
                        answer.media().stream().map(answer::directionOf).toList()));
    }

    /**
     * The server's transport in every section, as browsers need it; candidates in the tagged one
     * only, and no bundle-only (RFC 9143 §7.3).
     */
    @Test
    void chromiumAnswerTransport() {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        for (MediaDescription m : answer.media()) {
            TransportAttributes t = m.transport();
            assertAll("mid " + m.mid().orElseThrow(),
                    () -> assertEquals(Optional.of("srvU"), t.iceUfrag()),
                    () -> assertEquals(Optional.of("0123456789abcdefghijkl"), t.icePwd()),
                    () -> assertEquals(List.of("trickle"), t.iceOptions()),
                    () -> assertEquals(List.of(LOCAL_FINGERPRINT), t.fingerprints()),
                    () -> assertEquals(Optional.of(Setup.PASSIVE), t.setup()),
                    () -> assertTrue(m.rtcpMux()),
                    () -> assertTrue(m.rtcpRsize()),
                    () -> assertFalse(m.bundleOnly()),
                    () -> assertEquals("UDP/TLS/RTP/SAVPF", m.protocol()));
        }
        MediaDescription tagged = answer.media().get(0);
        assertAll(
                () -> assertEquals(List.of(LOCAL_HOST), tagged.transport().candidates()),
                () -> assertTrue(tagged.transport().endOfCandidates()),
                () -> assertEquals(10000, tagged.port()),
                () -> assertEquals(Optional.of(Connection.of("127.0.0.1")), tagged.connection()),
                // RFC 9143 §7.3: the BUNDLE address:port in every bundled section.
                () -> assertEquals(List.of(10000, 10000, 10000),
                        answer.media().subList(1, 4).stream().map(MediaDescription::port).toList()),
                () -> assertTrue(answer.media().stream().allMatch(m -> m.connection().equals(Optional.of(
                        Connection.of("127.0.0.1"))))),
                () -> assertTrue(answer.media().subList(1, 4).stream().allMatch(m -> m.transport().candidates().isEmpty())));
    }

    @Test
    void chromiumAnswerKeepsOnlySupportedCodecsWithTheOffersPayloadTypes() {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        MediaDescription audio = answer.media("0").orElseThrow();
        MediaDescription video = answer.media("1").orElseThrow();
        assertAll(
                () -> assertEquals(List.of(111), audio.payloadTypes()),
                () -> assertEquals(new Codec(111, "opus", 48000, OptionalInt.of(2), "minptime=10;useinbandfec=1",
                        List.of("transport-cc")), audio.codecs().get(0)),
                // VP8 first (policy order), then every H264 packetization-mode=1 profile, each with its RTX.
                () -> assertEquals(List.of(96, 97, 102, 103, 108, 109, 116, 117), video.payloadTypes()),
                () -> assertEquals(List.of("VP8", "rtx", "H264", "rtx", "H264", "rtx", "H264", "rtx"),
                        video.codecs().stream().map(Codec::name).toList()),
                () -> assertEquals(List.of("42001f", "42e01f", "4d001f"), video.codecs().stream()
                        .filter(c -> c.name().equals("H264")).map(c -> c.parameter("profile-level-id").orElseThrow()).toList()),
                () -> assertEquals("apt=96", video.codec(97).orElseThrow().fmtp()),
                () -> assertEquals(List.of(), video.codec(97).orElseThrow().rtcpFeedback()),
                () -> assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                        video.codec(96).orElseThrow().rtcpFeedback()));
    }

    /** VP9, AV1, H264 packetization-mode 0, RED, ULPFEC, FlexFEC, G722, PCMU/PCMA, CN, DTMF: all dropped. */
    @ParameterizedTest
    @ValueSource(strings = {"G722", "PCMU", "PCMA", "CN", "telephone-event", "red", "VP9", "AV1", "ulpfec",
            "flexfec-03"})
    void chromiumAnswerDropsUnsupportedCodecs(String name) {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        for (MediaDescription m : answer.media()) {
            assertTrue(m.codecs().stream().noneMatch(c -> c.name().equalsIgnoreCase(name)), m.mid() + " keeps " + name);
        }
        MediaDescription video = answer.media("3").orElseThrow();
        for (int packetizationMode0 : new int[] {104, 114, 39, 43}) {
            assertTrue(video.codec(packetizationMode0).isEmpty());
        }
    }

    @Test
    void chromiumAnswerKeepsTheOffersExtensionIds() {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        assertEquals(List.of(
                HeaderExtension.of(1, HeaderExtensionUris.AUDIO_LEVEL),
                HeaderExtension.of(2, HeaderExtensionUris.ABS_SEND_TIME),
                HeaderExtension.of(3, HeaderExtensionUris.TRANSPORT_WIDE_CC),
                HeaderExtension.of(4, HeaderExtensionUris.MID)), answer.media("0").orElseThrow().headerExtensions());
        // toffset (14), video-orientation (13), playout-delay (5), ... rtp-stream-id (10) are not accepted.
        assertEquals(List.of(
                HeaderExtension.of(2, HeaderExtensionUris.ABS_SEND_TIME),
                HeaderExtension.of(3, HeaderExtensionUris.TRANSPORT_WIDE_CC),
                HeaderExtension.of(4, HeaderExtensionUris.MID)), answer.media("1").orElseThrow().headerExtensions());
    }

    @Test
    void chromiumRecvonlySectionsCarryTheOutgoingTracks() {
        SessionDescription answer = answer(Captures.CHROMIUM_OFFER).answer();
        MediaDescription audio = answer.media("2").orElseThrow();
        MediaDescription video = answer.media("3").orElseThrow();
        assertAll(
                () -> assertEquals(List.of(Msid.of("peer-1", "peer-1-audio")), audio.msids()),
                () -> assertEquals(List.of(
                        SsrcAttribute.of(1111, "cname", "peer1cname"),
                        SsrcAttribute.of(1111, "msid", "peer-1 peer-1-audio")), audio.ssrcAttributes()),
                () -> assertEquals(List.of(), audio.ssrcGroups()),
                () -> assertEquals(List.of(Msid.of("peer-1", "peer-1-video")), video.msids()),
                () -> assertEquals(List.of(new SsrcGroup("FID", List.of(2222L, 3333L))), video.ssrcGroups()),
                () -> assertEquals(List.of(
                        SsrcAttribute.of(2222, "cname", "peer1cname"),
                        SsrcAttribute.of(2222, "msid", "peer-1 peer-1-video"),
                        SsrcAttribute.of(3333, "cname", "peer1cname"),
                        SsrcAttribute.of(3333, "msid", "peer-1 peer-1-video")), video.ssrcAttributes()),
                () -> assertTrue(answer.media("0").orElseThrow().ssrcAttributes().isEmpty()),
                () -> assertTrue(answer.media("0").orElseThrow().msids().isEmpty()));
    }

    /** The generated answer goes through our own parser unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {Captures.CHROMIUM_OFFER, Captures.CHROMIUM_OFFER_GATHERED, Captures.CHROMIUM_REOFFER_STOPPED,
            Captures.CHROMIUM_REOFFER_RECYCLED, Captures.FIREFOX_OFFER, Captures.FIREFOX_REOFFER_STOPPED,
            Captures.FIREFOX_REOFFER_ADDED})
    void generatedAnswerParsesBackEqual(String capture) {
        SessionDescription answer = BUILDER.answer(Captures.parse(capture), LOCAL, ORIGIN, Map.of()).answer();
        assertEquals(answer, SdpParser.parse(answer.toSdp()));
    }

    @Test
    void chromiumNegotiatedSession() {
        NegotiatedSession s = answer(Captures.CHROMIUM_OFFER).session();
        assertAll(
                () -> assertEquals("0", s.bundleMid()),
                () -> assertEquals(new IceCredentials("y02E", "Fav2GiBlO3LFT3TJYCZO2CIt"), s.remoteIce()),
                () -> assertEquals(new IceCredentials("srvU", "0123456789abcdefghijkl"), s.localIce()),
                () -> assertEquals(List.of(Fingerprint.parse("sha-256 C7:2F:9F:DA:70:5B:CC:B4:C5:B0:9D:F7:5E:C5:17:50:B7:"
                        + "06:48:E6:54:83:F6:CE:D0:3C:A7:A6:40:D5:4F:D2")), s.remoteFingerprints()),
                () -> assertEquals(LOCAL_FINGERPRINT, s.localFingerprint()),
                () -> assertEquals(Setup.PASSIVE, s.localSetup()),
                () -> assertTrue(s.dtlsServer()),
                () -> assertFalse(s.iceControlling()),
                () -> assertTrue(s.remoteTrickle()),
                () -> assertEquals(List.of(), s.remoteCandidates()),
                () -> assertEquals(List.of(MediaRole.RECEIVE, MediaRole.RECEIVE, MediaRole.SEND, MediaRole.SEND),
                        s.media().stream().map(NegotiatedMedia::role).toList()));
    }

    @Test
    void chromiumPublishedVideoSummary() {
        NegotiatedMedia video = answer(Captures.CHROMIUM_OFFER).session().media("1").orElseThrow();
        assertAll(
                () -> assertEquals(1, video.index()),
                () -> assertEquals(MediaKind.VIDEO, video.kind()),
                () -> assertEquals(List.of(96, 102, 108, 116), video.codecs().stream().map(NegotiatedCodec::payloadType).toList()),
                () -> assertEquals(OptionalInt.of(97), video.codec(96).orElseThrow().rtxPayloadType()),
                () -> assertEquals(96, video.codecForRtx(97).orElseThrow().payloadType()),
                () -> assertEquals(108, video.codecForRtx(109).orElseThrow().payloadType()),
                () -> assertEquals("VP8", video.preferredCodec().orElseThrow().name()),
                () -> assertTrue(video.codec(96).orElseThrow().hasFeedback("nack pli")),
                () -> assertEquals(OptionalInt.of(4), video.headerExtensionId(HeaderExtensionUris.MID)),
                () -> assertEquals(OptionalInt.of(3), video.headerExtensionId(HeaderExtensionUris.TRANSPORT_WIDE_CC)),
                () -> assertEquals(OptionalInt.empty(), video.headerExtensionId(HeaderExtensionUris.AUDIO_LEVEL)),
                () -> assertEquals(List.of(1968883378L, 1635379259L), video.ssrcs()),
                () -> assertEquals(List.of(new RtxSsrcPair(1968883378L, 1635379259L)), video.rtxSsrcs()),
                () -> assertEquals(Optional.of(Msid.of("206efb5f-feb9-4343-bc2b-679b26fa9c24",
                        "3c6d5e79-1081-48a3-a583-2983e9f0bf35")), video.msid()),
                () -> assertEquals(Optional.of("uuEi9sL/eQO693ge"), video.cname()),
                () -> assertEquals(List.of(), video.rids()),
                () -> assertTrue(video.rtcpReducedSize()),
                () -> assertEquals(Optional.empty(), video.outgoingTrack()));
    }

    @Test
    void chromiumForwardedVideoSummary() {
        NegotiatedMedia video = answer(Captures.CHROMIUM_OFFER).session().media("3").orElseThrow();
        assertAll(
                () -> assertEquals(MediaRole.SEND, video.role()),
                () -> assertEquals(Optional.of(VIDEO_TRACK), video.outgoingTrack()),
                () -> assertEquals(List.of(2222L, 3333L), video.ssrcs()),
                () -> assertEquals(List.of(new RtxSsrcPair(2222, 3333)), video.rtxSsrcs()),
                // The recvonly section offers one more H264 profile (f4001f) than the sending one.
                () -> assertEquals(List.of(96, 102, 108, 116, 41), video.codecs().stream().map(NegotiatedCodec::payloadType).toList()));
    }

    @Test
    void chromiumGatheredOfferGivesTheRemoteCandidates() {
        NegotiatedSession s = answer(Captures.CHROMIUM_OFFER_GATHERED).session();
        assertEquals(Captures.parse(Captures.CHROMIUM_OFFER_GATHERED).media().get(0).transport().candidates(),
                s.remoteCandidates());
        assertFalse(s.remoteEndOfCandidates());
    }

    // ---- Firefox 153 -----------------------------------------------------------------------

    /** Firefox's bundle-only port-0 sections are accepted and answered with the BUNDLE port, without bundle-only. */
    @Test
    void firefoxBundleOnlySectionsAreAccepted() {
        NegotiatedAnswer result = answer(Captures.FIREFOX_OFFER);
        SessionDescription answer = result.answer();
        assertAll(
                () -> assertEquals(List.of("0", "1", "2", "3"), answer.bundleGroups().get(0).mids()),
                () -> assertEquals(List.of(10000, 10000, 10000, 10000),
                        answer.media().stream().map(MediaDescription::port).toList()),
                () -> assertTrue(answer.media().stream().noneMatch(MediaDescription::bundleOnly)),
                () -> assertEquals(List.of(MediaRole.RECEIVE, MediaRole.RECEIVE, MediaRole.SEND, MediaRole.SEND),
                        result.session().media().stream().map(NegotiatedMedia::role).toList()));
    }

    @Test
    void firefoxAnswerUsesFirefoxsPayloadTypesAndIds() {
        SessionDescription answer = answer(Captures.FIREFOX_OFFER).answer();
        MediaDescription audio = answer.media("0").orElseThrow();
        MediaDescription video = answer.media("1").orElseThrow();
        assertAll(
                () -> assertEquals(List.of(109), audio.payloadTypes()),
                () -> assertEquals("maxplaybackrate=48000;stereo=1;useinbandfec=1", audio.codec(109).orElseThrow().fmtp()),
                // No H264 in this Firefox (no OpenH264 plugin offline): VP8 and its RTX only.
                () -> assertEquals(List.of(120, 124), video.payloadTypes()),
                () -> assertEquals("max-fs=12288;max-fr=60", video.codec(120).orElseThrow().fmtp()),
                () -> assertEquals(List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"),
                        video.codec(120).orElseThrow().rtcpFeedback()),
                // csrc-audio-level (2/recvonly) is not accepted.
                () -> assertEquals(List.of(
                        HeaderExtension.of(1, HeaderExtensionUris.AUDIO_LEVEL),
                        HeaderExtension.of(3, HeaderExtensionUris.MID),
                        HeaderExtension.of(7, HeaderExtensionUris.TRANSPORT_WIDE_CC)), audio.headerExtensions()),
                // toffset (5) and playout-delay (6/recvonly) are not accepted.
                () -> assertEquals(List.of(
                        HeaderExtension.of(3, HeaderExtensionUris.MID),
                        HeaderExtension.of(4, HeaderExtensionUris.ABS_SEND_TIME),
                        HeaderExtension.of(7, HeaderExtensionUris.TRANSPORT_WIDE_CC)), video.headerExtensions()),
                () -> assertFalse(audio.rtcpRsize()),
                () -> assertTrue(video.rtcpRsize()),
                () -> assertEquals(List.of(new SsrcGroup("FID", List.of(2222L, 3333L))),
                        answer.media("3").orElseThrow().ssrcGroups()));
    }

    /** Firefox puts the fingerprint at session level and the ICE credentials in each section. */
    @Test
    void firefoxNegotiatedSession() {
        NegotiatedSession s = answer(Captures.FIREFOX_OFFER_GATHERED).session();
        assertAll(
                () -> assertEquals(new IceCredentials("9330978b", "ede48a23111e969f1d00d3d9a66de76b"), s.remoteIce()),
                () -> assertEquals(List.of(Fingerprint.parse("sha-256 A7:4A:6F:6C:C2:1E:46:56:32:10:C7:6E:26:50:F3:61:D3:05:83:"
                        + "12:97:B3:CC:3F:87:04:8B:ED:35:27:B4:C8")), s.remoteFingerprints()),
                // Firefox also gathers RTCP (component 2) candidates; with rtcp-mux they are dropped.
                () -> assertEquals(List.of(1, 1), s.remoteCandidates().stream().map(IceCandidate::component).toList()),
                () -> assertTrue(s.remoteEndOfCandidates()),
                () -> assertEquals(List.of(4216251460L), s.media("0").orElseThrow().ssrcs()),
                () -> assertEquals(List.of(new RtxSsrcPair(2869399780L, 4097839082L)), s.media("1").orElseThrow().rtxSsrcs()),
                () -> assertEquals(OptionalInt.of(124), s.media("1").orElseThrow().codec(120).orElseThrow().rtxPayloadType()));
    }

    // ---- stopped, recycled and idle sections ----------------------------------------------

    /** A stopped transceiver is rejected: port 0, mid kept, out of BUNDLE; its track is ignored. */
    @ParameterizedTest
    @ValueSource(strings = {Captures.CHROMIUM_REOFFER_STOPPED, Captures.FIREFOX_REOFFER_STOPPED})
    void stoppedSectionIsRejectedKeepingItsMid(String capture) {
        NegotiatedAnswer result = answer(capture);
        MediaDescription stopped = result.answer().media().get(2);
        NegotiatedMedia summary = result.session().media("2").orElseThrow();
        assertAll(
                () -> assertEquals(Optional.of("2"), stopped.mid()),
                () -> assertEquals(0, stopped.port()),
                () -> assertTrue(stopped.isRejected()),
                () -> assertEquals(MediaKind.AUDIO, stopped.kind()),
                () -> assertEquals(1, stopped.formats().size()),
                () -> assertTrue(stopped.msids().isEmpty()),
                () -> assertTrue(stopped.transport().iceUfrag().isEmpty()),
                () -> assertEquals(List.of("0", "1", "3"), result.answer().bundleGroups().get(0).mids()),
                () -> assertEquals(MediaRole.REJECTED, summary.role()),
                () -> assertTrue(summary.codecs().isEmpty()),
                () -> assertEquals(Optional.empty(), summary.outgoingTrack()));
    }

    /** Chromium reuses the stopped m= line's slot for a new transceiver with a new mid. */
    @Test
    void chromiumRecycledSlotIsAnsweredByItsNewMid() {
        OutgoingTrack newVideo = new OutgoingTrack(MediaKind.VIDEO, "peer-2", "peer-2-video", 4444, OptionalLong.of(5555),
                "peer2cname");
        NegotiatedAnswer result = BUILDER.answer(Captures.parse(Captures.CHROMIUM_REOFFER_RECYCLED), LOCAL, ORIGIN,
                Map.of("3", VIDEO_TRACK, "4", newVideo));
        MediaDescription slot = result.answer().media().get(2);
        assertAll(
                () -> assertEquals(Optional.of("4"), slot.mid()),
                () -> assertEquals(Optional.of(Direction.SENDONLY), slot.direction()),
                () -> assertEquals(List.of(Msid.of("peer-2", "peer-2-video")), slot.msids()),
                () -> assertEquals(List.of("0", "1", "4", "3"), result.answer().bundleGroups().get(0).mids()),
                () -> assertEquals(2, result.session().media("4").orElseThrow().index()),
                () -> assertEquals(Optional.of(newVideo), result.session().media("4").orElseThrow().outgoingTrack()));
    }

    /** Firefox keeps the stopped line and appends the new one. */
    @Test
    void firefoxAddedSectionAfterAStoppedOne() {
        NegotiatedAnswer result = BUILDER.answer(Captures.parse(Captures.FIREFOX_REOFFER_ADDED), LOCAL, ORIGIN, Map.of());
        assertEquals(List.of(MediaRole.RECEIVE, MediaRole.RECEIVE, MediaRole.REJECTED, MediaRole.INACTIVE, MediaRole.INACTIVE),
                result.session().media().stream().map(NegotiatedMedia::role).toList());
        assertEquals(List.of("0", "1", "3", "4"), result.answer().bundleGroups().get(0).mids());
    }

    /** A recvonly section with nothing to send yet stays negotiated but inactive. */
    @Test
    void recvonlySectionWithoutTrackIsInactive() {
        NegotiatedAnswer result = BUILDER.answer(Captures.parse(Captures.CHROMIUM_OFFER), LOCAL, ORIGIN,
                Map.of("3", VIDEO_TRACK));
        MediaDescription idle = result.answer().media("2").orElseThrow();
        assertAll(
                () -> assertEquals(Optional.of(Direction.INACTIVE), idle.direction()),
                () -> assertEquals(10000, idle.port()),
                () -> assertEquals(List.of(111), idle.payloadTypes()),
                () -> assertTrue(idle.msids().isEmpty()),
                () -> assertTrue(idle.ssrcAttributes().isEmpty()),
                () -> assertEquals(MediaRole.INACTIVE, result.session().media("2").orElseThrow().role()),
                () -> assertEquals(List.of("0", "1", "2", "3"), result.answer().bundleGroups().get(0).mids()));
    }

    // ---- simulcast -------------------------------------------------------------------------

    /** The default policy declines simulcast: no rid, no simulcast line; the browser falls back to one encoding. */
    @Test
    void simulcastIsDeclinedByTheDefaultPolicy() {
        NegotiatedAnswer result = BUILDER.answer(Captures.parse(Captures.CHROMIUM_OFFER_SIMULCAST), LOCAL, ORIGIN, Map.of());
        MediaDescription video = result.answer().media("1").orElseThrow();
        assertAll(
                () -> assertTrue(video.rids().isEmpty()),
                () -> assertTrue(video.simulcast().isEmpty()),
                () -> assertEquals(List.of(), result.session().media("1").orElseThrow().rids()));
    }

    @ParameterizedTest
    @ValueSource(strings = {Captures.CHROMIUM_OFFER_SIMULCAST, Captures.FIREFOX_OFFER_SIMULCAST})
    void simulcastIsAnsweredWhenThePolicyAcceptsIt(String capture) {
        NegotiatedAnswer result = new AnswerBuilder(CodecPolicy.defaults().withSimulcast())
                .answer(Captures.parse(capture), LOCAL, ORIGIN, Map.of());
        MediaDescription video = result.answer().media("1").orElseThrow();
        NegotiatedMedia summary = result.session().media("1").orElseThrow();
        assertAll(
                () -> assertEquals(List.of(new Rid("q", RidDirection.RECV, Optional.empty()),
                        new Rid("h", RidDirection.RECV, Optional.empty()), new Rid("f", RidDirection.RECV, Optional.empty())),
                        video.rids()),
                () -> assertEquals("recv q;h;f", video.simulcast().orElseThrow().format()),
                () -> assertTrue(video.headerExtension(HeaderExtensionUris.RTP_STREAM_ID).isPresent()),
                () -> assertTrue(video.headerExtension(HeaderExtensionUris.REPAIRED_RTP_STREAM_ID).isPresent()),
                () -> assertEquals(List.of("q", "h", "f"), summary.rids()),
                () -> assertEquals(MediaRole.RECEIVE, summary.role()));
    }

    /** Firefox offers its rid extensions as sendonly; the answer maps them recvonly (RFC 8285 §7). */
    @Test
    void oneWayExtensionIsAnsweredInTheOtherDirection() {
        MediaDescription video = new AnswerBuilder(CodecPolicy.defaults().withSimulcast())
                .answer(Captures.parse(Captures.FIREFOX_OFFER_SIMULCAST), LOCAL, ORIGIN, Map.of()).answer()
                .media("1").orElseThrow();
        assertEquals(new HeaderExtension(9, Optional.of(Direction.RECVONLY), HeaderExtensionUris.RTP_STREAM_ID,
                Optional.empty()), video.headerExtension(HeaderExtensionUris.RTP_STREAM_ID).orElseThrow());
    }

    @Test
    void firefoxSimulcastSsrcsAreReported() {
        NegotiatedMedia video = new AnswerBuilder(CodecPolicy.defaults().withSimulcast())
                .answer(Captures.parse(Captures.FIREFOX_OFFER_SIMULCAST), LOCAL, ORIGIN, Map.of()).session()
                .media("1").orElseThrow();
        assertEquals(6, video.ssrcs().size());
        assertEquals(List.of(new RtxSsrcPair(876745481L, 899632210L), new RtxSsrcPair(6328830L, 2534498247L),
                new RtxSsrcPair(2793710291L, 1276975856L)), video.rtxSsrcs());
    }

    // ---- policy and transport variants -----------------------------------------------------

    @Test
    void withoutRtxThePolicyDropsRtxCodecsAndSsrcs() {
        CodecPolicy p = CodecPolicy.defaults();
        CodecPolicy noRtx = new CodecPolicy(p.audioCodecs(), p.videoCodecs(), false, p.rtcpFeedback(), p.headerExtensions(),
                false);
        NegotiatedAnswer result = new AnswerBuilder(noRtx).answer(Captures.parse(Captures.CHROMIUM_OFFER), LOCAL, ORIGIN, TRACKS);
        MediaDescription video = result.answer().media("3").orElseThrow();
        assertAll(
                () -> assertTrue(video.codecs().stream().noneMatch(Codec::isRtx)),
                () -> assertTrue(video.ssrcGroups().isEmpty()),
                () -> assertEquals(List.of(2222L), video.ssrcs()),
                () -> assertEquals(List.of(2222L), result.session().media("3").orElseThrow().ssrcs()),
                () -> assertTrue(result.session().media("1").orElseThrow().codecs().stream()
                        .allMatch(c -> c.rtxPayloadType().isEmpty())));
    }

    @Test
    void trickledTransportAdvertisesNoCandidate() {
        LocalTransportParameters trickled = LocalTransportParameters.trickled("srvU", "0123456789abcdefghijkl",
                LOCAL_FINGERPRINT);
        SessionDescription answer = BUILDER.answer(Captures.parse(Captures.CHROMIUM_OFFER), trickled, ORIGIN, TRACKS).answer();
        MediaDescription tagged = answer.media().get(0);
        assertAll(
                () -> assertEquals(List.of(9, 9, 9, 9), answer.media().stream().map(MediaDescription::port).toList()),
                () -> assertEquals(Optional.of(Connection.UNSPECIFIED), tagged.connection()),
                () -> assertTrue(tagged.transport().candidates().isEmpty()),
                () -> assertFalse(tagged.transport().endOfCandidates()));
    }

    @Test
    void iceLiteIsAdvertisedAndDecidesControl() {
        LocalTransportParameters lite = new LocalTransportParameters("srvU", "0123456789abcdefghijkl", LOCAL_FINGERPRINT,
                List.of(LOCAL_HOST), true, true);
        NegotiatedAnswer liteAnswer = BUILDER.answer(Captures.parse(Captures.CHROMIUM_OFFER), lite, ORIGIN, TRACKS);
        assertTrue(liteAnswer.answer().iceLite());
        assertTrue(liteAnswer.answer().toSdp().contains("\r\na=ice-lite\r\n"));
        assertFalse(liteAnswer.session().iceControlling());

        SessionDescription liteOffer = Captures.parse(Captures.CHROMIUM_OFFER).toBuilder().iceLite(true).build();
        assertTrue(BUILDER.answer(liteOffer, LOCAL, ORIGIN, TRACKS).session().iceControlling());
    }

    @Test
    void wildcardFeedbackIsExpandedAndFiltered() {
        SessionDescription offer = edit(Captures.parse(Captures.CHROMIUM_OFFER), "1", m -> m.toBuilder()
                .codecs(m.codecs().stream().map(c -> c.withRtcpFeedback(List.of())).toList())
                .wildcardRtcpFeedback(List.of("nack", "x-custom", "nack pli")).build());
        MediaDescription video = BUILDER.answer(offer, LOCAL, ORIGIN, TRACKS).answer().media("1").orElseThrow();
        assertEquals(List.of("nack", "nack pli"), video.codec(96).orElseThrow().rtcpFeedback());
        assertTrue(video.wildcardRtcpFeedback().isEmpty());
    }

    /** Data channels and non-bundled sections are rejected; the rest of the offer is still answered. */
    @Test
    void unsupportedSectionsAreRejectedNotFatal() {
        SessionDescription chromium = Captures.parse(Captures.CHROMIUM_OFFER);
        MediaDescription dataChannel = MediaDescription.builder(MediaKind.APPLICATION)
                .protocol("UDP/DTLS/SCTP").formats(List.of("webrtc-datachannel")).connection(Connection.UNSPECIFIED)
                .mid("4").transport(chromium.media().get(0).transport())
                .addOtherAttribute(Attribute.of("sctp-port", "5000")).build();
        MediaDescription unbundled = chromium.media().get(0).toBuilder().mid("5").msids(List.of())
                .ssrcAttributes(List.of()).build();
        SessionDescription offer = chromium.toBuilder()
                .groups(List.of(new Group("BUNDLE", List.of("0", "1", "2", "3", "4"))))
                .addMedia(dataChannel).addMedia(unbundled).build();
        NegotiatedAnswer result = BUILDER.answer(offer, LOCAL, ORIGIN, TRACKS);
        MediaDescription answeredData = result.answer().media("4").orElseThrow();
        assertAll(
                () -> assertEquals(0, answeredData.port()),
                () -> assertEquals("UDP/DTLS/SCTP", answeredData.protocol()),
                () -> assertEquals(List.of("webrtc-datachannel"), answeredData.formats()),
                () -> assertEquals(0, result.answer().media("5").orElseThrow().port()),
                () -> assertEquals(List.of("0", "1", "2", "3"), result.answer().bundleGroups().get(0).mids()),
                () -> assertEquals(MediaRole.REJECTED, result.session().media("4").orElseThrow().role()),
                () -> assertEquals(MediaRole.REJECTED, result.session().media("5").orElseThrow().role()));
    }

    // ---- offers that cannot be answered ----------------------------------------------------

    static Stream<Arguments> unanswerable() {
        SessionDescription chromium = Captures.parse(Captures.CHROMIUM_OFFER);
        return Stream.of(
                row("no BUNDLE group", chromium.toBuilder().groups(List.of()).build(), TRACKS, Reason.NO_BUNDLE),
                row("two BUNDLE groups", chromium.toBuilder().groups(List.of(new Group("BUNDLE", List.of("0", "1")),
                        new Group("BUNDLE", List.of("2", "3")))).build(), TRACKS, Reason.MULTIPLE_BUNDLE_GROUPS),
                row("no rtcp-mux", everyMedia(chromium, m -> m.toBuilder().rtcpMux(false).build()), TRACKS,
                        Reason.NO_RTCP_MUX),
                row("no fingerprint", everyTransport(chromium, t -> new TransportAttributes(t.iceUfrag(), t.icePwd(),
                        t.iceOptions(), List.of(), t.setup(), t.candidates(), t.endOfCandidates())), TRACKS,
                        Reason.NO_FINGERPRINT),
                row("no ice-ufrag", everyTransport(chromium, t -> new TransportAttributes(Optional.empty(), t.icePwd(),
                        t.iceOptions(), t.fingerprints(), t.setup(), t.candidates(), t.endOfCandidates())), TRACKS,
                        Reason.NO_ICE_CREDENTIALS),
                row("no ice-pwd", everyTransport(chromium, t -> new TransportAttributes(t.iceUfrag(), Optional.empty(),
                        t.iceOptions(), t.fingerprints(), t.setup(), t.candidates(), t.endOfCandidates())), TRACKS,
                        Reason.NO_ICE_CREDENTIALS),
                row("setup passive", everyTransport(chromium, t -> new TransportAttributes(t.iceUfrag(), t.icePwd(),
                        t.iceOptions(), t.fingerprints(), Optional.of(Setup.PASSIVE), t.candidates(), t.endOfCandidates())),
                        TRACKS, Reason.INCOMPATIBLE_SETUP),
                row("setup holdconn", everyTransport(chromium, t -> new TransportAttributes(t.iceUfrag(), t.icePwd(),
                        t.iceOptions(), t.fingerprints(), Optional.of(Setup.HOLDCONN), t.candidates(), t.endOfCandidates())),
                        TRACKS, Reason.INCOMPATIBLE_SETUP),
                row("a section without mid", chromium.toBuilder().groups(List.of(new Group("BUNDLE", List.of("0"))))
                        .media(List.of(chromium.media().get(0), chromium.media().get(1).toBuilder().mid(null).build()))
                        .build(), Map.of(), Reason.NO_MID),
                row("audio without Opus", edit(chromium, "0", m -> withoutCodecs(m, c -> c.is("opus", 48000))), TRACKS,
                        Reason.NO_COMMON_CODEC),
                row("video without VP8", edit(chromium, "1", m -> withoutCodecs(m, c -> c.is("VP8", 90000)
                        || c.associatedPayloadType().orElse(-1) == 96)), TRACKS, Reason.NO_COMMON_CODEC),
                row("recvonly video without VP8", edit(chromium, "3", m -> withoutCodecs(m, c -> c.is("VP8", 90000))),
                        TRACKS, Reason.NO_COMMON_CODEC),
                row("only a data channel", chromium.toBuilder().groups(List.of(new Group("BUNDLE", List.of("0"))))
                        .media(List.of(MediaDescription.builder(MediaKind.APPLICATION).protocol("UDP/DTLS/SCTP")
                                .formats(List.of("webrtc-datachannel")).connection(Connection.UNSPECIFIED).mid("0")
                                .transport(chromium.media().get(0).transport()).build())).build(),
                        Map.of(), Reason.NOTHING_ACCEPTED),
                row("track for an unknown mid", chromium, Map.of("9", AUDIO_TRACK), Reason.OUTGOING_TRACK_MISMATCH),
                row("track for a publishing section", chromium, Map.of("0", AUDIO_TRACK), Reason.OUTGOING_TRACK_MISMATCH),
                row("video track for an audio section", chromium, Map.of("2", VIDEO_TRACK), Reason.OUTGOING_TRACK_MISMATCH));
    }

    private static Arguments row(String name, SessionDescription offer, Map<String, OutgoingTrack> tracks, Reason reason) {
        return Arguments.of(name, offer, tracks, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unanswerable")
    void unanswerableOffersAreRefused(String name, SessionDescription offer, Map<String, OutgoingTrack> tracks,
            Reason reason) {
        SdpNegotiationException e = assertThrows(SdpNegotiationException.class,
                () -> BUILDER.answer(offer, LOCAL, ORIGIN, tracks));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void policyWithoutRequiredCodecsStillNeedsOneMatch() {
        CodecPolicy h264Only = new CodecPolicy(List.of(CodecRule.accepted("opus", 48000, 2)),
                List.of(CodecRule.accepted("H264", 90000, 1).withParameter("packetization-mode", "1")), true,
                CodecPolicy.defaults().rtcpFeedback(), CodecPolicy.defaults().headerExtensions(), false);
        SdpNegotiationException e = assertThrows(SdpNegotiationException.class, () -> new AnswerBuilder(h264Only)
                .answer(Captures.parse(Captures.FIREFOX_OFFER), LOCAL, ORIGIN, Map.of()));
        assertEquals(Reason.NO_COMMON_CODEC, e.reason());
        assertEquals(Optional.of("1"), e.mid());
    }

    // ---- REMB-only publishers (no transport-cc in the offer) --------------------------------

    /**
     * A Chromium offer with transport-cc removed: the answer must keep goog-remb and abs-send-time and carry no
     * transport-cc at all (neither rtcp-fb nor extmap), or the browser neither estimates from REMB nor from
     * transport-wide feedback.
     */
    @ParameterizedTest
    @ValueSource(strings = {Captures.CHROMIUM_OFFER, Captures.CHROMIUM_OFFER_SIMULCAST})
    void aRembOnlyOfferIsAnsweredWithGoogRembAndAbsSendTimeOnly(String capture) {
        SessionDescription offer = SdpParser.parse(Captures.withoutTransportCc(capture));
        assertTrue(offer.media().stream().allMatch(m -> m.headerExtensions().stream()
                .noneMatch(e -> e.uri().equals(HeaderExtensionUris.TRANSPORT_WIDE_CC))), "the edit removed the extmap");
        NegotiatedAnswer result = new AnswerBuilder(CodecPolicy.defaults().withSimulcast())
                .answer(offer, LOCAL, ORIGIN, capture.equals(Captures.CHROMIUM_OFFER) ? TRACKS : Map.of());
        SessionDescription answer = SdpParser.parse(SdpWriter.write(result.answer()));
        for (MediaDescription m : answer.media()) {
            String mid = m.mid().orElseThrow();
            assertAll("mid " + mid,
                    () -> assertTrue(m.headerExtensions().contains(HeaderExtension.of(2, HeaderExtensionUris.ABS_SEND_TIME)),
                            m.headerExtensions().toString()),
                    () -> assertTrue(m.headerExtensions().stream()
                            .noneMatch(e -> e.uri().equals(HeaderExtensionUris.TRANSPORT_WIDE_CC))),
                    () -> assertTrue(m.codecs().stream().noneMatch(c -> c.rtcpFeedback().contains("transport-cc"))),
                    () -> assertTrue(m.wildcardRtcpFeedback().isEmpty()));
        }
        MediaDescription video = answer.media("1").orElseThrow();
        assertTrue(video.codecs().stream().filter(c -> !c.isRtx())
                .allMatch(c -> c.rtcpFeedback().contains("goog-remb")), video.codecs().toString());
        for (NegotiatedMedia published : result.session().media(MediaRole.RECEIVE)) {
            assertAll("negotiated mid " + published.mid(),
                    () -> assertEquals(OptionalInt.of(2), published.headerExtensionId(HeaderExtensionUris.ABS_SEND_TIME)),
                    () -> assertEquals(OptionalInt.empty(),
                            published.headerExtensionId(HeaderExtensionUris.TRANSPORT_WIDE_CC)));
        }
        assertTrue(result.session().media(MediaRole.RECEIVE).stream().filter(m -> m.kind() == MediaKind.VIDEO)
                .allMatch(m -> m.codecs().stream().allMatch(c -> c.hasFeedback("goog-remb"))));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static SessionDescription edit(SessionDescription s, String mid, Function<MediaDescription, MediaDescription> f) {
        return s.toBuilder().media(s.media().stream().map(m -> m.mid().filter(mid::equals).isPresent() ? f.apply(m) : m)
                .toList()).build();
    }

    private static SessionDescription everyMedia(SessionDescription s, Function<MediaDescription, MediaDescription> f) {
        return s.toBuilder().media(s.media().stream().map(f).toList()).build();
    }

    private static SessionDescription everyTransport(SessionDescription s,
            Function<TransportAttributes, TransportAttributes> f) {
        return everyMedia(s, m -> m.toBuilder().transport(f.apply(m.transport())).build());
    }

    private static MediaDescription withoutCodecs(MediaDescription m, Predicate<Codec> drop) {
        List<Codec> kept = m.codecs().stream().filter(drop.negate()).toList();
        return m.toBuilder().codecs(kept).formats(kept.stream().map(c -> Integer.toString(c.payloadType())).toList()).build();
    }
}
