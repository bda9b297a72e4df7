package org.videoroom.transport.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The candidate pair ICE selected (RFC 8445 section 8.1.1): media flows between these two
 * transport addresses. Immutable.
 *
 * @param local our bound address and the shared (UDP or TCP) port, not the advertised address
 * @param remote the browser's address as seen on the wire
 * @param protocol UDP, or TCP for an ICE-TCP pair (one connection the browser opened to our TCP port)
 */
public record IceSelectedPair(InetSocketAddress local, InetSocketAddress remote, IceProtocol protocol) {

    public IceSelectedPair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(protocol, "protocol");
    }
}
