package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdpWriterTest {

    static List<String> allCaptures() {
        return Captures.ALL_SDP;
    }

    @ParameterizedTest
    @MethodSource("allCaptures")
    void parseWriteParseIsTheIdentity(String capture) {
        SessionDescription parsed = Captures.parse(capture);
        String written = parsed.toSdp();
        SessionDescription reparsed = SdpParser.parse(written);
        assertEquals(parsed, reparsed);
        assertEquals(written, reparsed.toSdp());
    }

    /**
     * Nothing is lost or invented: the written description holds exactly the browser's lines, only
     * reordered within a level. Chromium's {@code a=msid-semantic: WMS} (space after the colon) is
     * the one line written differently.
     */
    @ParameterizedTest
    @MethodSource("allCaptures")
    void writtenLinesAreTheCapturedLines(String capture) {
        String original = Captures.text(capture);
        String written = Captures.parse(capture).toSdp();
        assertEquals(sortedLines(original.replace("a=msid-semantic: ", "a=msid-semantic:")), sortedLines(written));
    }

    @ParameterizedTest
    @MethodSource("allCaptures")
    void everyLineEndsWithCrlf(String capture) {
        String written = Captures.parse(capture).toSdp();
        assertTrue(written.endsWith("\r\n"));
        assertEquals(written.split("\n", -1).length - 1, written.split("\r\n", -1).length - 1);
    }

    /** RFC 8866 §5 order within each m= section: m, i, c, b, k, then attributes. */
    @Test
    void fieldsComeInRfcOrder() {
        MediaDescription m = MediaDescription.builder(MediaKind.AUDIO)
                .formats(List.of("111"))
                .addOtherAttribute(Attribute.of("ptime", "20"))
                .addBandwidth(new Bandwidth("AS", 64))
                .connection(Connection.UNSPECIFIED)
                .addField(new SdpField('k', "prompt"))
                .addField(new SdpField('i', "voice"))
                .mid("a")
                .addCodec(new Codec(111, "opus", 48000, OptionalInt.of(2), "useinbandfec=1", List.of("transport-cc")))
                .build();
        SessionDescription s = SessionDescription.builder(Origin.jsep(7, 1))
                .addGroup(new Group(Group.BUNDLE, List.of("a")))
                .addMedia(m)
                .build();
        assertEquals("""
                v=0\r
                o=- 7 1 IN IP4 127.0.0.1\r
                s=-\r
                t=0 0\r
                a=group:BUNDLE a\r
                m=audio 9 UDP/TLS/RTP/SAVPF 111\r
                i=voice\r
                c=IN IP4 0.0.0.0\r
                b=AS:64\r
                k=prompt\r
                a=mid:a\r
                a=rtpmap:111 opus/48000/2\r
                a=rtcp-fb:111 transport-cc\r
                a=fmtp:111 useinbandfec=1\r
                a=ptime:20\r
                """, s.toSdp());
    }

    @Test
    void transportAttributesAndCandidatesAreWritten() {
        IceCandidate host = IceCandidate.udpHost("1", 2130706431L, "127.0.0.1", 10000);
        TransportAttributes t = new TransportAttributes(Optional.of("abcd"), Optional.of("0123456789012345678901"),
                List.of("trickle"), List.of(Fingerprint.of("sha-256", new byte[32])), Optional.of(Setup.PASSIVE),
                List.of(host), true);
        MediaDescription m = MediaDescription.builder(MediaKind.VIDEO).formats(List.of("96")).port(10000)
                .connection(Connection.of("127.0.0.1")).transport(t).mid("0").direction(Direction.SENDONLY)
                .rtcpMux(true).build();
        String sdp = SessionDescription.builder(Origin.jsep(1, 1)).addMedia(m).build().toSdp();
        String media = sdp.substring(sdp.indexOf("m="));
        assertEquals("""
                m=video 10000 UDP/TLS/RTP/SAVPF 96\r
                c=IN IP4 127.0.0.1\r
                a=ice-ufrag:abcd\r
                a=ice-pwd:0123456789012345678901\r
                a=ice-options:trickle\r
                a=fingerprint:sha-256 00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\r
                a=setup:passive\r
                a=mid:0\r
                a=sendonly\r
                a=rtcp-mux\r
                a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r
                a=end-of-candidates\r
                """, media);
    }

    private static List<String> sortedLines(String sdp) {
        List<String> lines = new ArrayList<>(List.of(sdp.split("\r\n")));
        lines.sort(null);
        return lines;
    }
}
