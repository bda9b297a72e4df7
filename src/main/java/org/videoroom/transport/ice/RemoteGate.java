package org.videoroom.transport.ice;

import java.net.InetSocketAddress;

/**
 * Decides whether a new remote address may open a session on a shared port for the transport whose
 * local ufrag is {@code ufrag}: the one check every new UDP 5-tuple ({@link FilteringUdpHarvester})
 * and every new TCP connection ({@link FilteringTcpHarvester}) passes before an ICE agent sees it.
 *
 * <p>Called on ice4j's listener threads while transports register and unregister from others, so
 * implementations must be thread-safe; they must not block.
 */
interface RemoteGate {

    boolean admit(InetSocketAddress remote, String ufrag);
}
