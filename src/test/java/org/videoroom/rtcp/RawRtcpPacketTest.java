package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawRtcpPacketTest {

    static Stream<Arguments> packets() {
        return Stream.of(
                // name, hex, packet type, count/FMT
                Arguments.of("APP", ""
                        + "80 cc 0002"   // V=2 subtype 0, PT=204, length 2
                        + "00000001"     // SSRC
                        + "74657374",    // name "test"
                        204, 0),
                Arguments.of("RFC 8888 congestion control feedback", ""
                        + "8b cd 0005"   // FMT=11, PT=205, length 5 (RFC 8888 §3.1)
                        + "00000001"     // SSRC of packet sender
                        + "00000002"     // SSRC of the reported stream
                        + "0001 0001"    // begin_seq 1, num_reports 1
                        + "8000 0000"    // R=1 ECN=0 ATO=0, then padding to 32 bits
                        + "12345678",    // report timestamp
                        205, 11),
                Arguments.of("XR with padding kept verbatim", ""
                        + "a0 cf 0002"   // P=1, PT=207, length 2
                        + "00000001"
                        + "00000004",    // 4 bytes of padding
                        207, 0),
                Arguments.of("unknown RTPFB FMT", "83 cd 0002 00000001 00000002", 205, 3),
                Arguments.of("unknown PSFB FMT", "85 ce 0002 00000001 00000002", 206, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void unknownPacketsAreKeptVerbatim(String name, String hex, int packetType, int count) {
        RawRtcpPacket raw = (RawRtcpPacket) Hex.parseSingle(hex);
        assertEquals(packetType, raw.packetType());
        assertEquals(count, raw.count());
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(raw.bytes()));
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(raw.marshal()));
    }

    @Test
    void isImmutable() {
        byte[] bytes = Hex.bytes("80 cc 0001 00000001");
        RawRtcpPacket raw = new RawRtcpPacket(bytes);
        bytes[4] = 9;
        assertEquals("80cc000100000001", Hex.of(raw.bytes()));
        assertNotSame(raw.bytes(), raw.bytes());
        assertEquals(new RawRtcpPacket(Hex.bytes("80 cc 0001 00000001")), raw);
        assertEquals(new RawRtcpPacket(Hex.bytes("80 cc 0001 00000001")).hashCode(), raw.hashCode());
    }

    @Test
    void rejectsAnythingButOneWholePacket() {
        assertThrows(RtcpException.class, () -> new RawRtcpPacket(Hex.bytes("80cc")));
        assertThrows(RtcpException.class, () -> new RawRtcpPacket(Hex.bytes("40 cc 0001 00000001")));
        assertThrows(RtcpException.class, () -> new RawRtcpPacket(Hex.bytes("80 cc 0002 00000001")));
    }
}
