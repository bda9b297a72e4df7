package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SrtpSessionTest {
    /** Bytes before each packet in test buffers, to check nothing is written outside it. */
    private static final int HEAD_ROOM = 10;
    private static final byte SENTINEL = (byte) 0xA5;

    private SrtpSession server;
    private SrtpSession client;

    private void open(SrtpProfile profile) {
        open(profile, SrtpConfig.DEFAULT);
    }

    private void open(SrtpProfile profile, SrtpConfig config) {
        SrtpKeyingMaterial keys = keys(profile);
        server = SrtpSession.forServer(keys, config);
        client = SrtpSession.forClient(keys, config);
    }

    @AfterEach
    void closeSessions() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static SrtpKeyingMaterial keys(SrtpProfile profile) {
        byte[] exported = new byte[profile.keyingMaterialLength()];
        new Random(profile.id()).nextBytes(exported);
        return SrtpKeyingMaterial.fromExporterOutput(profile, exported);
    }

    /** RTP with V=2, PT=111, the given SEQ and SSRC, TS = SEQ * 960, and {@code payloadLength} bytes. */
    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] packet = new byte[12 + payloadLength];
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        int ts = seq * 960;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (ts >>> (24 - 8 * i));
            packet[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < payloadLength; i++) {
            packet[12 + i] = (byte) (seq + i);
        }
        return packet;
    }

    /** A receiver report (PT=201) from {@code ssrc} with one report block. */
    static byte[] rtcp(int ssrc) {
        byte[] packet = HexFormat.of().parseHex("81c90007" + "00000000" + "11223344 00000005 00001234 00000010 00000000 00000000"
                .replace(" ", ""));
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        return packet;
    }

    /** {@code packet} at offset {@link #HEAD_ROOM}, with sentinels around it and the tail room. */
    static byte[] framed(byte[] packet) {
        byte[] buf = new byte[HEAD_ROOM + packet.length + SrtpSession.MAX_TAIL_ROOM];
        Arrays.fill(buf, SENTINEL);
        System.arraycopy(packet, 0, buf, HEAD_ROOM, packet.length);
        return buf;
    }

    static byte[] packetIn(byte[] buf, int length) {
        return Arrays.copyOfRange(buf, HEAD_ROOM, HEAD_ROOM + length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsBothWaysAcrossSequenceWrap(SrtpProfile profile) {
        open(profile);
        for (int seq : new int[] {0xfffd, 0xfffe, 0xffff, 0x0000, 0x0001, 0x0002}) {
            byte[] plain = rtp(seq, 0x11223344, 160);
            for (SrtpSession[] pair : new SrtpSession[][] {{client, server}, {server, client}}) {
                byte[] buf = framed(plain);
                int protectedLength = pair[0].encryptRtp(buf, HEAD_ROOM, plain.length);
                assertEquals(plain.length + profile.rtpAuthTagLength(), protectedLength, "seq " + seq);
                assertFalse(Arrays.equals(plain, packetIn(buf, plain.length)), "payload is encrypted");

                int plainLength = pair[1].decryptRtp(buf, HEAD_ROOM, protectedLength);
                assertEquals(plain.length, plainLength, "seq " + seq);
                assertArrayEquals(plain, packetIn(buf, plainLength), "seq " + seq);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsBothWays(SrtpProfile profile) {
        open(profile);
        byte[] plain = rtcp(0x0badcafe);
        for (int i = 0; i < 3; i++) {
            for (SrtpSession[] pair : new SrtpSession[][] {{client, server}, {server, client}}) {
                byte[] buf = framed(plain);
                int protectedLength = pair[0].encryptRtcp(buf, HEAD_ROOM, plain.length);
                assertEquals(plain.length + profile.rtcpOverhead(), protectedLength);

                int plainLength = pair[1].decryptRtcp(buf, HEAD_ROOM, protectedLength);
                assertArrayEquals(plain, packetIn(buf, plainLength));
            }
        }
    }

    /** The caller's array is the result: no copy, and nothing outside the packet is written. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void transformsInPlaceWithoutTouchingTheRestOfTheArray(SrtpProfile profile) {
        open(profile);
        byte[] plain = rtp(7, 42, 100);
        byte[] buf = framed(plain);

        int protectedLength = client.encryptRtp(buf, HEAD_ROOM, plain.length);
        assertSentinelsOutside(buf, protectedLength);
        int plainLength = server.decryptRtp(buf, HEAD_ROOM, protectedLength);
        assertArrayEquals(plain, packetIn(buf, plainLength));
        // Decrypting leaves the former tag bytes in place; everything before the packet and after
        // the protected length is still untouched.
        assertSentinelsOutside(buf, protectedLength);
    }

    private static void assertSentinelsOutside(byte[] buf, int packetLength) {
        for (int i = 0; i < buf.length; i++) {
            if (i < HEAD_ROOM || i >= HEAD_ROOM + packetLength) {
                assertEquals(SENTINEL, buf[i], "byte " + i + " outside the packet was written");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void encryptWithoutTailRoomLeavesThePacketAlone(SrtpProfile profile) {
        open(profile);
        byte[] rtp = rtp(1, 1, 20);
        byte[] rtpBuf = Arrays.copyOf(rtp, rtp.length + profile.rtpAuthTagLength() - 1);
        byte[] rtcp = rtcp(1);
        byte[] rtcpBuf = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead() - 1);

        assertEquals(SrtpStatus.NO_TAIL_ROOM, SrtpStatus.of(client.encryptRtp(rtpBuf, 0, rtp.length)));
        assertEquals(SrtpStatus.NO_TAIL_ROOM, SrtpStatus.of(client.encryptRtcp(rtcpBuf, 0, rtcp.length)));
        assertArrayEquals(rtp, Arrays.copyOf(rtpBuf, rtp.length));
        assertArrayEquals(rtcp, Arrays.copyOf(rtcpBuf, rtcp.length));
    }

    static Stream<Arguments> tamperedBytes() {
        return Stream.of(SrtpProfile.values()).flatMap(profile -> Stream.of(
                // profile, which byte of the protected RTP packet to flip
                Arguments.of(profile, "marker/payload type", 1),
                Arguments.of(profile, "sequence number", 3),
                Arguments.of(profile, "first payload byte", 12),
                Arguments.of(profile, "last tag byte", -1)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tamperedBytes")
    void tamperedRtpFailsAuthentication(SrtpProfile profile, String what, int position) {
        open(profile);
        byte[] plain = rtp(1000, 0x55667788, 50);
        byte[] buf = framed(plain);
        int length = client.encryptRtp(buf, HEAD_ROOM, plain.length);
        buf[HEAD_ROOM + (position >= 0 ? position : length + position)] ^= 0x01;

        assertEquals(SrtpStatus.AUTH_FAILED, SrtpStatus.of(server.decryptRtp(buf, HEAD_ROOM, length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedRtcpFailsAuthentication(SrtpProfile profile) {
        open(profile);
        byte[] plain = rtcp(0x01020304);
        byte[] buf = framed(plain);
        int length = client.encryptRtcp(buf, HEAD_ROOM, plain.length);
        buf[HEAD_ROOM + 9] ^= (byte) 0x80;

        assertEquals(SrtpStatus.AUTH_FAILED, SrtpStatus.of(server.decryptRtcp(buf, HEAD_ROOM, length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpIsRejected(SrtpProfile profile) {
        open(profile);
        byte[] buf = framed(rtp(500, 9, 30));
        int length = client.encryptRtp(buf, HEAD_ROOM, 42);
        byte[] copy = buf.clone();

        assertTrue(SrtpStatus.isOk(server.decryptRtp(buf, HEAD_ROOM, length)));
        assertEquals(SrtpStatus.REPLAY, SrtpStatus.of(server.decryptRtp(copy, HEAD_ROOM, length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtcpIsRejected(SrtpProfile profile) {
        open(profile);
        byte[] buf = framed(rtcp(9));
        int length = client.encryptRtcp(buf, HEAD_ROOM, rtcp(9).length);
        byte[] copy = buf.clone();

        assertTrue(SrtpStatus.isOk(server.decryptRtcp(buf, HEAD_ROOM, length)));
        assertEquals(SrtpStatus.REPLAY, SrtpStatus.of(server.decryptRtcp(copy, HEAD_ROOM, length)));
    }

    /** RFC 3711 §3.3.2: an index behind the 64-packet window cannot be checked, so it is refused. */
    @Test
    void rtpOlderThanTheReplayWindowIsRejected() {
        open(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        byte[][] sent = new byte[101][];
        int[] lengths = new int[101];
        for (int seq = 0; seq <= 100; seq++) {
            sent[seq] = framed(rtp(seq, 77, 10));
            lengths[seq] = client.encryptRtp(sent[seq], HEAD_ROOM, 22);
        }
        // Receive only the newest packet first; 100 - 64 = 36 is the oldest index the window still holds.
        assertTrue(SrtpStatus.isOk(server.decryptRtp(sent[100], HEAD_ROOM, lengths[100])));

        assertEquals(SrtpStatus.REPLAY_TOO_OLD, SrtpStatus.of(server.decryptRtp(sent[30], HEAD_ROOM, lengths[30])));
        assertTrue(SrtpStatus.isOk(server.decryptRtp(sent[40], HEAD_ROOM, lengths[40])), "late but inside the window");
    }

    static Stream<Arguments> garbageRtp() {
        return Stream.of(
                // name, bytes handed to decryptRtp, expected status
                Arguments.of("empty", "", SrtpStatus.TOO_SHORT),
                Arguments.of("one byte", "80", SrtpStatus.TOO_SHORT),
                Arguments.of("header without tag", "8060000100000000cafebabe", SrtpStatus.TOO_SHORT),
                Arguments.of("version 0", "00600001 00000000 cafebabe 00112233445566778899aabbccddeeff", SrtpStatus.INVALID_PACKET),
                Arguments.of("version 3", "c0600001 00000000 cafebabe 00112233445566778899aabbccddeeff", SrtpStatus.INVALID_PACKET),
                // CC = 15 claims 60 bytes of CSRCs
                Arguments.of("CSRC list past the end", "8f600001 00000000 cafebabe 00112233445566778899aabbccddeeff", SrtpStatus.TOO_SHORT),
                // X = 1 and an extension of 0xffff words
                Arguments.of("extension past the end", "90600001 00000000 cafebabe bedeffff 00112233445566778899aabbccddeeff", SrtpStatus.TOO_SHORT),
                Arguments.of("well-formed but forged", "80600001 00000000 cafebabe 00112233445566778899aabbccddeeff", SrtpStatus.AUTH_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbageRtp")
    void garbageRtpYieldsAStatus(String name, String hex, SrtpStatus expected) {
        for (SrtpProfile profile : SrtpProfile.values()) {
            open(profile);
            byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));

            assertEquals(expected, SrtpStatus.of(server.decryptRtp(bytes, 0, bytes.length)), profile.name());
            closeSessions();
        }
    }

    static Stream<Arguments> garbageRtcp() {
        return Stream.of(
                // name, bytes handed to decryptRtcp, expected status
                Arguments.of("empty", "", SrtpStatus.TOO_SHORT),
                Arguments.of("header and SSRC only", "81c90001 cafebabe", SrtpStatus.TOO_SHORT),
                Arguments.of("version 1", "41c90007 cafebabe 00112233445566778899aabbccddeeff 80000001", SrtpStatus.INVALID_PACKET),
                Arguments.of("forged, E flag set", "81c90007 cafebabe 00112233445566778899aabbccddeeff 80000001", SrtpStatus.AUTH_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbageRtcp")
    void garbageRtcpYieldsAStatus(String name, String hex, SrtpStatus expected) {
        for (SrtpProfile profile : SrtpProfile.values()) {
            open(profile);
            byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));

            assertEquals(expected, SrtpStatus.of(server.decryptRtcp(bytes, 0, bytes.length)), profile.name());
            closeSessions();
        }
    }

    /** Random bytes at every length up to 200, as RTP and RTCP, never escape as an exception. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomBytesNeverThrow(SrtpProfile profile) {
        open(profile);
        Random random = new Random(3711);
        for (int length = 0; length <= 200; length++) {
            byte[] bytes = new byte[length + SrtpSession.MAX_TAIL_ROOM];
            random.nextBytes(bytes);
            bytes[0] = (byte) (0x80 | (bytes[0] & 0x3f)); // version 2, so the crypto is reached
            assertTrue(server.decryptRtp(bytes.clone(), 0, length) < 0);
            assertTrue(server.decryptRtcp(bytes.clone(), 0, length) < 0);
            server.encryptRtp(bytes.clone(), 0, length);
            server.encryptRtcp(bytes.clone(), 0, length);
        }
    }

    /** Forged packets under new SSRCs must not leave contexts behind (the jvb rule). */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void decryptContextIsKeptOnlyAfterAuthentication(SrtpProfile profile) {
        open(profile);
        for (int ssrc = 1; ssrc <= 50; ssrc++) {
            byte[] forged = framed(rtp(1, ssrc, 40));
            assertEquals(SrtpStatus.AUTH_FAILED, SrtpStatus.of(server.decryptRtp(forged, HEAD_ROOM, 52 + profile.rtpAuthTagLength())));
        }
        assertEquals(0, server.stats().rtpDecrypt().contexts());

        byte[] genuine = framed(rtp(1, 12345, 40));
        int length = client.encryptRtp(genuine, HEAD_ROOM, 52);
        assertTrue(SrtpStatus.isOk(server.decryptRtp(genuine, HEAD_ROOM, length)));
        assertEquals(1, server.stats().rtpDecrypt().contexts());
    }

    @Test
    void contextTablesAreBounded() {
        open(SrtpProfile.SRTP_AEAD_AES_128_GCM, new SrtpConfig(4));
        for (int ssrc = 1; ssrc <= 10; ssrc++) {
            byte[] buf = framed(rtp(1, ssrc, 10));
            int length = client.encryptRtp(buf, HEAD_ROOM, 22);
            assertTrue(SrtpStatus.isOk(server.decryptRtp(buf, HEAD_ROOM, length)));
        }

        assertEquals(4, client.stats().rtpEncrypt().contexts());
        assertEquals(6, client.stats().rtpEncrypt().contextsEvicted());
        assertEquals(4, server.stats().rtpDecrypt().contexts());
        assertEquals(6, server.stats().rtpDecrypt().contextsEvicted());
    }

    @Test
    void removeSsrcForgetsItsContexts() {
        open(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        byte[] buf = framed(rtp(1, 99, 10));
        server.encryptRtp(buf, HEAD_ROOM, 22);
        assertEquals(1, server.stats().rtpEncrypt().contexts());

        server.removeSsrc(99);

        assertEquals(0, server.stats().rtpEncrypt().contexts());
    }

    @Test
    void statsCountOutcomes() {
        open(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        byte[] buf = framed(rtp(1, 5, 10));
        int length = client.encryptRtp(buf, HEAD_ROOM, 22);
        byte[] replay = buf.clone();
        server.decryptRtp(buf, HEAD_ROOM, length);
        server.decryptRtp(replay, HEAD_ROOM, length);
        server.decryptRtp(new byte[3], 0, 3);

        SrtpStats.Direction decrypt = server.stats().rtpDecrypt();
        assertEquals(1, decrypt.count(SrtpStatus.OK));
        assertEquals(1, decrypt.count(SrtpStatus.REPLAY));
        assertEquals(1, decrypt.count(SrtpStatus.TOO_SHORT));
        assertEquals(1, client.stats().rtpEncrypt().count(SrtpStatus.OK));
    }

    @Test
    void closedSessionRefusesPacketsAndCloseIsIdempotent() {
        open(SrtpProfile.SRTP_AEAD_AES_128_GCM);
        client.close();
        client.close();

        byte[] buf = framed(rtp(1, 1, 10));
        assertEquals(SrtpStatus.CLOSED, SrtpStatus.of(client.encryptRtp(buf, HEAD_ROOM, 22)));
        assertEquals(SrtpStatus.CLOSED, SrtpStatus.of(client.encryptRtcp(framed(rtcp(1)), HEAD_ROOM, 32)));
    }

    @Test
    void warmUpIsRepeatableAndLeavesSessionsWorking() {
        SrtpSession.warmUp();
        SrtpSession.warmUp();
        open(SrtpProfile.SRTP_AEAD_AES_128_GCM);

        byte[] buf = framed(rtp(1, 1, 10));
        assertTrue(SrtpStatus.isOk(server.decryptRtp(buf, HEAD_ROOM, client.encryptRtp(buf, HEAD_ROOM, 22))));
    }

    @Test
    void sessionsOfDifferentKeysDoNotInteroperate() {
        SrtpProfile profile = SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80;
        open(profile);
        byte[] other = new byte[profile.keyingMaterialLength()];
        new Random(-1).nextBytes(other); // keys(profile) seeds with the profile id
        try (SrtpSession stranger = SrtpSession.forServer(SrtpKeyingMaterial.fromExporterOutput(profile, other),
                SrtpConfig.DEFAULT)) {
            byte[] buf = framed(rtp(1, 1, 10));
            int length = client.encryptRtp(buf, HEAD_ROOM, 22);

            assertNotEquals(SrtpStatus.OK, SrtpStatus.of(stranger.decryptRtp(buf, HEAD_ROOM, length)));
        }
    }
}
