package org.videoroom.transport.ice;

/**
 * A snapshot of the shared port's counters. Immutable.
 *
 * @param transports transports currently registered (open)
 * @param transportsCreated transports created since start
 * @param checksDroppedSourceNotAllowed STUN Binding requests from a source outside the allowed
 *        networks, dropped before ice4j processed them (whatever their ufrag)
 * @param checksDroppedUnknownUfrag STUN Binding requests from an allowed source whose USERNAME
 *        names no open transport
 * @param failedChecks transports that failed because no candidate pair succeeded
 *        ({@link IceFailureReason#CHECKS_FAILED})
 * @param failedConnectTimeout transports that selected no pair in time ({@link IceFailureReason#CONNECT_TIMEOUT})
 * @param failedServerClosed transports still connecting or connected when the server closed
 *        ({@link IceFailureReason#SERVER_CLOSED})
 * @param consentExpired connected transports whose peer stopped answering consent checks (RFC 7675)
 * @param selectedUdp transports that connected on a UDP pair
 * @param selectedTcp transports that connected on an ICE-TCP pair (RFC 6544): browsers whose UDP did not
 *        get through, since browsers prefer UDP candidates
 */
public record IceServerStats(
        int transports,
        long transportsCreated,
        long checksDroppedSourceNotAllowed,
        long checksDroppedUnknownUfrag,
        long failedChecks,
        long failedConnectTimeout,
        long failedServerClosed,
        long consentExpired,
        long selectedUdp,
        long selectedTcp) {
}
