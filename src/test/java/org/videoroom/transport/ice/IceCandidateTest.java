package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IceCandidate} against RFC 8839 section 5.1 and what Chromium and Firefox actually send. */
class IceCandidateTest {

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("RFC 8839 style host",
                        "candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host",
                        new IceCandidate("1", 1, "UDP", 2130706431L, "203.0.113.141", 8998, "host", null, -1, Map.of())),
                Arguments.of("RFC 8839 style srflx with related address",
                        "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998",
                        new IceCandidate("2", 1, "UDP", 1694498815L, "192.0.2.3", 45664, "srflx", "203.0.113.141", 8998, Map.of())),
                Arguments.of("Chromium host with extensions, as an SDP line",
                        "a=candidate:1467250027 1 udp 2122260223 127.0.0.1 46243 typ host generation 0 ufrag EEtu network-id 1 network-cost 10",
                        new IceCandidate("1467250027", 1, "udp", 2122260223L, "127.0.0.1", 46243, "host", null, -1,
                                ordered("generation", "0", "ufrag", "EEtu", "network-id", "1", "network-cost", "10"))),
                Arguments.of("Chromium TCP active (port 9)",
                        "candidate:2 1 tcp 1518280447 ::1 9 typ host tcptype active generation 0",
                        new IceCandidate("2", 1, "tcp", 1518280447L, "::1", 9, "host", null, -1,
                                ordered("tcptype", "active", "generation", "0"))),
                Arguments.of("Chromium mDNS host name",
                        "candidate:3 1 udp 2122194687 4b3d7c2e-1f0a-4c5d-9e8f-0123456789ab.local 51234 typ host",
                        new IceCandidate("3", 1, "udp", 2122194687L, "4b3d7c2e-1f0a-4c5d-9e8f-0123456789ab.local", 51234,
                                "host", null, -1, Map.of())),
                Arguments.of("Firefox relay with related address",
                        "candidate:5 1 UDP 92217087 198.51.100.3 61234 typ relay raddr 203.0.113.5 rport 38721",
                        new IceCandidate("5", 1, "UDP", 92217087L, "198.51.100.3", 61234, "relay", "203.0.113.5", 38721, Map.of())),
                Arguments.of("largest priority 2^32-1 and base64 foundation",
                        "candidate:a+b/C 256 udp 4294967295 127.0.0.1 65535 typ prflx",
                        new IceCandidate("a+b/C", 256, "udp", 4294967295L, "127.0.0.1", 65535, "prflx", null, -1, Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void parsesWellFormedCandidates(String name, String text, IceCandidate expected) {
        assertEquals(expected, IceCandidate.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void roundTripsThroughTheAttributeValue(String name, String text, IceCandidate expected) {
        String value = expected.toAttributeValue();
        assertEquals(text.startsWith("a=") ? text.substring(2) : text, value);
        assertEquals(expected, IceCandidate.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "candidate:1 1 udp 2130706431 127.0.0.1 9 host",                 // no "typ"
        "candidate:1 1 udp 2130706431 127.0.0.1 9 tip host",             // "typ" misspelt
        "candidate:1 1 udp 2130706431 127.0.0.1 typ host",               // port missing
        "candidate:1 x udp 2130706431 127.0.0.1 9 typ host",             // component not a number
        "candidate:1 0 udp 2130706431 127.0.0.1 9 typ host",             // component 0
        "candidate:1 257 udp 2130706431 127.0.0.1 9 typ host",           // component above 256
        "candidate:1 1 udp 4294967296 127.0.0.1 9 typ host",             // priority above 2^32-1
        "candidate:1 1 udp 12345678901 127.0.0.1 9 typ host",            // priority longer than 10 digits
        "candidate:1 1 udp 2130706431 127.0.0.1 65536 typ host",         // port above 65535
        "candidate:1 1 udp 2130706431 127.0.0.1 -1 typ host",            // negative port
        "candidate:123456789012345678901234567890123 1 udp 1 127.0.0.1 9 typ host", // 33-char foundation
        "candidate:a-b 1 udp 1 127.0.0.1 9 typ host",                    // '-' is not an ice-char
        "candidate:1 1 udp 1 127.0.0.1 9 typ host generation",           // extension without value
        "candidate:1 1 udp 1 127.0.0.1 9 typ srflx raddr 10.0.0.1 rport x" // rport not a number
    })
    void rejectsMalformedCandidates(String text) {
        assertThrows(IceCandidateParseException.class, () -> IceCandidate.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "UDP", "Udp"})
    void transportIsCaseInsensitive(String transport) {
        assertEquals(true, IceCandidate.host("1", 1, transport, 1, "127.0.0.1", 9).isUdp());
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
