package org.videoroom.transport.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The candidate pair ICE selected (RFC 8445 section 8.1.1): media flows between these two
 * transport addresses. Immutable.
 *
 * @param local our bound address and the shared port (not the advertised address)
 * @param remote the browser's address as seen on the wire
 */
public record IceSelectedPair(InetSocketAddress local, InetSocketAddress remote) {

    public IceSelectedPair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }
}
