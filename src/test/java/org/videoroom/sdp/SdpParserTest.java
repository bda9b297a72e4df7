package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.sdp.SdpParseException.Reason;

class SdpParserTest {

    private static final String CHROMIUM_STREAM = "206efb5f-feb9-4343-bc2b-679b26fa9c24";
    private static final Fingerprint CHROMIUM_FINGERPRINT = new Fingerprint("sha-256",
            "C7:2F:9F:DA:70:5B:CC:B4:C5:B0:9D:F7:5E:C5:17:50:B7:06:48:E6:54:83:F6:CE:D0:3C:A7:A6:40:D5:4F:D2");
    private static final Fingerprint FIREFOX_FINGERPRINT = new Fingerprint("sha-256",
            "A7:4A:6F:6C:C2:1E:46:56:32:10:C7:6E:26:50:F3:61:D3:05:83:12:97:B3:CC:3F:87:04:8B:ED:35:27:B4:C8");

    // ---- Chromium 156 ----------------------------------------------------------------------

    @Test
    void chromiumOfferSessionLevel() {
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_OFFER);
        assertAll(
                () -> assertEquals(new Origin("-", "1065954859119692187", 2, "IN", "IP4", "127.0.0.1"), offer.origin()),
                () -> assertEquals("-", offer.sessionName()),
                () -> assertEquals(List.of(Timing.UNBOUNDED), offer.timings()),
                () -> assertEquals(List.of(new Group("BUNDLE", List.of("0", "1", "2", "3"))), offer.groups()),
                () -> assertTrue(offer.extmapAllowMixed()),
                () -> assertEquals(Optional.of(new MsidSemantic("WMS", List.of(CHROMIUM_STREAM))), offer.msidSemantic()),
                () -> assertEquals(TransportAttributes.NONE, offer.transport()),
                () -> assertEquals(List.of("0", "1", "2", "3"),
                        offer.media().stream().map(m -> m.mid().orElseThrow()).toList()),
                () -> assertEquals(List.of(MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.VIDEO),
                        offer.media().stream().map(MediaDescription::kind).toList()),
                () -> assertEquals(List.of(Direction.SENDRECV, Direction.SENDRECV, Direction.RECVONLY, Direction.RECVONLY),
                        offer.media().stream().map(offer::directionOf).toList()));
    }

    @Test
    void chromiumOfferTransportIsRepeatedInEveryMediaSection() {
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_OFFER);
        for (MediaDescription m : offer.media()) {
            TransportAttributes t = m.transport();
            assertAll("mid " + m.mid().orElseThrow(),
                    () -> assertEquals(Optional.of("y02E"), t.iceUfrag()),
                    () -> assertEquals(Optional.of("Fav2GiBlO3LFT3TJYCZO2CIt"), t.icePwd()),
                    () -> assertEquals(List.of("trickle"), t.iceOptions()),
                    () -> assertEquals(List.of(CHROMIUM_FINGERPRINT), t.fingerprints()),
                    () -> assertEquals(Optional.of(Setup.ACTPASS), t.setup()),
                    () -> assertTrue(m.rtcpMux()),
                    () -> assertTrue(m.rtcpRsize()),
                    () -> assertEquals(9, m.port()),
                    () -> assertEquals(Optional.of(Connection.UNSPECIFIED), m.connection()),
                    () -> assertEquals("UDP/TLS/RTP/SAVPF", m.protocol()));
        }
    }

    @Test
    void chromiumOfferAudioSection() {
        MediaDescription audio = Captures.parse(Captures.CHROMIUM_OFFER).media(("0")).orElseThrow();
        assertAll(
                () -> assertEquals(List.of(111, 63, 9, 0, 8, 13, 110, 126), audio.payloadTypes()),
                () -> assertEquals(new Codec(111, "opus", 48000, OptionalInt.of(2), "minptime=10;useinbandfec=1",
                        List.of("transport-cc")), audio.codec(111).orElseThrow()),
                () -> assertEquals("111/111", audio.codec(63).orElseThrow().fmtp()),
                () -> assertEquals(new Codec(0, "PCMU", 8000, OptionalInt.empty(), "", List.of()),
                        audio.codec(0).orElseThrow()),
                () -> assertEquals(List.of(
                        HeaderExtension.of(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
                        HeaderExtension.of(2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
                        HeaderExtension.of(3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
                        HeaderExtension.of(4, "urn:ietf:params:rtp-hdrext:sdes:mid")), audio.headerExtensions()),
                () -> assertEquals(List.of(Msid.of(CHROMIUM_STREAM, "bf3bfef7-b665-4d7b-b7f1-efa1d4b96ed9")), audio.msids()),
                () -> assertEquals(List.of(2791869824L), audio.ssrcs()),
                () -> assertEquals(Optional.of("uuEi9sL/eQO693ge"), audio.ssrcAttribute(2791869824L, "cname")),
                () -> assertEquals(List.of(Attribute.of("rtcp", "9 IN IP4 0.0.0.0"), Attribute.of("rtcp-xr", "rcvr-rtt=all")),
                        audio.otherAttributes()));
    }

    @Test
    void chromiumOfferVideoSection() {
        MediaDescription video = Captures.parse(Captures.CHROMIUM_OFFER).media("1").orElseThrow();
        Codec vp8 = video.codec(96).orElseThrow();
        Codec rtx = video.codec(97).orElseThrow();
        Codec h264 = video.codec(102).orElseThrow();
        assertAll(
                () -> assertEquals(List.of(96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99,
                        100, 101, 118, 119, 120), video.payloadTypes()),
                () -> assertEquals(23, video.codecs().size()),
                () -> assertTrue(vp8.is("vp8", 90000)),
                () -> assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), vp8.rtcpFeedback()),
                () -> assertTrue(rtx.isRtx()),
                () -> assertEquals(OptionalInt.of(96), rtx.associatedPayloadType()),
                () -> assertEquals(Optional.of("1"), h264.parameter("packetization-mode")),
                () -> assertEquals(Optional.of("42001f"), h264.parameter("PROFILE-LEVEL-ID")),
                () -> assertEquals(14, video.headerExtension("urn:ietf:params:rtp-hdrext:toffset").orElseThrow().id()),
                () -> assertEquals(10, video.headerExtension("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id").orElseThrow().id()),
                () -> assertEquals(List.of(new SsrcGroup("FID", List.of(1968883378L, 1635379259L))), video.ssrcGroups()),
                () -> assertEquals(List.of(1968883378L, 1635379259L), video.ssrcs()));
    }

    @Test
    void chromiumGatheredOfferCarriesCandidatesInTheFirstSection() {
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_OFFER_GATHERED);
        MediaDescription first = offer.media().get(0);
        List<IceCandidate> candidates = first.transport().candidates();
        assertAll(
                () -> assertEquals(53162, first.port()),
                () -> assertEquals(Optional.of(Connection.of("127.0.0.1")), first.connection()),
                () -> assertEquals(8, candidates.size()),
                () -> assertEquals(List.of("127.0.0.1", "192.0.2.2", "::1", "fd00::2"),
                        candidates.stream().filter(IceCandidate::isUdp).map(IceCandidate::address).toList()),
                () -> assertEquals(Optional.of(IceCandidate.TcpType.ACTIVE), candidates.get(4).tcpType()),
                () -> assertFalse(first.transport().endOfCandidates()),
                () -> assertTrue(offer.media().get(1).transport().candidates().isEmpty()));
    }

    /**
     * The trickle events carry the same candidates as the gathered SDP; Chromium adds a
     * {@code ufrag} extension to the trickle form only.
     */
    @Test
    void chromiumTrickleCandidatesMatchTheGatheredOffer() {
        List<IceCandidate> trickled = trickleCandidates(Captures.CHROMIUM_CANDIDATES);
        List<IceCandidate> inSdp = Captures.parse(Captures.CHROMIUM_OFFER_GATHERED).media().get(0).transport().candidates();
        assertEquals(inSdp.size(), trickled.size());
        for (int i = 0; i < inSdp.size(); i++) {
            IceCandidate t = trickled.get(i);
            assertEquals(Optional.of("y02E"), t.ufrag());
            List<IceCandidate.Extension> withoutUfrag = t.extensions().stream().filter(e -> !e.name().equals("ufrag")).toList();
            assertEquals(inSdp.get(i), new IceCandidate(t.foundation(), t.component(), t.transport(), t.priority(),
                    t.address(), t.port(), t.type(), t.relatedAddress(), t.relatedPort(), t.tcpType(), withoutUfrag));
        }
    }

    @Test
    void chromiumReofferKeepsTheStoppedSectionWithPortZero() {
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_REOFFER_STOPPED);
        MediaDescription stopped = offer.media("2").orElseThrow();
        assertAll(
                () -> assertEquals(3, offer.origin().sessionVersion()),
                () -> assertEquals(List.of("0", "1", "3"), offer.bundleGroups().get(0).mids()),
                () -> assertEquals(0, stopped.port()),
                () -> assertTrue(stopped.isRejected()),
                () -> assertEquals(Optional.of(Direction.INACTIVE), stopped.direction()),
                () -> assertFalse(offer.media("3").orElseThrow().isRejected()));
    }

    @Test
    void chromiumSimulcastOfferHasRidsAndNoSsrcs() {
        MediaDescription video = Captures.parse(Captures.CHROMIUM_OFFER_SIMULCAST).media("1").orElseThrow();
        assertAll(
                () -> assertEquals(List.of(new Rid("q", RidDirection.SEND, Optional.empty()),
                        new Rid("h", RidDirection.SEND, Optional.empty()), new Rid("f", RidDirection.SEND, Optional.empty())),
                        video.rids()),
                () -> assertEquals(List.of("q", "h", "f"), Simulcast.firstRids(video.simulcast().orElseThrow().send())),
                () -> assertTrue(video.simulcast().orElseThrow().recv().isEmpty()),
                () -> assertTrue(video.ssrcs().isEmpty()),
                () -> assertEquals(Optional.of(Direction.SENDONLY), video.direction()));
    }

    // ---- Firefox 153 -----------------------------------------------------------------------

    @Test
    void firefoxOfferSessionLevel() {
        SessionDescription offer = Captures.parse(Captures.FIREFOX_OFFER);
        assertAll(
                () -> assertEquals("mozilla...THIS_IS_SDPARTA-99.0", offer.origin().username()),
                () -> assertEquals(Optional.empty(), offer.direction()),
                () -> assertEquals(List.of(FIREFOX_FINGERPRINT), offer.transport().fingerprints()),
                () -> assertEquals(List.of("trickle"), offer.transport().iceOptions()),
                () -> assertEquals(Optional.of(new MsidSemantic("WMS", List.of("*"))), offer.msidSemantic()),
                () -> assertFalse(offer.extmapAllowMixed()),
                () -> assertEquals(List.of("0", "1", "2", "3"), offer.bundleGroups().get(0).mids()),
                () -> assertEquals(List.of(Direction.SENDRECV, Direction.SENDRECV, Direction.RECVONLY, Direction.RECVONLY),
                        offer.media().stream().map(offer::directionOf).toList()));
    }

    /** Firefox marks every bundled section after the first bundle-only with port 0: not rejected. */
    @Test
    void firefoxBundleOnlySectionsAreNotRejected() {
        SessionDescription offer = Captures.parse(Captures.FIREFOX_OFFER);
        assertEquals(List.of(9, 0, 0, 0), offer.media().stream().map(MediaDescription::port).toList());
        assertEquals(List.of(false, true, true, true), offer.media().stream().map(MediaDescription::bundleOnly).toList());
        assertTrue(offer.media().stream().noneMatch(MediaDescription::isRejected));
    }

    @Test
    void firefoxOfferMediaSections() {
        SessionDescription offer = Captures.parse(Captures.FIREFOX_OFFER);
        MediaDescription audio = offer.media("0").orElseThrow();
        MediaDescription video = offer.media("1").orElseThrow();
        TransportAttributes videoTransport = offer.transportOf(video);
        assertAll(
                () -> assertEquals(List.of(109, 9, 0, 8, 101), audio.payloadTypes()),
                () -> assertEquals(new Codec(109, "opus", 48000, OptionalInt.of(2),
                        "maxplaybackrate=48000;stereo=1;useinbandfec=1", List.of("transport-cc")), audio.codec(109).orElseThrow()),
                () -> assertEquals(OptionalInt.of(1), audio.codec(9).orElseThrow().channels()),
                () -> assertEquals("0-15", audio.codec(101).orElseThrow().fmtp()),
                () -> assertTrue(audio.codec(101).orElseThrow().parameters().isEmpty()),
                () -> assertEquals(new HeaderExtension(2, Optional.of(Direction.RECVONLY),
                        "urn:ietf:params:rtp-hdrext:csrc-audio-level", Optional.empty()), audio.headerExtensions().get(1)),
                () -> assertTrue(audio.extmapAllowMixed()),
                () -> assertEquals(List.of(4216251460L), audio.ssrcs()),
                () -> assertEquals(List.of(120, 124, 121, 125, 99, 100, 123, 122, 119), video.payloadTypes()),
                () -> assertEquals(OptionalInt.of(120), video.codec(124).orElseThrow().associatedPayloadType()),
                () -> assertEquals(Optional.of("12288"), video.codec(120).orElseThrow().parameter("max-fs")),
                () -> assertEquals(7, video.headerExtension(
                        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01").orElseThrow().id()),
                () -> assertEquals(List.of(new SsrcGroup("FID", List.of(2869399780L, 4097839082L))), video.ssrcGroups()),
                () -> assertEquals(Optional.of("9330978b"), videoTransport.iceUfrag()),
                () -> assertEquals(Optional.of("ede48a23111e969f1d00d3d9a66de76b"), videoTransport.icePwd()),
                () -> assertEquals(List.of(FIREFOX_FINGERPRINT), videoTransport.fingerprints()),
                () -> assertEquals(Optional.of(Setup.ACTPASS), videoTransport.setup()));
    }

    @Test
    void firefoxGatheredOfferEndsItsCandidates() {
        SessionDescription offer = Captures.parse(Captures.FIREFOX_OFFER_GATHERED);
        MediaDescription first = offer.media().get(0);
        List<IceCandidate> candidates = first.transport().candidates();
        assertAll(
                () -> assertEquals(Optional.of(Direction.SENDRECV), offer.direction()),
                () -> assertEquals(4, candidates.size()),
                () -> assertTrue(first.transport().endOfCandidates()),
                () -> assertEquals(List.of(1, 1, 2, 2), candidates.stream().map(IceCandidate::component).toList()),
                () -> assertEquals("UDP", candidates.get(0).transport()),
                () -> assertEquals(trickleCandidates(Captures.FIREFOX_CANDIDATES), candidates));
    }

    @Test
    void firefoxReofferReducesTheStoppedSection() {
        SessionDescription offer = Captures.parse(Captures.FIREFOX_REOFFER_STOPPED);
        MediaDescription stopped = offer.media("2").orElseThrow();
        assertAll(
                () -> assertEquals(List.of("0"), stopped.formats()),
                () -> assertEquals(List.of(Codec.of(0, "PCMU", 8000)), stopped.codecs()),
                () -> assertTrue(stopped.isRejected()),
                () -> assertFalse(stopped.bundleOnly()),
                () -> assertEquals(Optional.of(Direction.INACTIVE), stopped.direction()),
                () -> assertEquals(List.of("0", "1", "3"), offer.bundleGroups().get(0).mids()));
    }

    @Test
    void firefoxSimulcastOfferHasRidsAndSsrcPairs() {
        MediaDescription video = Captures.parse(Captures.FIREFOX_OFFER_SIMULCAST).media("1").orElseThrow();
        assertAll(
                () -> assertEquals(List.of("q", "h", "f"), video.rids(RidDirection.SEND).stream().map(Rid::id).toList()),
                () -> assertEquals(List.of("q", "h", "f"), Simulcast.firstRids(video.simulcast().orElseThrow().send())),
                () -> assertEquals(6, video.ssrcs().size()),
                () -> assertEquals(3, video.ssrcGroups(SsrcGroup.FID).size()),
                () -> assertEquals(new HeaderExtension(9, Optional.of(Direction.SENDONLY),
                        "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", Optional.empty()),
                        video.headerExtension("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id").orElseThrow()));
    }

    // ---- tolerance -------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("allCaptures")
    void lfOnlyAndMissingFinalLineEndParseTheSame(String capture) {
        String crlf = Captures.text(capture);
        SessionDescription expected = SdpParser.parse(crlf);
        assertEquals(expected, SdpParser.parse(crlf.replace("\r\n", "\n")));
        assertEquals(expected, SdpParser.parse(crlf.strip()));
        assertEquals(expected, SdpParser.parse(crlf + "\r\n\r\n"));
    }

    @Test
    void unknownAttributesAreKeptInOrder() {
        SessionDescription s = SdpParser.parse(MINIMAL + "a=x-custom:1 2 3\r\na=x-flag\r\na=ptime:20\r\n");
        assertEquals(List.of(Attribute.of("x-custom", "1 2 3"), Attribute.flag("x-flag"), Attribute.of("ptime", "20")),
                s.media().get(0).otherAttributes());
    }

    @Test
    void descriptiveFieldsAreKept() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\ni=a session\r\nu=http://example.com/\r\n"
                + "e=a@example.com\r\np=+1 555\r\nc=IN IP4 0.0.0.0\r\nb=AS:512\r\nt=0 0\r\nr=7d 1h 0 25h\r\n"
                + "z=2882844526 -1h\r\nk=prompt\r\nm=audio 9 RTP/AVP 0\r\ni=the audio\r\nb=AS:64\r\nk=prompt\r\n";
        SessionDescription s = SdpParser.parse(sdp);
        assertAll(
                () -> assertEquals(List.of(new SdpField('i', "a session"), new SdpField('u', "http://example.com/"),
                        new SdpField('e', "a@example.com"), new SdpField('p', "+1 555"), new SdpField('z', "2882844526 -1h"),
                        new SdpField('k', "prompt")), s.fields()),
                () -> assertEquals(List.of(new Timing(0, 0, List.of("7d 1h 0 25h"))), s.timings()),
                () -> assertEquals(List.of(new Bandwidth("AS", 512)), s.bandwidths()),
                () -> assertEquals(List.of(new SdpField('i', "the audio"), new SdpField('k', "prompt")), s.media().get(0).fields()),
                () -> assertEquals(sdp, s.toSdp()));
    }

    // ---- malformed input -------------------------------------------------------------------

    /** A small valid description the malformed cases start from. */
    static final String MINIMAL = """
            v=0\r
            o=- 4611731400430051336 2 IN IP4 127.0.0.1\r
            s=-\r
            t=0 0\r
            a=group:BUNDLE 0\r
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r
            c=IN IP4 0.0.0.0\r
            a=mid:0\r
            a=rtpmap:111 opus/48000/2\r
            """;

    @Test
    void minimalDescriptionParses() {
        SessionDescription s = SdpParser.parse(MINIMAL);
        assertEquals(List.of(new Codec(111, "opus", 48000, OptionalInt.of(2), "", List.of())), s.media().get(0).codecs());
        assertEquals(MINIMAL, s.toSdp());
    }

    @Test
    void payloadAttributesOfPayloadTypesNotOnTheMLineAreDropped() {
        // As Firefox writes after setCodecPreferences: an RTX fmtp and rtcp-fb for codecs left out of the m= line.
        SessionDescription s = SdpParser.parse(MINIMAL + "a=rtpmap:96 VP8/90000\r\na=fmtp:97 apt=96\r\n"
                + "a=rtcp-fb:96 nack\r\n");
        assertEquals(List.of(new Codec(111, "opus", 48000, OptionalInt.of(2), "", List.of())), s.media().get(0).codecs());
        assertEquals(MINIMAL, s.toSdp());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                row("empty input", "", Reason.MISSING_FIELD, 0),
                row("not SDP at all", "hello world", Reason.MALFORMED_LINE, 1),
                row("first line is not v=", MINIMAL.replace("v=0\r\n", ""), Reason.MISSING_FIELD, 1),
                row("version 1", MINIMAL.replace("v=0", "v=1"), Reason.BAD_VERSION, 1),
                row("upper-case type letter", MINIMAL.replace("s=-", "S=-"), Reason.UNKNOWN_LINE_TYPE, 3),
                row("type letter RFC 8866 does not define", MINIMAL.replace("t=0 0\r\n", "t=0 0\r\nx=1\r\n"),
                        Reason.UNKNOWN_LINE_TYPE, 5),
                row("space before '='", MINIMAL.replace("s=-", "s =-"), Reason.MALFORMED_LINE, 3),
                row("origin with five fields", MINIMAL.replace(" IP4 127.0.0.1\r\ns", " IP4\r\ns"), Reason.BAD_ORIGIN, 2),
                row("origin with a non-numeric session id", MINIMAL.replace("4611731400430051336", "abc"),
                        Reason.BAD_ORIGIN, 2),
                row("origin version beyond 63 bits", MINIMAL.replace(" 2 IN", " 99999999999999999999 IN"),
                        Reason.BAD_ORIGIN, 2),
                row("no s=", MINIMAL.replace("s=-\r\n", ""), Reason.MISSING_FIELD, 5),
                row("no t=", MINIMAL.replace("t=0 0\r\n", ""), Reason.MISSING_FIELD, 5),
                row("t= before s=", MINIMAL.replace("s=-\r\nt=0 0", "t=0 0\r\ns=-"), Reason.OUT_OF_ORDER, 4),
                row("two s= lines", MINIMAL.replace("s=-", "s=-\r\ns=-"), Reason.DUPLICATE_FIELD, 4),
                row("t= not numeric", MINIMAL.replace("t=0 0", "t=now later"), Reason.BAD_TIMING, 4),
                row("r= without t=", MINIMAL.replace("s=-\r\nt=0 0", "s=-\r\nr=1d 1h 0\r\nt=0 0"), Reason.BAD_TIMING, 4),
                row("b= without a value", MINIMAL.replace("c=IN IP4 0.0.0.0", "c=IN IP4 0.0.0.0\r\nb=AS"),
                        Reason.BAD_BANDWIDTH, 8),
                row("c= with two fields", MINIMAL.replace("c=IN IP4 0.0.0.0", "c=IN IP4"), Reason.BAD_CONNECTION, 7),
                row("two c= in a media section", MINIMAL.replace("c=IN IP4 0.0.0.0", "c=IN IP4 0.0.0.0\r\nc=IN IP4 0.0.0.0"),
                        Reason.DUPLICATE_FIELD, 8),
                row("no c= anywhere", MINIMAL.replace("c=IN IP4 0.0.0.0\r\n", ""), Reason.MISSING_FIELD, 6),
                row("port beyond 65535", MINIMAL.replace("audio 9 ", "audio 70000 "), Reason.BAD_MEDIA, 6),
                row("m= without formats", MINIMAL.replace("SAVPF 111", "SAVPF"), Reason.BAD_MEDIA, 6),
                row("unknown media type", MINIMAL.replace("m=audio", "m=hologram"), Reason.BAD_MEDIA, 6),
                row("RTP payload type beyond 127", MINIMAL.replace("SAVPF 111", "SAVPF 111 200"), Reason.BAD_MEDIA, 6),
                row("attribute before c= in media", MINIMAL.replace("c=IN IP4 0.0.0.0\r\na=mid:0", "a=mid:0\r\nc=IN IP4 0.0.0.0"),
                        Reason.OUT_OF_ORDER, 8),
                row("v= inside a media section", MINIMAL + "v=0\r\n", Reason.OUT_OF_ORDER, 10),
                row("t= inside a media section", MINIMAL + "t=0 0\r\n", Reason.OUT_OF_ORDER, 10),
                row("empty attribute", MINIMAL + "a=\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("mid of 33 characters", MINIMAL.replace("a=mid:0", "a=mid:" + "m".repeat(33))
                        .replace("BUNDLE 0", "BUNDLE " + "m".repeat(33)), Reason.BAD_ATTRIBUTE, 8),
                row("attribute name with a space", MINIMAL + "a=ice ufrag:abcd\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("rtpmap without a clock rate", MINIMAL.replace("opus/48000/2", "opus"), Reason.BAD_ATTRIBUTE, 9),
                row("two rtpmaps for one payload type", MINIMAL + "a=rtpmap:111 opus/48000/2\r\n",
                        Reason.DUPLICATE_ATTRIBUTE, 10),
                row("two fmtps for one payload type", MINIMAL + "a=fmtp:111 stereo=1\r\na=fmtp:111 stereo=0\r\n",
                        Reason.DUPLICATE_ATTRIBUTE, 11),
                row("rtcp-fb without a value", MINIMAL + "a=rtcp-fb:111\r\n", Reason.BAD_ATTRIBUTE, 10),
                // Found by SdpMutationTest: a tab inside a feedback value reached the Codec record.
                row("rtcp-fb with a tab inside", MINIMAL + "a=rtcp-fb:111 ccm\tfir\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("two mids in one section", MINIMAL + "a=mid:1\r\n", Reason.DUPLICATE_ATTRIBUTE, 10),
                row("mid without a value", MINIMAL.replace("a=mid:0", "a=mid"), Reason.BAD_ATTRIBUTE, 8),
                row("two sections with one mid", MINIMAL + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n",
                        Reason.DUPLICATE_MID, 12),
                row("group naming an unknown mid", MINIMAL.replace("BUNDLE 0", "BUNDLE 0 5"), Reason.UNKNOWN_MID, 5),
                row("a flag with a value", MINIMAL + "a=rtcp-mux:yes\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("two rtcp-mux", MINIMAL + "a=rtcp-mux\r\na=rtcp-mux\r\n", Reason.DUPLICATE_ATTRIBUTE, 11),
                row("two directions", MINIMAL + "a=sendonly\r\na=recvonly\r\n", Reason.DUPLICATE_ATTRIBUTE, 11),
                row("unknown setup role", MINIMAL + "a=setup:maybe\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("ice-ufrag shorter than 4", MINIMAL + "a=ice-ufrag:ab\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("ice-pwd shorter than 22", MINIMAL + "a=ice-pwd:tooshort\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("ice-ufrag with a non-ice-char", MINIMAL + "a=ice-ufrag:ab_cd\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("two ice-ufrag", MINIMAL + "a=ice-ufrag:abcd\r\na=ice-ufrag:efgh\r\n", Reason.DUPLICATE_ATTRIBUTE, 11),
                row("fingerprint with bad hex", MINIMAL + "a=fingerprint:sha-256 ZZ:00\r\n", Reason.BAD_FINGERPRINT, 10),
                row("sha-256 fingerprint of 2 bytes", MINIMAL + "a=fingerprint:sha-256 AB:CD\r\n", Reason.BAD_FINGERPRINT, 10),
                row("candidate that is not one", MINIMAL + "a=candidate:garbage\r\n", Reason.BAD_CANDIDATE, 10),
                row("extmap id 0", MINIMAL + "a=extmap:0 urn:x\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("extmap id 300", MINIMAL + "a=extmap:300 urn:x\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("extmap with an unknown direction", MINIMAL + "a=extmap:1/sideways urn:x\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("two extmaps with one id", MINIMAL + "a=extmap:1 urn:x\r\na=extmap:1 urn:y\r\n",
                        Reason.DUPLICATE_ATTRIBUTE, 11),
                row("ssrc beyond 32 bits", MINIMAL + "a=ssrc:4294967296 cname:x\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("ssrc-group without ssrcs", MINIMAL + "a=ssrc-group:FID\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("msid without a value", MINIMAL + "a=msid:\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("rid with an unknown direction", MINIMAL + "a=rid:q sideways\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("simulcast without streams", MINIMAL + "a=simulcast:send\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("simulcast with two send lists", MINIMAL + "a=simulcast:send a send b\r\n", Reason.BAD_ATTRIBUTE, 10),
                row("NUL inside a line", MINIMAL.replace("s=-", "s=-\0"), Reason.ILLEGAL_CHARACTER, 3),
                row("bare CR inside a line", MINIMAL.replace("s=-", "s=-\rx"), Reason.ILLEGAL_CHARACTER, 3),
                row("empty line inside the description", MINIMAL.replace("s=-\r\n", "s=-\r\n\r\n"), Reason.MALFORMED_LINE, 4));
    }

    private static Arguments row(String name, String sdp, Reason reason, int line) {
        return Arguments.of(name, sdp, reason, line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedDescriptionsAreRejected(String name, String sdp, Reason reason, int line) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(sdp));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(line, e.lineNumber(), e.getMessage());
    }

    // ---- limits ----------------------------------------------------------------------------

    @Test
    void descriptionLargerThanTheSignalingMessageIsRejectedBeforeParsing() {
        String huge = MINIMAL + "a=x:" + "y".repeat(64 * 1024) + "\r\n";
        assertEquals(Reason.TOO_LARGE, assertThrows(SdpParseException.class, () -> SdpParser.parse(huge)).reason());
    }

    @Test
    void lineLimitsAreEnforced() {
        String manyLines = MINIMAL + "a=x\r\n".repeat(10);
        String longLine = MINIMAL + "a=x:" + "y".repeat(61) + "\r\n";
        String manySections = MINIMAL
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\n".repeat(2);
        SdpParseException tooMany = assertThrows(SdpParseException.class,
                () -> SdpParser.parse(manyLines, new SdpLimits(64 * 1024, 12, 4096, 256)));
        SdpParseException tooLong = assertThrows(SdpParseException.class,
                () -> SdpParser.parse(longLine, new SdpLimits(64 * 1024, 4096, 64, 256)));
        SdpParseException tooManyMedia = assertThrows(SdpParseException.class,
                () -> SdpParser.parse(manySections, new SdpLimits(64 * 1024, 4096, 4096, 2)));
        assertAll(
                () -> assertEquals(Reason.TOO_MANY_LINES, tooMany.reason()),
                () -> assertEquals(13, tooMany.lineNumber()),
                () -> assertEquals(Reason.LINE_TOO_LONG, tooLong.reason()),
                () -> assertEquals(10, tooLong.lineNumber()),
                () -> assertEquals(Reason.TOO_MANY_MEDIA_SECTIONS, tooManyMedia.reason()),
                () -> assertEquals(12, tooManyMedia.lineNumber()));
    }

    static Stream<String> allCaptures() {
        return Captures.ALL_SDP.stream();
    }

    private static final Pattern CANDIDATE_JSON = Pattern.compile("\"candidate\":\"([^\"]+)\"");

    /** The non-empty {@code candidate} strings of a capture's trickle events, parsed. */
    static List<IceCandidate> trickleCandidates(String capture) {
        Matcher m = CANDIDATE_JSON.matcher(Captures.text(capture));
        List<IceCandidate> out = new ArrayList<>();
        while (m.find()) {
            out.add(IceCandidate.parse(m.group(1)));
        }
        return out;
    }
}
