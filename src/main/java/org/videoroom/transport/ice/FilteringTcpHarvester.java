package org.videoroom.transport.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.TcpHarvester;

/**
 * ice4j's TCP harvester (RFC 6544 passive host candidates on one shared TCP port) with the same gate in
 * front of every new connection as {@link FilteringUdpHarvester} has in front of every new UDP address.
 *
 * <p>How the shared TCP port works in ice4j ({@code AbstractTcpListener}): one thread accepts connections
 * on every listening address, a second reads the first RFC 4571 frame of each (2-byte length, then the
 * packet), which must be a STUN Binding request; the local ufrag is taken from its USERNAME and
 * {@link #acceptSession} hands the connection to that agent's component, whose check list then treats it
 * as the socket of one candidate pair. Refusing in {@link #acceptSession} closes the connection before an
 * ICE agent ever sees it: no answer, no peer-reflexive candidate, nothing written back. (The reader
 * thread's frame and ufrag parse is the only ice4j code that touches it, as on UDP.)
 *
 * <p>Unlike the UDP harvester, ice4j would skip loopback addresses here; ours are named explicitly in the
 * configuration, so every given address is kept (see {@link #addLocalAddresses}).
 *
 * <p>Thread-safety: {@link #acceptSession} runs on ice4j's reader thread; the gate must be thread-safe.
 */
final class FilteringTcpHarvester extends TcpHarvester {

    private static final System.Logger LOG = System.getLogger(FilteringTcpHarvester.class.getName());
    /** How long {@link #close()} waits for its wake-up connection; it is local, so it is instant or refused. */
    private static final int WAKE_UP_TIMEOUT_MS = 200;

    private final RemoteGate gate;

    /**
     * Binds a listening socket on each address (all on the same port) and starts ice4j's accept and reader
     * threads.
     *
     * @param localAddresses the addresses to listen on, each with the shared TCP port (not 0)
     * @throws IOException if an address cannot be bound
     */
    FilteringTcpHarvester(List<TransportAddress> localAddresses, RemoteGate gate) throws IOException {
        super(localAddresses);
        this.gate = gate;
    }

    /** The addresses listened on, with the shared TCP port. */
    List<InetSocketAddress> boundAddresses() {
        return localAddresses.stream().map(a -> new InetSocketAddress(a.getAddress(), a.getPort())).toList();
    }

    @Override
    protected void addLocalAddresses(List<TransportAddress> transportAddresses) {
        // Runs inside the super constructor: only the super class's fields may be used here.
        localAddresses.addAll(transportAddresses);
    }

    @Override
    protected void acceptSession(Socket socket, String ufrag, DatagramPacket pushback) throws IOException {
        // The threads start inside the super constructor, so a connection can arrive before 'gate' is
        // assigned: refuse it, the browser opens another one.
        RemoteGate g = gate;
        boolean admitted;
        try {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            admitted = g != null && remote != null && g.admit(remote, ufrag);
        } catch (RuntimeException e) {
            // Thrown into ice4j, it would only be logged; refusing is the safe answer.
            admitted = false;
        }
        if (!admitted) {
            // Closed here rather than by throwing: ice4j would log every refused connection at INFO.
            socket.close();
            return;
        }
        super.acceptSession(socket, ufrag, pushback);
    }

    /**
     * Stops listening. ice4j's accept thread only notices its close flag when its selector wakes up, which
     * it does every 3 s when idle; a connection to ourselves wakes it at once, so the port is free again
     * within milliseconds (redeploys and tests bind it right after).
     */
    @Override
    public void close() {
        super.close();
        for (InetSocketAddress address : boundAddresses()) {
            try (Socket wakeUp = new Socket()) {
                wakeUp.connect(address, WAKE_UP_TIMEOUT_MS);
            } catch (IOException e) {
                // Already closed, or refused: either way the thread is not waiting on this address.
                LOG.log(System.Logger.Level.DEBUG, "no wake-up connection to {0}: {1}", address, e.toString());
            }
        }
    }
}
