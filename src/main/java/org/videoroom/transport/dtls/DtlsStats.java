package org.videoroom.transport.dtls;

/**
 * Snapshot of a {@link DtlsServerTransport}'s counters.
 *
 * @param datagramsReceived      datagrams handed to {@link DtlsServerTransport#receive}
 * @param datagramsDropped       of those, dropped unread: queue full, larger than
 *                               {@link DtlsServerTransport#MAX_DATAGRAM_BYTES}, or after close
 * @param applicationDataIgnored application_data records decrypted after the handshake and discarded
 *                               (WebRTC sends SCTP over DTLS; this SFU has no data channels)
 */
public record DtlsStats(long datagramsReceived, long datagramsDropped, long applicationDataIgnored) {
}
