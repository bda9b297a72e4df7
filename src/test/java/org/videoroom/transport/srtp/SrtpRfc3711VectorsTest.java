package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import javax.crypto.Cipher;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 3711 Appendix B vectors (data in {@code vectors/rfc3711/}).
 *
 * <p>jitsi-srtp exposes its AES-CM cipher but not its key derivation, so B.2 runs through that
 * cipher directly, while B.3 is checked end to end: a {@link SrtpSession} keyed with B.3's master
 * key and salt must produce, byte for byte, the packet {@link ReferenceSrtp} builds from the
 * session keys B.3 prints. If jitsi-srtp derived any of the three keys differently, the ciphertext
 * or the tag would differ.
 */
class SrtpRfc3711VectorsTest {
    private static final VectorFile B2 = VectorFile.load("/vectors/rfc3711/b2-aes-cm-keystream.txt");
    private static final VectorFile B3 = VectorFile.load("/vectors/rfc3711/b3-key-derivation.txt");

    static Stream<Arguments> b2KeystreamBlocks() {
        return B2.fieldsStartingWith("keystream-").entrySet().stream()
                .map(e -> Arguments.of(Integer.parseInt(e.getKey().substring("keystream-".length()), 16), e.getValue()));
    }

    /** The whole B.2 segment from jitsi-srtp's AES-CM cipher (what SrtpSession's contexts use). */
    private static byte[] jitsiSegment;

    private static synchronized byte[] jitsiSegment() throws Exception {
        if (jitsiSegment == null) {
            SrtpCipherCtr cipher = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
            cipher.init(B2.bytes("session-key"), null);
            cipher.setIV(B2.bytes("session-salt"), Cipher.ENCRYPT_MODE);
            byte[] segment = new byte[B2.int32("segment-length")];
            // Keystream = the encryption of zeros.
            cipher.process(segment, 0, segment.length);
            jitsiSegment = segment;
        }
        return jitsiSegment;
    }

    @ParameterizedTest(name = "B.2 block {0}")
    @MethodSource("b2KeystreamBlocks")
    void b2AesCmKeystreamFromJitsiCipher(int block, byte[] expected) throws Exception {
        assertArrayEquals(expected, Arrays.copyOfRange(jitsiSegment(), 16 * block, 16 * block + 16));
    }

    @ParameterizedTest(name = "B.2 block {0}")
    @MethodSource("b2KeystreamBlocks")
    void b2AesCmKeystreamFromReference(int block, byte[] expected) {
        byte[] segment = ReferenceSrtp.keystream(B2.bytes("session-key"), B2.bytes("session-salt"), 16 * block + 16);

        assertArrayEquals(expected, Arrays.copyOfRange(segment, 16 * block, 16 * block + 16));
    }

    static Stream<Arguments> b3Derivations() {
        return Stream.of(
                //           label                                name           output length
                Arguments.of(ReferenceSrtp.LABEL_RTP_ENCRYPTION, "cipher-key", 16),
                Arguments.of(ReferenceSrtp.LABEL_RTP_SALT, "cipher-salt", 14),
                Arguments.of(ReferenceSrtp.LABEL_RTP_AUTH, "auth-key", 94));
    }

    @ParameterizedTest(name = "B.3 {1}")
    @MethodSource("b3Derivations")
    void b3ReferenceKeyDerivation(int label, String name, int length) {
        byte[] masterKey = B3.bytes("master-key");
        byte[] masterSalt = B3.bytes("master-salt");

        assertArrayEquals(B3.bytes("prf-input-" + name), ReferenceSrtp.prfInput(masterSalt, label), "AES-CM input");
        assertArrayEquals(B3.bytes(name), ReferenceSrtp.kdf(masterKey, masterSalt, label, length));
    }

    /** B.3's printed session keys, as RTP keys of the direction B.3's master key protects. */
    private static ReferenceSrtp.SessionKeys b3RtpSessionKeys() {
        return new ReferenceSrtp.SessionKeys(B3.bytes("cipher-key"), B3.bytes("cipher-salt"),
                Arrays.copyOf(B3.bytes("auth-key"), 20));
    }

