package org.videoroom.transport.srtp;

import java.util.Optional;

/**
 * The DTLS-SRTP protection profiles this SFU supports, with the lengths each one fixes.
 *
 * <p>Identifiers are the two-octet values carried in the {@code use_srtp} extension: RFC 5764
 * §4.1.2 registers {@code SRTP_AES128_CM_HMAC_SHA1_80 = {0x00, 0x01}} and RFC 7714 §14.2 registers
 * {@code SRTP_AEAD_AES_128_GCM = {0x00, 0x07}}. The lengths come from the same sections: the
 * counter-mode profile uses a 128-bit master key, a 112-bit master salt and an 80-bit HMAC-SHA1 tag
 * for both SRTP and SRTCP; the GCM profile a 128-bit key, a 96-bit salt and a 128-bit GCM tag.
 *
 * <p>Enum order is the server's preference order: GCM first (one AES pass instead of AES plus
 * HMAC, and a tag that also covers the header), counter mode as the fallback every browser offers.
 *
 * <p>Immutable and thread-safe.
 */
public enum SrtpProfile {
    /** RFC 7714 §14.2: AES-128 in Galois/Counter Mode, 16-octet tag. */
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** RFC 5764 §4.1.2: AES-128 counter mode with an 80-bit HMAC-SHA1 tag. */
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10);

    /** Length of the SRTCP index word (E flag + 31-bit index) appended by RFC 3711 §3.4. */
    static final int SRTCP_INDEX_LENGTH = 4;

    private final int id;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int rtpAuthTagLength;
    private final int rtcpAuthTagLength;

    SrtpProfile(int id, int masterKeyLength, int masterSaltLength, int rtpAuthTagLength,
                int rtcpAuthTagLength) {
        this.id = id;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpAuthTagLength = rtpAuthTagLength;
        this.rtcpAuthTagLength = rtcpAuthTagLength;
    }

    /** The {@code SRTPProtectionProfile} value of the {@code use_srtp} extension. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt length in bytes. */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Bytes an SRTP packet grows by when protected (the authentication tag). */
    public int rtpAuthTagLength() {
        return rtpAuthTagLength;
    }

    /** Length of the SRTCP authentication tag in bytes. */
    public int rtcpAuthTagLength() {
        return rtcpAuthTagLength;
    }

    /** Bytes an SRTCP packet grows by when protected: the tag plus the 4-byte SRTCP index. */
    public int rtcpOverhead() {
        return rtcpAuthTagLength + SRTCP_INDEX_LENGTH;
    }

    /**
     * Length of the keying material to export from DTLS: RFC 5764 §4.2 takes
     * {@code 2 * (SRTPSecurityParams.master_key_len + SRTPSecurityParams.master_salt_len)} bytes.
     */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    /** The profile with this {@code use_srtp} identifier, if it is one we support. */
    public static Optional<SrtpProfile> fromId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}
