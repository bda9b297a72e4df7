package org.videoroom.transport.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.videoroom.sdp.IceCandidate;

/**
 * A browser stand-in for tests: an ice4j agent in the controlling role with exactly one host
 * candidate on a loopback address of our choice.
 *
 * <p>ice4j's own host harvester skips loopback interfaces, and a second single-port harvester
 * cannot be the client: it only has a socket for a remote address after that address has sent it
 * a Binding request, so it could never send the first check. Hence this small harvester, which
 * does what ice4j's host harvester does for one address.
 */
final class LoopbackPeer implements AutoCloseable {

    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final CountDownLatch completed = new CountDownLatch(1);
    private final CountDownLatch failedPair = new CountDownLatch(1);
    private final AtomicReference<IceProcessingState> lastState = new AtomicReference<>();
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private volatile Thread reader;

    LoopbackPeer(InetAddress bindAddress) throws IOException {
        agent = new Agent();
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        agent.addCandidateHarvester(new OneAddressHarvester(bindAddress));
        stream = agent.createMediaStream("media");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        agent.addStateChangeListener(this::onState);
        stream.addPairChangeListener(this::onPair);
    }

    String ufrag() {
        return agent.getLocalUfrag();
    }

    String password() {
        return agent.getLocalPassword();
    }

    /** Our single host candidate, as the server would receive it by trickle. */
    IceCandidate candidate() {
        LocalCandidate local = component.getLocalCandidates().get(0);
        return IceCandidate.udpHost(local.getFoundation(), local.getPriority(),
                local.getTransportAddress().getHostAddress(), local.getTransportAddress().getPort());
    }

    InetSocketAddress address() {
        TransportAddress a = component.getLocalCandidates().get(0).getTransportAddress();
        return new InetSocketAddress(a.getAddress(), a.getPort());
    }

    /** Points our checks at the server's candidates with the given credentials and starts ICE. */
    void connect(String remoteUfrag, String remotePassword, List<IceCandidate> remoteCandidates) {
        stream.setRemoteUfrag(remoteUfrag);
        stream.setRemotePassword(remotePassword);
        for (IceCandidate c : remoteCandidates) {
            component.addRemoteCandidate(new RemoteCandidate(
                    new TransportAddress(c.address(), c.port(), Transport.UDP),
                    component, CandidateType.HOST_CANDIDATE, c.foundation(), c.priority(), null));
        }
        agent.startConnectivityEstablishment();
    }

    boolean awaitCompleted(Duration timeout) throws InterruptedException {
        return completed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether some candidate pair of ours went to FAILED (e.g. our check got a 401). */
    boolean awaitPairFailed(Duration timeout) throws InterruptedException {
        return failedPair.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    IceProcessingState state() {
        return agent.getState();
    }

    void send(byte[] data) throws IOException {
        component.send(data, 0, data.length);
    }

    byte[] poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        agent.free();
        Thread r = reader;
        if (r != null) {
            r.interrupt();
        }
    }

    private void onState(PropertyChangeEvent event) {
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        lastState.set(state);
        if (state == IceProcessingState.COMPLETED) {
            CandidatePair pair = component.getSelectedPair();
            IceSocketWrapper socket = pair.getIceSocketWrapper();
            Thread t = new Thread(() -> readLoop(socket), "loopback-peer-reader");
            t.setDaemon(true);
            reader = t;
            t.start();
            completed.countDown();
        }
    }

    private void onPair(PropertyChangeEvent event) {
        if (IceMediaStream.PROPERTY_PAIR_STATE_CHANGED.equals(event.getPropertyName())
                && event.getNewValue() == CandidatePairState.FAILED) {
            failedPair.countDown();
        }
    }

    private void readLoop(IceSocketWrapper socket) {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!Thread.currentThread().isInterrupted()) {
            p.setData(buf, 0, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            received.add(Arrays.copyOfRange(buf, p.getOffset(), p.getOffset() + p.getLength()));
        }
    }

    /** Binds one UDP socket on one address and offers it as a host candidate. */
    private static final class OneAddressHarvester implements CandidateHarvester {
        private final InetAddress address;
        private final HarvestStatistics statistics = new HarvestStatistics();

        OneAddressHarvester(InetAddress address) {
            this.address = address;
        }

        @Override
        public Collection<LocalCandidate> harvest(Component component) {
            try {
                IceSocketWrapper socket = new IceUdpSocketWrapper(new MultiplexingDatagramSocket(0, address));
                HostCandidate candidate = new HostCandidate(socket, component, Transport.UDP);
                component.addLocalCandidate(candidate);
                // As ice4j's host harvester does: connectivity checks go through this socket.
                candidate.getStunStack().addSocket(candidate.getStunSocket(null));
                return List.of(candidate);
            } catch (IOException e) {
                throw new IllegalStateException("cannot bind " + address, e);
            }
        }

        @Override
        public HarvestStatistics getHarvestStatistics() {
            return statistics;
        }

        @Override
        public boolean isHostHarvester() {
            return true;
        }
    }
}
