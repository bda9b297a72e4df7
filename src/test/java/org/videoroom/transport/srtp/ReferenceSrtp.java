package org.videoroom.transport.srtp;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deliberately plain, stateless SRTP written straight from the RFCs on top of the JDK's AES and
 * HMAC, used only to compute expected bytes for {@link SrtpSession}. It shares no code with
 * jitsi-srtp, and the vector tests first check it against the RFCs' own numbers before trusting it.
 * Every method allocates freely; speed is irrelevant here.
 */
final class ReferenceSrtp {
    /** RFC 3711 §4.3.1 key derivation labels. */
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private ReferenceSrtp() {
    }

    /** Session keys of one direction for one of RTP or RTCP. {@code authKey} is empty for GCM. */
    record SessionKeys(byte[] encryptionKey, byte[] salt, byte[] authKey) {
        static SessionKeys derive(byte[] masterKey, byte[] masterSalt, boolean rtcp, boolean gcm) {
            int base = rtcp ? LABEL_RTCP_ENCRYPTION : LABEL_RTP_ENCRYPTION;
            return new SessionKeys(
                    kdf(masterKey, masterSalt, base, masterKey.length),
                    kdf(masterKey, masterSalt, base + 2, masterSalt.length),
                    gcm ? new byte[0] : kdf(masterKey, masterSalt, base + 1, 20));
        }
    }

