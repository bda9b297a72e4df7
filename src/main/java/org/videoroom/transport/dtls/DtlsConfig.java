package org.videoroom.transport.dtls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.videoroom.transport.srtp.SrtpProfile;

/**
 * Settings of a {@link DtlsServerTransport}.
 *
 * @param handshakeTimeout     the whole handshake, from {@link DtlsServerTransport#start()} to the
 *                             last flight, must finish within this; DTLS retransmits on its own
 *                             timer inside it (RFC 6347 §4.2.4)
 * @param mtu                  the largest datagram the handshake may send; certificate flights are
 *                             fragmented to fit. 1200 bytes leaves room for IPv6, UDP and a TURN
 *                             channel header on any sane path (browsers use about the same)
 * @param srtpProfiles         profiles to accept, most preferred first; the first one the client
 *                             also offers is chosen (RFC 5764 §4.1.1 lets the server pick)
 * @param receiveQueueCapacity datagrams buffered between {@link DtlsServerTransport#receive} and
 *                             the handshake; more are dropped (DTLS retransmits)
 */
public record DtlsConfig(Duration handshakeTimeout, int mtu, List<SrtpProfile> srtpProfiles,
                         int receiveQueueCapacity) {
    /** Smallest MTU we accept: a DTLS record header plus a useful handshake fragment. */
    public static final int MIN_MTU = 256;

    /** 30 s, 1200 bytes, GCM then AES-CM/HMAC-SHA1-80, 64 datagrams. */
    public static final DtlsConfig DEFAULT = new DtlsConfig(Duration.ofSeconds(30), 1200,
            List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80), 64);

    public DtlsConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("handshakeTimeout must be positive and under 2^31 ms: " + handshakeTimeout);
        }
        if (mtu < MIN_MTU || mtu > DtlsServerTransport.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("mtu must be in [" + MIN_MTU + ", "
                    + DtlsServerTransport.MAX_DATAGRAM_BYTES + "]: " + mtu);
        }
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty() || srtpProfiles.stream().distinct().count() != srtpProfiles.size()) {
            throw new IllegalArgumentException("srtpProfiles must be non-empty and without repeats: " + srtpProfiles);
        }
        if (receiveQueueCapacity < 1) {
            throw new IllegalArgumentException("receiveQueueCapacity must be positive: " + receiveQueueCapacity);
        }
    }

    /** This configuration with another handshake timeout. */
    public DtlsConfig withHandshakeTimeout(Duration timeout) {
        return new DtlsConfig(timeout, mtu, srtpProfiles, receiveQueueCapacity);
    }

    /** This configuration with other SRTP profiles. */
    public DtlsConfig withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsConfig(handshakeTimeout, mtu, profiles, receiveQueueCapacity);
    }
}
