package org.videoroom.transport.ice;

/**
 * A snapshot of one transport's counters. The first four are the W3C {@code RTCTransportStats}
 * fields of the same names; the rest explain where datagrams were dropped. Immutable.
 *
 * @param state the state when the snapshot was taken
 * @param packetsReceived non-STUN datagrams delivered to {@link IceTransport.Listener#onPacket}
 * @param bytesReceived their UDP payload bytes
 * @param packetsSent datagrams handed to the socket by {@link IceTransport#send}
 * @param bytesSent their UDP payload bytes
 * @param packetsDroppedSourceNotAllowed connectivity checks carrying our ufrag that came from a
 *        source outside the allowed networks and were dropped before ice4j saw them
 * @param packetsDroppedNotConnected sends attempted before a pair was selected
 * @param packetsDroppedClosed sends attempted after close or failure
 * @param sendErrors sends the socket refused
 * @param listenerErrors exceptions thrown by {@link IceTransport.Listener#onPacket}
 * @param remoteCandidatesAccepted remote candidates accepted
 * @param remoteCandidatesIgnored remote candidates ignored (wrong transport, address, component...)
 * @param receivedDropped datagrams ice4j handed over that were not delivered: the reader was too far behind
 *        (its queue full), they came from a remote address other than the selected pair's, or after close
 * @param pairSwitches times the browser moved to another nominated pair after the first and we followed
 */
public record IceTransportStats(
        IceTransportState state,
        long packetsReceived,
        long bytesReceived,
        long packetsSent,
        long bytesSent,
        long packetsDroppedSourceNotAllowed,
        long packetsDroppedNotConnected,
        long packetsDroppedClosed,
        long sendErrors,
        long listenerErrors,
        long remoteCandidatesAccepted,
        long remoteCandidatesIgnored,
        long receivedDropped,
        long pairSwitches) {
}
