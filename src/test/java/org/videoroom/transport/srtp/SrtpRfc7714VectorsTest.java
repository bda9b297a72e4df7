package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * RFC 7714 §16.1 and §17 AES-128-GCM vectors (data in {@code vectors/rfc7714/}).
 *
 * <p>The RFC states session keys only, and jitsi-srtp always derives session keys from a master
 * key, so the vectors cannot be fed to {@link SrtpSession} as they stand. They pin
 * {@link ReferenceSrtp}'s IV, AAD and packet layout instead, and the session is then held to the
 * reference: keyed with the RFC's key and salt as <em>master</em> key and salt, it must produce
 * exactly the bytes the reference produces from the session keys RFC 3711 §4.3 derives from them
 * (the derivation the RFC 3711 B.3 test pins).
 */
class SrtpRfc7714VectorsTest {
    private static final VectorFile RTP = VectorFile.load("/vectors/rfc7714/16-srtp-aead-aes-128-gcm.txt");
    private static final VectorFile RTCP = VectorFile.load("/vectors/rfc7714/17-srtcp-aead-aes-128-gcm.txt");
    private static final int RTP_HEADER_LENGTH = 12;
    private static final long RTP_SSRC = 0x5501a0b2L;
    private static final long RTCP_SSRC = 0x4d617273L;

    private static ReferenceSrtp.SessionKeys rfcSessionKeys(VectorFile file) {
        return new ReferenceSrtp.SessionKeys(file.bytes("key"), file.bytes("salt"), new byte[0]);
    }

    @Test
    void section16_1_1_rtpEncryption() {
        int seq = 0xf17b;

        assertArrayEquals(RTP.bytes("iv"), ReferenceSrtp.gcmRtpIv(RTP.bytes("salt"), RTP_SSRC,
                RTP.int32("rollover-counter"), seq), "§8.1 IV");
        assertArrayEquals(RTP.bytes("aad"), Arrays.copyOf(RTP.bytes("plaintext-packet"), RTP_HEADER_LENGTH), "§8.2 AAD");
        assertArrayEquals(RTP.bytes("protected-packet"), ReferenceSrtp.protectRtpGcm(rfcSessionKeys(RTP),
                RTP.bytes("plaintext-packet"), RTP_HEADER_LENGTH, RTP.int32("rollover-counter")));
    }

    @Test
    void section16_1_2_rtpDecryption() {
        assertArrayEquals(RTP.bytes("plaintext-packet"), ReferenceSrtp.unprotectRtpGcm(rfcSessionKeys(RTP),
                RTP.bytes("protected-packet"), RTP_HEADER_LENGTH, RTP.int32("rollover-counter")));
    }

    @Test
    void section17_1_rtcpEncryptionAndTagging() {
        int index = RTCP.int32("srtcp-index");

        assertArrayEquals(RTCP.bytes("iv"), ReferenceSrtp.gcmRtcpIv(RTCP.bytes("salt"), RTCP_SSRC, index), "§9.1 IV");
        assertArrayEquals(RTCP.bytes("protected-packet"),
                ReferenceSrtp.protectRtcpGcm(rfcSessionKeys(RTCP), RTCP.bytes("plaintext-packet"), index));
    }

    @Test
    void section17_3_rtcpTaggingOnly() {
        assertArrayEquals(RTCP.bytes("tagged-packet"), ReferenceSrtp.tagRtcpGcm(rfcSessionKeys(RTCP),
                RTCP.bytes("plaintext-packet"), RTCP.int32("srtcp-index")));
    }

    /** The RFC's key and salt used as the DTLS client's master key and salt. */
    private static SrtpKeyingMaterial rfcKeyAsClientMasterKey() {
        return new SrtpKeyingMaterial(SrtpProfile.SRTP_AEAD_AES_128_GCM,
                RTP.bytes("key"), new byte[16], RTP.bytes("salt"), new byte[12]);
    }

    private static ReferenceSrtp.SessionKeys derived(boolean rtcp) {
        return ReferenceSrtp.SessionKeys.derive(RTP.bytes("key"), RTP.bytes("salt"), rtcp, true);
    }

    @Test
    void sessionEncryptsRtpLikeTheReference() {
        byte[] plain = RTP.bytes("plaintext-packet");
        byte[] expected = ReferenceSrtp.protectRtpGcm(derived(false), plain, RTP_HEADER_LENGTH, 0);

        try (SrtpSession client = SrtpSession.forClient(rfcKeyAsClientMasterKey(), SrtpConfig.DEFAULT)) {
            byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
            int length = client.encryptRtp(buf, 0, plain.length);

            assertArrayEquals(expected, Arrays.copyOf(buf, length));
        }
    }

    @Test
    void sessionDecryptsRtpFromTheReference() {
        byte[] plain = RTP.bytes("plaintext-packet");
        byte[] buf = ReferenceSrtp.protectRtpGcm(derived(false), plain, RTP_HEADER_LENGTH, 0);

        try (SrtpSession server = SrtpSession.forServer(rfcKeyAsClientMasterKey(), SrtpConfig.DEFAULT)) {
            int length = server.decryptRtp(buf, 0, buf.length);

            assertArrayEquals(plain, Arrays.copyOf(buf, length));
        }
    }

    /** jitsi-srtp starts each sender SSRC at SRTCP index 0; the wire bytes must match the reference. */
    @Test
    void sessionEncryptsRtcpLikeTheReference() {
        byte[] plain = RTCP.bytes("plaintext-packet");
        try (SrtpSession client = SrtpSession.forClient(rfcKeyAsClientMasterKey(), SrtpConfig.DEFAULT)) {
            for (int index = 0; index < 2; index++) {
                byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
                int length = client.encryptRtcp(buf, 0, plain.length);

                assertArrayEquals(ReferenceSrtp.protectRtcpGcm(derived(true), plain, index),
                        Arrays.copyOf(buf, length), "SRTCP index " + index);
            }
        }
    }

    /** A receiver takes whatever index the sender is at, here the RFC's 0x5d4. */
    @Test
    void sessionDecryptsRtcpFromTheReference() {
        byte[] plain = RTCP.bytes("plaintext-packet");
        byte[] encrypted = ReferenceSrtp.protectRtcpGcm(derived(true), plain, RTCP.int32("srtcp-index"));

        try (SrtpSession server = SrtpSession.forServer(rfcKeyAsClientMasterKey(), SrtpConfig.DEFAULT)) {
            assertEquals(plain.length, server.decryptRtcp(encrypted, 0, encrypted.length));
            assertArrayEquals(plain, Arrays.copyOf(encrypted, plain.length));
        }
    }

    /**
     * §17.3's form (E flag clear) is refused with a status of its own rather than attempted:
     * jitsi-srtp 1.1-23 cannot verify it (see {@link SrtpStatus#UNSUPPORTED}).
     */
    @Test
    void sessionRefusesTagOnlyRtcp() {
        byte[] tagOnly = ReferenceSrtp.tagRtcpGcm(derived(true), RTCP.bytes("plaintext-packet"), RTCP.int32("srtcp-index"));

        try (SrtpSession server = SrtpSession.forServer(rfcKeyAsClientMasterKey(), SrtpConfig.DEFAULT)) {
            assertEquals(SrtpStatus.UNSUPPORTED, SrtpStatus.of(server.decryptRtcp(tagOnly, 0, tagOnly.length)));
        }
    }
}
