/**
 * SRTP and SRTCP protection (RFC 3711, AES-GCM per RFC 7714) for one participant's transport,
 * wrapping jitsi-srtp; the only package that may import {@code org.jitsi.srtp}.
 *
 * <p>{@link org.videoroom.transport.srtp.SrtpKeyingMaterial} carries the master keys DTLS
 * exported (RFC 5764 §4.2); {@link org.videoroom.transport.srtp.SrtpSession} turns them into the
 * four in-place transforms of the packet path, which report {@link
 * org.videoroom.transport.srtp.SrtpStatus} values instead of throwing.
 */
package org.videoroom.transport.srtp;