    /** The first {@code length} bytes of AES-CTR keystream from the 16-byte initial counter {@code iv}. */
    static byte[] keystream(byte[] key, byte[] iv, int length) {
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The PRF input block of RFC 3711 §4.3.1 with kdr = 0: {@code x = (label || r) XOR master_salt}
     * with r = 0, times 2^16. {@code label || r} is 7 octets aligned on the salt's last octet, so for
     * a 14-octet salt the label lands on octet 7. A 12-octet (RFC 7714) salt is used the same way,
     * left-aligned in the 14 octets with two zero octets after it (as libsrtp and pion do).
     */
    static byte[] prfInput(byte[] masterSalt, int label) {
        byte[] block = new byte[16];
        System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
        block[7] ^= (byte) label;
        return block;
    }

    /** RFC 3711 §4.3.3 AES-CM PRF: keystream from the {@link #prfInput}, truncated. */
    static byte[] kdf(byte[] masterKey, byte[] masterSalt, int label, int length) {
        return keystream(masterKey, prfInput(masterSalt, label), length);
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    static byte[] aesCmIv(byte[] sessionSalt, long ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(sessionSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /** RFC 3711 §3.1/§4.2: AES-CM over the payload, then an 80-bit HMAC-SHA1 over packet || ROC. */
    static byte[] protectRtpCm(SessionKeys keys, byte[] rtp, int headerLength, int roc) {
        long ssrc = readUint32(rtp, 8);
        long index = ((long) roc << 16) | readUint16(rtp, 2);
        byte[] out = rtp.clone();
        xor(out, headerLength, keystream(keys.encryptionKey(), aesCmIv(keys.salt(), ssrc, index),
                rtp.length - headerLength));
        byte[] tag = hmacSha1(keys.authKey(), out, uint32(roc));
        return concat(out, Arrays.copyOf(tag, 10));
    }

    /**
     * RFC 3711 §3.4: AES-CM over everything after the first 8 octets, the E flag and 31-bit SRTCP
     * index appended, then an 80-bit HMAC-SHA1 over all of that.
     */
    static byte[] protectRtcpCm(SessionKeys keys, byte[] rtcp, int srtcpIndex) {
        long ssrc = readUint32(rtcp, 4);
        byte[] out = rtcp.clone();
        xor(out, 8, keystream(keys.encryptionKey(), aesCmIv(keys.salt(), ssrc, srtcpIndex), rtcp.length - 8));
        byte[] withIndex = concat(out, uint32(0x80000000 | srtcpIndex));
        return concat(withIndex, Arrays.copyOf(hmacSha1(keys.authKey(), withIndex, new byte[0]), 10));
    }

    /** RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
    static byte[] gcmRtpIv(byte[] salt, long ssrc, int roc, int seq) {
        byte[] iv = salt.clone();
        byte[] mixed = new byte[12];
        System.arraycopy(uint32((int) ssrc), 0, mixed, 2, 4);
        System.arraycopy(uint32(roc), 0, mixed, 6, 4);
        mixed[10] = (byte) (seq >>> 8);
        mixed[11] = (byte) seq;
        xor(iv, 0, mixed);
        return iv;
    }

    /** RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || 31-bit SRTCP index) XOR salt. */
    static byte[] gcmRtcpIv(byte[] salt, long ssrc, int srtcpIndex) {
        byte[] iv = salt.clone();
        byte[] mixed = new byte[12];
        System.arraycopy(uint32((int) ssrc), 0, mixed, 2, 4);
        System.arraycopy(uint32(srtcpIndex & 0x7fffffff), 0, mixed, 8, 4);
        xor(iv, 0, mixed);
        return iv;
    }

    /** RFC 7714 §8.2: the header is the AAD, the payload the plaintext; the 16-octet tag follows. */
    static byte[] protectRtpGcm(SessionKeys keys, byte[] rtp, int headerLength, int roc) {
        byte[] iv = gcmRtpIv(keys.salt(), readUint32(rtp, 8), roc, readUint16(rtp, 2));
        byte[] header = Arrays.copyOf(rtp, headerLength);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, keys.encryptionKey(), iv, header,
                Arrays.copyOfRange(rtp, headerLength, rtp.length));
        return concat(header, sealed);
    }

    /** RFC 7714 §9.2 (E flag set): AAD = first 8 octets || E|index; the index word ends the packet. */
    static byte[] protectRtcpGcm(SessionKeys keys, byte[] rtcp, int srtcpIndex) {
        byte[] iv = gcmRtcpIv(keys.salt(), readUint32(rtcp, 4), srtcpIndex);
        byte[] header = Arrays.copyOf(rtcp, 8);
        byte[] indexWord = uint32(0x80000000 | srtcpIndex);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, keys.encryptionKey(), iv, concat(header, indexWord),
                Arrays.copyOfRange(rtcp, 8, rtcp.length));
        return concat(concat(header, sealed), indexWord);
    }

    /** RFC 7714 §9.3 (E flag clear): the whole packet || index is AAD, nothing is encrypted. */
    static byte[] tagRtcpGcm(SessionKeys keys, byte[] rtcp, int srtcpIndex) {
        byte[] iv = gcmRtcpIv(keys.salt(), readUint32(rtcp, 4), srtcpIndex);
        byte[] indexWord = uint32(srtcpIndex & 0x7fffffff);
        byte[] tag = gcm(Cipher.ENCRYPT_MODE, keys.encryptionKey(), iv, concat(rtcp, indexWord), new byte[0]);
        return concat(concat(rtcp, tag), indexWord);
    }

    /** Inverse of {@link #protectRtpGcm}, for checking decrypt direction. */
    static byte[] unprotectRtpGcm(SessionKeys keys, byte[] srtp, int headerLength, int roc) {
        byte[] iv = gcmRtpIv(keys.salt(), readUint32(srtp, 8), roc, readUint16(srtp, 2));
        byte[] header = Arrays.copyOf(srtp, headerLength);
        return concat(header, gcm(Cipher.DECRYPT_MODE, keys.encryptionKey(), iv, header,
                Arrays.copyOfRange(srtp, headerLength, srtp.length)));
    }

    private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) {
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            aes.updateAAD(aad);
            return aes.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] data, byte[] suffix) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data);
            mac.update(suffix);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void xor(byte[] target, int offset, byte[] mask) {
        for (int i = 0; i < mask.length; i++) {
            target[offset + i] ^= mask[i];
        }
    }

    private static byte[] uint32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static long readUint32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static int readUint16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
