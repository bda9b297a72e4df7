package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.sdp.IceCandidate.CandidateType;
import org.videoroom.sdp.IceCandidate.TcpType;

class IceCandidateTest {

    /** RFC 8839 §5.1 example, host candidate. */
    @Test
    void rfc8839HostExample() {
        IceCandidate c = IceCandidate.parse("candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host");
        assertAll(
                () -> assertEquals("1", c.foundation()),
                () -> assertEquals(1, c.component()),
                () -> assertEquals("UDP", c.transport()),
                () -> assertTrue(c.isUdp()),
                () -> assertEquals(2130706431L, c.priority()),
                () -> assertEquals("203.0.113.141", c.address()),
                () -> assertEquals(8998, c.port()),
                () -> assertEquals(CandidateType.HOST, c.type()),
                () -> assertEquals(Optional.empty(), c.relatedAddress()),
                () -> assertEquals(OptionalInt.empty(), c.relatedPort()),
                () -> assertEquals(List.of(), c.extensions()));
    }

    /** RFC 8839 §5.1 example, server-reflexive candidate. */
    @Test
    void rfc8839ServerReflexiveExample() {
        IceCandidate c = IceCandidate.parse(
                "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998");
        assertAll(
                () -> assertEquals(CandidateType.SRFLX, c.type()),
                () -> assertEquals(1694498815L, c.priority()),
                () -> assertEquals("192.0.2.3", c.address()),
                () -> assertEquals(45664, c.port()),
                () -> assertEquals(Optional.of("203.0.113.141"), c.relatedAddress()),
                () -> assertEquals(OptionalInt.of(8998), c.relatedPort()));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                // name, candidate, type, transport, address, port, raddr, rport, tcptype
                row("RFC 8839 host", "candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host",
                        CandidateType.HOST, "UDP", "203.0.113.141", 8998, null, -1, null),
                row("RFC 8839 srflx", "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998",
                        CandidateType.SRFLX, "UDP", "192.0.2.3", 45664, "203.0.113.141", 8998, null),
                row("peer-reflexive", "candidate:3 1 udp 1853817087 198.51.100.7 50000 typ prflx raddr 192.0.2.10 rport 50001",
                        CandidateType.PRFLX, "udp", "198.51.100.7", 50000, "192.0.2.10", 50001, null),
                row("relayed", "candidate:4 1 udp 16777215 203.0.113.5 3478 typ relay raddr 198.51.100.7 rport 50000",
                        CandidateType.RELAY, "udp", "203.0.113.5", 3478, "198.51.100.7", 50000, null),
                row("srflx with hidden base (Chromium style)",
                        "candidate:842163049 1 udp 1677729535 198.51.100.4 54400 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                        CandidateType.SRFLX, "udp", "198.51.100.4", 54400, "0.0.0.0", 0, null),
                row("Chromium 156 loopback UDP (capture)",
                        "candidate:1708180641 1 udp 2122194687 127.0.0.1 53162 typ host generation 0 ufrag y02E network-id 3 network-cost 50",
                        CandidateType.HOST, "udp", "127.0.0.1", 53162, null, -1, null),
                row("Chromium 156 TCP active (capture)",
                        "candidate:2608468021 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0 ufrag y02E network-id 3 network-cost 50",
                        CandidateType.HOST, "tcp", "127.0.0.1", 9, null, -1, TcpType.ACTIVE),
                row("Chromium 156 IPv6 loopback (capture)",
                        "candidate:1962726953 1 udp 2122267903 ::1 38532 typ host generation 0 ufrag y02E network-id 4 network-cost 50",
                        CandidateType.HOST, "udp", "::1", 38532, null, -1, null),
                row("Chromium 156 IPv6 ULA (capture)",
                        "candidate:1243019221 1 udp 2122134271 fd00::2 42467 typ host generation 0 ufrag y02E network-id 2",
                        CandidateType.HOST, "udp", "fd00::2", 42467, null, -1, null),
                row("Firefox 153 RTCP component (capture)", "candidate:0 2 UDP 2122252542 10.99.0.1 39446 typ host",
                        CandidateType.HOST, "UDP", "10.99.0.1", 39446, null, -1, null),
                row("Firefox 153 TCP active (capture)", "candidate:1 1 TCP 2105524479 10.99.0.1 9 typ host tcptype active",
                        CandidateType.HOST, "TCP", "10.99.0.1", 9, null, -1, TcpType.ACTIVE),
                row("TCP passive", "candidate:5 1 TCP 2105524479 192.0.2.1 9000 typ host tcptype passive",
                        CandidateType.HOST, "TCP", "192.0.2.1", 9000, null, -1, TcpType.PASSIVE),
                row("TCP simultaneous-open", "candidate:6 1 TCP 2105524479 192.0.2.1 9001 typ host tcptype so",
                        CandidateType.HOST, "TCP", "192.0.2.1", 9001, null, -1, TcpType.SO),
                row("IPv6 full form", "candidate:7 1 udp 2122262783 2001:db8:0:0:0:0:0:1 5000 typ host",
                        CandidateType.HOST, "udp", "2001:db8:0:0:0:0:0:1", 5000, null, -1, null),
                row("IPv4-mapped IPv6", "candidate:8 1 udp 2122262783 ::ffff:192.0.2.1 5000 typ host",
                        CandidateType.HOST, "udp", "::ffff:192.0.2.1", 5000, null, -1, null),
                row("IPv6 relay with IPv6 base",
                        "candidate:9 1 udp 16777215 2001:db8::5 3478 typ relay raddr 2001:db8::7 rport 50000",
                        CandidateType.RELAY, "udp", "2001:db8::5", 3478, "2001:db8::7", 50000, null),
                row("mDNS host name", "candidate:10 1 udp 2122260223 3c7a9d8e-1f2b-4c5d-8e9f-0a1b2c3d4e5f.local 54321 typ host generation 0",
                        CandidateType.HOST, "udp", "3c7a9d8e-1f2b-4c5d-8e9f-0a1b2c3d4e5f.local", 54321, null, -1, null),
                row("foundation of 32 ice-chars", "candidate:abcdefghijklmnopqrstuvwxyz+/0123 1 udp 1 192.0.2.1 1 typ host",
                        CandidateType.HOST, "udp", "192.0.2.1", 1, null, -1, null),
                row("largest priority", "candidate:1 256 udp 4294967295 192.0.2.1 65535 typ host",
                        CandidateType.HOST, "udp", "192.0.2.1", 65535, null, -1, null));
    }

