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
 */
public record IceServerStats(
        int transports,
        long transportsCreated,
        long checksDroppedSourceNotAllowed,
        long checksDroppedUnknownUfrag) {
}