    /** Keying material whose client write key/salt are B.3's; the server side is unrelated filler. */
    private static SrtpKeyingMaterial b3AsClientWriteKeys() {
        return new SrtpKeyingMaterial(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                B3.bytes("master-key"), new byte[16], B3.bytes("master-salt"), new byte[14]);
    }

    static Stream<Arguments> rtpPackets() {
        return Stream.of(
                // name, RTP header (V=2 X CC | M PT=96 | SEQ | TS | SSRC | CSRCs | extension), payload
                Arguments.of("first packet", "80600001 00000000 cafebabe", "abababababababababababab"),
                Arguments.of("CSRC and extension", "91e01234 0000a000 deadbeef 11111111 bede0001 10ff0000",
                        "0102030405060708"),
                Arguments.of("empty payload", "80607000 00001000 00000001", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtpPackets")
    void b3MasterKeyProtectsRtpLikeTheRfcSessionKeys(String name, String header, String payload) {
        byte[] headerBytes = hex(header);
        byte[] plain = ReferenceSrtp.concat(headerBytes, hex(payload));
        byte[] expected = ReferenceSrtp.protectRtpCm(b3RtpSessionKeys(), plain, headerBytes.length, 0);

        try (SrtpSession client = SrtpSession.forClient(b3AsClientWriteKeys(), SrtpConfig.DEFAULT);
             SrtpSession server = SrtpSession.forServer(b3AsClientWriteKeys(), SrtpConfig.DEFAULT)) {
            byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
            int protectedLength = client.encryptRtp(buf, 0, plain.length);
            assertArrayEquals(expected, Arrays.copyOf(buf, protectedLength));

            byte[] received = Arrays.copyOf(expected, expected.length);
            int plainLength = server.decryptRtp(received, 0, received.length);
            assertArrayEquals(plain, Arrays.copyOf(received, plainLength));
        }
    }

    /** RFC 3711 §3.3.1: the rollover counter steps when SEQ wraps, and enters IV and tag. */
    @Test
    void b3MasterKeyAcrossSequenceNumberWrap() {
        int[] sequenceNumbers = {0xfffe, 0xffff, 0x0000, 0x0001};
        int[] rocs = {0, 0, 1, 1};
        try (SrtpSession client = SrtpSession.forClient(b3AsClientWriteKeys(), SrtpConfig.DEFAULT);
             SrtpSession server = SrtpSession.forServer(b3AsClientWriteKeys(), SrtpConfig.DEFAULT)) {
            for (int i = 0; i < sequenceNumbers.length; i++) {
                byte[] plain = hex("8060" + String.format("%04x", sequenceNumbers[i]) + "00000000 cafebabe 0102030405");
                byte[] expected = ReferenceSrtp.protectRtpCm(b3RtpSessionKeys(), plain, 12, rocs[i]);

                byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
                int protectedLength = client.encryptRtp(buf, 0, plain.length);
                assertArrayEquals(expected, Arrays.copyOf(buf, protectedLength), "seq " + sequenceNumbers[i]);
                assertEquals(plain.length, server.decryptRtp(buf, 0, protectedLength), "seq " + sequenceNumbers[i]);
            }
        }
    }

    /** SRTCP session keys come from labels 3-5 (RFC 3711 §4.3.2); the reference KDF was checked above. */
    @Test
    void b3MasterKeyProtectsRtcp() {
        ReferenceSrtp.SessionKeys rtcpKeys = ReferenceSrtp.SessionKeys.derive(
                B3.bytes("master-key"), B3.bytes("master-salt"), true, false);
        // RR (PT=201) from SSRC cafebabe with one report block
        byte[] plain = hex("81c90007 cafebabe 11223344 00000000 00001234 00000000 00000000 00000000");
        try (SrtpSession client = SrtpSession.forClient(b3AsClientWriteKeys(), SrtpConfig.DEFAULT)) {
            for (int index = 0; index < 3; index++) {
                byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
                int protectedLength = client.encryptRtcp(buf, 0, plain.length);
                assertArrayEquals(ReferenceSrtp.protectRtcpCm(rtcpKeys, plain, index),
                        Arrays.copyOf(buf, protectedLength), "SRTCP index " + index);
            }
        }
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
