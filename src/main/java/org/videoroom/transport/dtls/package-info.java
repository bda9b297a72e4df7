/**
 * The DTLS server role of DTLS-SRTP (RFC 5764) for WebRTC peers, on Bouncy Castle's DTLS; the
 * only package that may import {@code org.bouncycastle}.
 *
 * <p>{@link org.videoroom.transport.dtls.DtlsCertificate} is the SFU's identity (its
 * fingerprint goes into SDP), the SDP's
 * {@link org.videoroom.sdp.Fingerprint} the value both ends check certificates against (one
 * type for SDP and DTLS; which hash functions a handshake accepts is decided here), and {@link org.videoroom.transport.dtls.DtlsServerTransport} one
 * participant's handshake, which ends in {@link org.videoroom.transport.srtp.SrtpKeyingMaterial}.
 */
package org.videoroom.transport.dtls;
