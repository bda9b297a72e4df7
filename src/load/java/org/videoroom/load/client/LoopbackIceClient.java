package org.videoroom.load.client;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
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
import org.videoroom.load.ClientLink;
import org.videoroom.sdp.IceCandidate;

/**
 * A browser's ICE agent, for tests and the load tool: an ice4j agent in the controlling role with a
 * single host candidate on a loopback address (ice4j's own host harvester skips loopback). Once a pair is
 * selected, one reader thread takes every non-STUN datagram off the pair's socket and sorts it by
 * its first byte (RFC 7983 §7): DTLS records go to {@link #dtls()}, the Bouncy Castle view of the
 * pair, everything else to the {@link ClientLink.Receiver} given to {@link #start} or, until then, to a
 * queue read by {@link #pollMedia}. {@link #send} writes any bytes to the pair, which
 * is how tests put hostile datagrams on the server's 5-tuple.
 *
 * <p>Thread-safe: ice4j calls in on its own threads, the DTLS handshake on another, callers on theirs.
 */
public final class LoopbackIceClient implements ClientLink {

    private static final int MAX_DATAGRAM_BYTES = 2048;
    private static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;
    private static final long READER_JOIN_MS = 2000;

    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final CompletableFuture<Void> selected = new CompletableFuture<>();
    private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> mediaIn = new LinkedBlockingQueue<>();
    private final DatagramTransport dtls = new PairDatagramTransport();
    private volatile IceSocketWrapper pairSocket;
    private volatile InetSocketAddress pairRemote;
    private final PropertyChangeListener stateListener = this::onAgentState;
    private volatile Thread reader;
    private volatile ClientLink.Receiver receiver;

    /** Binds the host candidate on {@code address}, a loopback address the server accepts. */
    public LoopbackIceClient(InetAddress address) {
        agent = new Agent();
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        agent.addCandidateHarvester(new LoopbackHostHarvester(address));
        try {
            stream = agent.createMediaStream("bundle");
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        } catch (IOException | RuntimeException e) {
            agent.free();
            throw new IllegalStateException("cannot create the client's ICE agent", e);
        }
        agent.addStateChangeListener(stateListener);
    }

    public String ufrag() {
        return agent.getLocalUfrag();
    }

    public String password() {
        return agent.getLocalPassword();
    }

    /** Our host candidate as the browser trickles it ({@code RTCIceCandidate.candidate}). */
    public String candidate() {
        LocalCandidate local = component.getLocalCandidates().get(0);
        TransportAddress address = local.getTransportAddress();
        return IceCandidate.udpHost(local.getFoundation(), local.getPriority(), address.getHostAddress(),
                address.getPort()).format();
    }

    /** Takes the server's credentials and candidates from its answer and starts checking. */
    public void connect(String remoteUfrag, String remotePassword, List<IceCandidate> remoteCandidates) {
        stream.setRemoteUfrag(remoteUfrag);
        stream.setRemotePassword(remotePassword);
        for (IceCandidate c : remoteCandidates) {
            component.addRemoteCandidate(new RemoteCandidate(new TransportAddress(c.address(), c.port(), Transport.UDP),
                    component, CandidateType.HOST_CANDIDATE, c.foundation(), c.priority(), null));
        }
        agent.startConnectivityEstablishment();
    }

    /** Waits until ice4j selected a pair; the reader runs from then on. */
    public void awaitSelected(Duration timeout) throws Exception {
        selected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The selected pair as Bouncy Castle's datagram link; closing it leaves ICE running. */
    public DatagramTransport dtls() {
        return dtls;
    }

    /** Sends raw bytes on the selected pair. */
    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        IceSocketWrapper socket = pairSocket;
        InetSocketAddress remote = pairRemote;
        if (socket == null || remote == null) {
            throw new IOException("no selected pair yet");
        }
        socket.send(new DatagramPacket(buf, off, len, remote));
    }