    private static Arguments row(String name, String candidate, CandidateType type, String transport, String address,
            int port, String raddr, int rport, TcpType tcpType) {
        return Arguments.of(name, candidate, type, transport, address, port, raddr, rport, tcpType);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validCandidatesParseAndFormatBack(String name, String candidate, CandidateType type, String transport,
            String address, int port, String raddr, int rport, TcpType tcpType) {
        IceCandidate c = IceCandidate.parse(candidate);
        assertAll(
                () -> assertEquals(type, c.type()),
                () -> assertEquals(transport, c.transport()),
                () -> assertEquals(address, c.address()),
                () -> assertEquals(port, c.port()),
                () -> assertEquals(Optional.ofNullable(raddr), c.relatedAddress()),
                () -> assertEquals(rport < 0 ? OptionalInt.empty() : OptionalInt.of(rport), c.relatedPort()),
                () -> assertEquals(Optional.ofNullable(tcpType), c.tcpType()),
                () -> assertEquals(candidate, c.format()),
                () -> assertEquals(c, IceCandidate.parse(c.format())));
    }

    @Test
    void chromiumExtensionsAreKeptInOrder() {
        IceCandidate c = IceCandidate.parse(
                "candidate:2608468021 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0 ufrag y02E network-id 3 network-cost 50");
        assertAll(
                () -> assertEquals(List.of(new IceCandidate.Extension("generation", "0"), new IceCandidate.Extension("ufrag", "y02E"),
                        new IceCandidate.Extension("network-id", "3"), new IceCandidate.Extension("network-cost", "50")),
                        c.extensions()),
                () -> assertEquals(OptionalInt.of(0), c.generation()),
                () -> assertEquals(Optional.of("y02E"), c.ufrag()),
                () -> assertEquals(Optional.of("3"), c.extension("network-id")),
                () -> assertTrue(c.isTcp()),
                () -> assertFalse(c.isUdp()));
    }

    /** The grammar orders raddr before rport; the other order is still read as the same fields. */
    @Test
    void relatedAddressFieldsAreMatchedByName() {
        IceCandidate swapped = IceCandidate.parse("candidate:2 1 udp 1694498815 192.0.2.3 45664 typ srflx rport 8998 raddr 203.0.113.141");
        assertEquals(Optional.of("203.0.113.141"), swapped.relatedAddress());
        assertEquals(OptionalInt.of(8998), swapped.relatedPort());
        assertEquals(List.of(), swapped.extensions());
    }

    @ParameterizedTest
    @ValueSource(strings = {Captures.CHROMIUM_CANDIDATES, Captures.FIREFOX_CANDIDATES})
    void everyTrickledCandidateOfTheCapturesRoundTrips(String capture) {
        List<IceCandidate> candidates = SdpParserTest.trickleCandidates(capture);
        assertFalse(candidates.isEmpty());
        for (IceCandidate c : candidates) {
            assertEquals(c, IceCandidate.parse(c.format()));
        }
    }

    @Test
    void udpHostFactoryWritesWhatTheSfuAdvertises() {
        assertEquals("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
                IceCandidate.udpHost("1", 2130706431L, "127.0.0.1", 10000).format());
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @ValueSource(strings = {
            "",
            "candidate:",
            "1 1 udp 1 192.0.2.1 5000 typ host",
            "a=candidate:1 1 udp 1 192.0.2.1 5000 typ host",
            "candidate:1 1 udp 1 192.0.2.1 5000 type host",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ",
            "candidate:1 1 udp 1 192.0.2.1 5000",
            "candidate:abcdefghijklmnopqrstuvwxyz+/01234 1 udp 1 192.0.2.1 5000 typ host",
            "candidate:a_b 1 udp 1 192.0.2.1 5000 typ host",
            "candidate:1 0 udp 1 192.0.2.1 5000 typ host",
            "candidate:1 257 udp 1 192.0.2.1 5000 typ host",
            "candidate:1 x udp 1 192.0.2.1 5000 typ host",
            "candidate:1 1 udp 0 192.0.2.1 5000 typ host",
            "candidate:1 1 udp 4294967296 192.0.2.1 5000 typ host",
            "candidate:1 1 udp -5 192.0.2.1 5000 typ host",
            "candidate:1 1 udp 1 192.0.2.1 65536 typ host",
            "candidate:1 1 udp 1 999.0.2.1 5000 typ host",
            "candidate:1 1 udp 1 192.0.2 5000 typ host",
            "candidate:1 1 udp 1 fe80:::1 5000 typ host",
            "candidate:1 1 udp 1 1:2:3:4:5:6:7:8:9 5000 typ host",
            "candidate:1 1 udp 1 host_name.local 5000 typ host",
            "candidate:1 1 u(dp 1 192.0.2.1 5000 typ host",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 192.0.2.9 raddr 192.0.2.9",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 192.0.2.9 rport 70000",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr nowhere! rport 1",
            "candidate:1 1 tcp 1 192.0.2.1 5000 typ host tcptype sideways",
            "candidate:1 1 tcp 1 192.0.2.1 5000 typ host tcptype active tcptype passive",
            "candidate:1 1 udp 1 192.0.2.1 5000 typ host gen(eration 0",
    })
    void garbageIsRejected(String candidate) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> IceCandidate.parse(candidate));
        assertEquals(SdpParseException.Reason.BAD_CANDIDATE, e.reason());
        assertEquals(0, e.lineNumber());
    }

    @Test
    void aTypeNoAgentCanPairHasItsOwnReason() {
        // The grammar allows any token; ICE ignores a trickled one instead of refusing it.
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> IceCandidate.parse("candidate:1 1 udp 1 192.0.2.1 5000 typ magic"));
        assertEquals(SdpParseException.Reason.UNKNOWN_CANDIDATE_TYPE, e.reason());
    }
}
