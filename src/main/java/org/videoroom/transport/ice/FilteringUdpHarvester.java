package org.videoroom.transport.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * ice4j's single-port harvester with a gate in front of every new remote address.
 *
 * <p>How the single port works in ice4j ({@code AbstractUdpListener}): one thread reads the shared
 * socket. A datagram from a remote address that already has a session goes straight to that
 * session's socket. A datagram from any other address is dropped unless it is a STUN Binding
 * request, in which case the local ufrag is taken from its USERNAME and
 * {@link #maybeAcceptNewSession} decides whether to open a session for that address; only then
 * does an ICE agent ever see it. Refusing here therefore drops every datagram from a
 * non-allowed source before ICE processes it: no session, no answer, no peer-reflexive candidate,
 * and nothing sent back to that address. (The listener thread's ufrag extraction, a plain
 * parse, is the only ice4j code that touches such a datagram.)
 *
 * <p>Thread-safety: {@link #maybeAcceptNewSession} runs only on ice4j's listener thread; the gate
 * must be thread-safe because transports register and unregister from other threads.
 */
final class FilteringUdpHarvester extends SinglePortUdpHarvester {

    private final RemoteGate gate;

    /**
     * Binds the shared socket and starts ice4j's listener thread.
     *
     * @throws IOException if the address cannot be bound
     */
    FilteringUdpHarvester(TransportAddress localAddress, RemoteGate gate) throws IOException {
        super(localAddress);
        this.gate = gate;
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        // The listener thread starts inside the super constructor, so a datagram can arrive before
        // 'gate' is assigned: drop it, the browser retransmits its checks.
        RemoteGate g = gate;
        if (g == null) {
            return null;
        }
        boolean admitted;
        try {
            admitted = g.admit(remoteAddress, ufrag);
        } catch (RuntimeException e) {
            // An exception here would end ice4j's only reader thread for the port.
            admitted = false;
        }
        return admitted ? super.maybeAcceptNewSession(buf, remoteAddress, ufrag) : null;
    }
}