    /**
     * From now on every non-DTLS datagram goes to {@code receiver} on the reader thread, in a buffer reused after
     * the call, stamped with {@link System#nanoTime()} at its read; what was queued before is dropped.
     */
    @Override
    public void start(ClientLink.Receiver receiver) {
        this.receiver = receiver;
        mediaIn.clear();
    }

    /** The next non-DTLS datagram from the server (SRTP, SRTCP), or {@code null} after the timeout. */
    public byte[] pollMedia(Duration timeout) throws InterruptedException {
        return mediaIn.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the reader thread is still running. */
    public boolean readerAlive() {
        Thread r = reader;
        return r != null && r.isAlive();
    }

    /**
     * Frees the agent (its sockets and timers): from now on no consent check is answered, as when a
     * browser tab goes away. Waits (boundedly) for the reader thread to end. Idempotent.
     */
    @Override
    public void close() {
        agent.removeStateChangeListener(stateListener);
        agent.free();
        IceSocketWrapper socket = pairSocket;
        if (socket != null) {
            socket.close();
        }
        Thread r = reader;
        if (r != null) {
            r.interrupt();
            try {
                r.join(READER_JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void onAgentState(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        if (state == IceProcessingState.COMPLETED && !selected.isDone()) {
            CandidatePair pair = component.getSelectedPair();
            TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
            IceSocketWrapper socket = pair.getIceSocketWrapper();
            pairRemote = new InetSocketAddress(remote.getAddress(), remote.getPort());
            pairSocket = socket;
            Thread t = new Thread(() -> readLoop(socket), "ice-client-reader");
            t.setDaemon(true);
            reader = t;
            t.start();
            selected.complete(null);
        } else if (state == IceProcessingState.FAILED) {
            selected.completeExceptionally(new IOException("client ICE failed"));
        }
    }

    private void readLoop(IceSocketWrapper socket) {
        byte[] buf = new byte[MAX_DATAGRAM_BYTES];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!Thread.currentThread().isInterrupted()) {
            packet.setData(buf, 0, buf.length);
            try {
                // ice4j's multiplexing socket keeps STUN (consent checks) for its own stack.
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            long arrival = System.nanoTime();
            int off = packet.getOffset();
            int len = packet.getLength();
            int first = len == 0 ? -1 : buf[off] & 0xFF;
            ClientLink.Receiver r = receiver;
            if (first >= 20 && first <= 63) {
                dtlsIn.add(Arrays.copyOfRange(buf, off, off + len));
            } else if (r != null) {
                r.onDatagram(buf, off, len, arrival);
            } else {
                mediaIn.add(Arrays.copyOfRange(buf, off, off + len));
            }
        }
    }

    /** Bouncy Castle's {@link DatagramTransport} over the selected pair. */
    private final class PairDatagramTransport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return MAX_DATAGRAM_BYTES;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                // Bouncy Castle may pass 0 for "no limit"; a short slice lets it re-check its timers.
                byte[] datagram = dtlsIn.poll(waitMillis > 0 ? waitMillis : 100, TimeUnit.MILLISECONDS);
                if (datagram == null) {
                    return -1;
                }
                int n = Math.min(len, datagram.length);
                System.arraycopy(datagram, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for DTLS");
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            LoopbackIceClient.this.send(buf, off, len);
        }

        @Override
        public void close() {
            // The ICE agent outlives the DTLS association; close() of the client ends it.
        }
    }

    /** Binds one UDP socket on a loopback address and offers it as the only host candidate. */
    private static final class LoopbackHostHarvester implements CandidateHarvester {
        private final InetAddress address;
        private final HarvestStatistics statistics = new HarvestStatistics();

        LoopbackHostHarvester(InetAddress address) {
            this.address = address;
        }

        @Override
        public Collection<LocalCandidate> harvest(Component component) {
            try {
                MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(0, address);
                // A synthetic subscriber gets every other participant's streams: room for their keyframe bursts.
                socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
                HostCandidate candidate = new HostCandidate(new IceUdpSocketWrapper(socket), component, Transport.UDP);
                component.addLocalCandidate(candidate);
                // Checks and their answers run through the STUN stack's filtered view of the socket.
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
