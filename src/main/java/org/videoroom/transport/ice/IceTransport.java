package org.videoroom.transport.ice;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.util.Buffer;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.SdpParseException;

/**
 * The ICE side of one participant: an ice4j agent in the controlled role (RFC 8445 section 6.1.1;
 * the browser offers and controls) whose only local candidates are the {@link IceServer}'s shared
 * port, one per bound address.
 *
 * <p>Use: put {@link #localUfrag()}, {@link #localPassword()} and {@link #localCandidates()} in the
 * SDP answer; call {@link #start} with the browser's ufrag and password from its offer; feed
 * trickled candidates to {@link #addRemoteCandidate} and {@link #endOfRemoteCandidates} (they
 * are validated and recorded; the browser's own checks make the connection). When a pair
 * is selected, {@link Listener#onIceConnected} fires and every non-STUN datagram on that pair
 * (DTLS, SRTP, SRTCP) reaches {@link Listener#onPacket}; {@link #send} writes to the pair.
 * Consent freshness (RFC 7675) runs on the selected pair: ice4j sends the checks, and if no check
 * is answered for {@link IceConfig#consentTimeout()} the transport fails with
 * {@link Listener#onIceConsentExpired}. After any terminal callback the owner should
 * {@link #close()} the transport, which frees the agent and its ufrag on the shared port.
 *
 * <p>On an ICE-TCP pair (RFC 6544) the same two paths work on the one TCP connection the browser opened:
 * ice4j's socket wrapper reads and writes RFC 4571 frames (a 2-byte length before each packet), so
 * {@link #send} and the reader thread still see one packet per call. ice4j copies each sent packet once to
 * prefix its length, and a send blocks while the connection's send buffer is full (TCP has no drop).
 *
 * <p>Threads: {@link Listener#onPacket} runs on this transport's own reader thread, started when
 * the pair is selected. The other callbacks run on the event executor given to
 * {@link IceServer#createTransport}, each at most once, and at most one of {@code onIceFailed} and
 * {@code onIceConsentExpired}. Every method is thread-safe. {@link #send} takes no lock and
 * allocates nothing of its own (it reuses a per-thread packet); below it, ice4j's socket and the
 * JDK's datagram channel do their usual work. Received datagrams land in one array per transport,
 * reused for every datagram.
 */
public final class IceTransport implements AutoCloseable {

    /**
     * Remote candidates kept per transport. A browser signals one per interface and protocol (a dozen on a busy
     * laptop); beyond this they are counted and ignored, so a client cannot grow the set without bound.
     */
    public static final int MAX_REMOTE_CANDIDATES = 64;

    /** Receives one transport's events. Implementations must not block. */
    public interface Listener {

        /** A candidate pair was selected; {@link IceTransport#send} works from now on. */
        void onIceConnected(IceSelectedPair selectedPair);

        /** No pair could be selected. Terminal. */
        void onIceFailed(IceFailureReason reason);

        /** The peer stopped answering consent checks (RFC 7675 section 5.1). Terminal. */
        void onIceConsentExpired();

        /**
         * One non-STUN datagram received on the selected pair at {@code arrivalNanos} (the
         * {@link System#nanoTime()} of the socket read). The array is reused for the next datagram
         * as soon as this returns: process or copy the bytes before returning.
         */
        void onPacket(byte[] buf, int off, int len, long arrivalNanos);
    }

    private static final System.Logger LOG = System.getLogger(IceTransport.class.getName());

    /**
     * ice4j's listener hands over at most 1472 bytes (1500-byte MTU minus IPv4 and UDP headers); over TCP the
     * browser frames the same packets it would send as datagrams, so they fit too.
     */
    private static final int RECEIVE_BUFFER_BYTES = 1500;
    /**
     * Datagrams ice4j pushed that the reader has not taken yet: about 250 ms of a 4 Mbit/s publisher. Beyond it
     * the reader is hopelessly behind and datagrams are dropped (counted) rather than queued without bound.
     */
    static final int INBOUND_CAPACITY = 512;
    private static final long INBOUND_POLL_MS = 100;
    private static final String STREAM_NAME = "media";
    /** The only component a BUNDLEd, rtcp-muxed WebRTC session uses (RFC 8843, RFC 5761). */
    private static final int RTP_COMPONENT = 1;
    /** Below UDP host (126) and server-reflexive (100) candidates: TCP only where UDP fails. */
    private static final long TCP_HOST_TYPE_PREFERENCE = 90;
    /** RFC 6544 section 4.2, host candidates: active 6, passive 4, simultaneous-open 2. */
    private static final long TCP_DIRECTION_PASSIVE = 4;
    private static final long MIN_WATCHDOG_PERIOD_MS = 20;
    private static final long MAX_WATCHDOG_PERIOD_MS = 1000;

    // Passed in.
    private final IceServer server;
    private final String id;
    private final Listener listener;
    private final Executor eventExecutor;

    // Created here.
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final List<IceCandidate> localCandidates;
    private final PropertyChangeListener agentStateListener = this::onAgentStateChange;
    private final PropertyChangeListener pairListener = this::onPairChange;
    private final AtomicReference<IceTransportState> state = new AtomicReference<>(IceTransportState.NEW);
    private final long consentTimeoutNanos;
    /** Filled by ice4j's listener thread (push API), drained by the reader thread. */
    private final ArrayBlockingQueue<Buffer> inbound = new ArrayBlockingQueue<>(INBOUND_CAPACITY);

    /**
     * Guards the control-plane fields below and lifecycle transitions. Never held while calling
     * into ice4j or doing I/O: ice4j calls us back from its own threads while holding its locks.
     */
    private final Object lock = new Object();
    private final Set<String> remoteCandidateKeys = new HashSet<>();
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private boolean started;
    private boolean endOfRemoteCandidates;
    private ScheduledFuture<?> connectTimeoutTask;
    private ScheduledFuture<?> consentWatchdogTask;

    // Set once when the pair is selected; read by send() and the reader thread.
    private volatile IceSocketWrapper pairSocket;
    private volatile InetSocketAddress pairRemote;
    private volatile IceSelectedPair selectedPair;
    private volatile long lastConsentNanos;

    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder packetsDroppedSourceNotAllowed = new LongAdder();
    private final LongAdder packetsDroppedNotConnected = new LongAdder();
    private final LongAdder packetsDroppedClosed = new LongAdder();
    private final LongAdder receivedDropped = new LongAdder();
    private final LongAdder pairSwitches = new LongAdder();
    /** TCP sockets a feeder reads; under {@link #lock}. */
    private final Set<IceSocketWrapper> fedSockets = new HashSet<>();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();
    private final LongAdder remoteCandidatesAccepted = new LongAdder();
    private final LongAdder remoteCandidatesIgnored = new LongAdder();

    /** Created by {@link IceServer#createTransport}; harvests the shared-port candidates. */
    IceTransport(IceServer server, String id, Listener listener, Executor eventExecutor) {
        this.server = server;
        this.id = Objects.requireNonNull(id, "id");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.eventExecutor = Objects.requireNonNull(eventExecutor, "eventExecutor");
        this.consentTimeoutNanos = server.config().consentTimeout().toNanos();

        Agent newAgent = new Agent();
        try {
            newAgent.setControlling(false);
            // Never let ice4j's host harvester bind every interface: our only candidates are the
            // shared port's, added as host harvesters below.
            newAgent.setUseDynamicPorts(false);
            newAgent.setPerformConsentFreshness(true);
            for (FilteringUdpHarvester harvester : server.harvesters()) {
                newAgent.addCandidateHarvester(harvester);
            }
            if (server.tcpHarvester() != null) {
                // Passive TCP candidates on the shared TCP port (RFC 6544): the browser connects, we never do.
                newAgent.addCandidateHarvester(server.tcpHarvester());
            }
            // One stream with one component: BUNDLE and rtcp-mux put everything on component 1,
            // which is also all the single-port harvester supports.
            this.stream = newAgent.createMediaStream(STREAM_NAME);
            // No component socket: we read the selected pair's socket directly, which saves
            // ice4j's merging socket its extra thread and copy per datagram.
            // ALL_SUCCEEDED: ice4j keeps answering checks on every pair that succeeded, not only on the one it
            // selected first, so a browser that later moves to another pair (see onPairNominated) keeps its
            // consent there.
            this.component = newAgent.createComponent(stream, KeepAliveStrategy.ALL_SUCCEEDED, false);
        } catch (IOException | RuntimeException e) {
            newAgent.free();
            throw new IceException("cannot create the ICE agent for " + id, e);
        }
        this.agent = newAgent;
        // ice4j's push API: its listener thread hands every non-STUN datagram of this component straight to us,
        // stamped with the time of the socket read, instead of queueing it for a pull from the pair's socket.
        component.setBufferCallback(this::onBuffer);
        this.localCandidates = describeLocalCandidates();
        if (localCandidates.isEmpty()) {
            agent.free();
            throw new IceException("the ICE agent for " + id + " has no local candidate");
        }
        synchronized (lock) {
            long timeoutMs = server.config().connectTimeout().toMillis();
            try {
                connectTimeoutTask = server.scheduler().schedule(this::onConnectTimeout, timeoutMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                agent.free();
                throw new IceException("the scheduler refused the connect timeout of " + id + " (shut down?)", e);
            }
        }
        agent.addStateChangeListener(agentStateListener);
        stream.addPairChangeListener(pairListener);
    }

    public String id() {
        return id;
    }

    /** Our ICE username fragment, for {@code a=ice-ufrag} (RFC 8839 section 5.4). */
    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    /** Our ICE password, for {@code a=ice-pwd} (RFC 8839 section 5.4). */
    public String localPassword() {
        return agent.getLocalPassword();
    }

    /** Our candidates, with the advertised address, for {@code a=candidate} lines. */
    public List<IceCandidate> localCandidates() {
        return localCandidates;
    }

    public IceTransportState state() {
        return state.get();
    }

    /** The selected pair, once connected. */
    public Optional<IceSelectedPair> selectedPair() {
        return Optional.ofNullable(selectedPair);
    }

    /** Whether {@link #endOfRemoteCandidates()} was called. */
    public boolean remoteCandidatesComplete() {
        synchronized (lock) {
            return endOfRemoteCandidates;
        }
    }

    /**
     * Sets the browser's credentials (from its offer) and starts connectivity establishment: from
     * now on the browser's checks are answered and our triggered checks sent back. Does nothing if
     * the transport already failed or was closed.
     *
     * @throws IceException if the credentials are malformed or the transport was already started
     *         (ICE restart is not supported)
     */
    public void start(String remoteUfrag, String remotePassword) {
        requireIceChars(remoteUfrag, 4, 256, "remote ufrag");        // RFC 8839 section 5.4
        requireIceChars(remotePassword, 22, 256, "remote password"); // RFC 8839 section 5.4
        synchronized (lock) {
            if (started) {
                throw new IceException("ICE for " + id + " was already started (ICE restart is not supported)");
            }
            // CHECKING before ice4j starts, so a pair selected at once finds the state it expects.
            if (!state.compareAndSet(IceTransportState.NEW, IceTransportState.CHECKING)) {
                return; // failed or closed meanwhile
            }
            started = true;
        }
        // Outside our lock: ice4j takes its own locks here and calls back into onPairSelected,
        // which takes ours, from its threads.
        stream.setRemoteUfrag(remoteUfrag);
        stream.setRemotePassword(remotePassword);
        try {
            agent.startConnectivityEstablishment();
        } catch (RuntimeException e) {
            if (!state.get().isTerminal()) {
                throw new IceException("ice4j could not start connectivity establishment for " + id, e);
            }
            // close() freed the agent while we were starting it: nothing to do.
        }
    }

    /**
     * Parses a {@code candidate:} attribute (SDP line or trickled string) and adds it.
     *
     * @throws IceCandidateParseException if it does not follow RFC 8839 section 5.1
     */
    public RemoteCandidateResult addRemoteCandidate(String candidateAttribute) {
        String text = candidateAttribute.startsWith("a=") ? candidateAttribute.substring(2) : candidateAttribute;
        IceCandidate candidate;
        try {
            candidate = IceCandidate.parse(text);
        } catch (SdpParseException e) {
            if (e.reason() == SdpParseException.Reason.UNKNOWN_CANDIDATE_TYPE) {
                // A type from a future RFC: nothing to pair it with, and nothing wrong with the browser.
                remoteCandidatesIgnored.increment();
                return RemoteCandidateResult.IGNORED_TYPE;
            }
            throw new IceCandidateParseException(e.getMessage());
        }
        return addRemoteCandidate(candidate);
    }

    /**
     * Takes one of the browser's candidates. Only UDP candidates of component 1 whose address is an
     * IP literal inside {@link IceConfig#allowedRemoteNetworks()} are accepted. A browser's TCP candidates
     * are active ones (port 9: it connects, it does not listen), which our passive candidates pair with
     * through the connection it opens; there is nothing to record for them.
     *
     * <p>Accepted candidates are recorded but not handed to ice4j, on purpose: the shared port's
     * candidate has a socket for a remote address only after that address sent it a Binding
     * request, so a check ice4j starts towards a signalled candidate fails at once ("no socket")
     * and arms ice4j's fixed 5-second check-list failure timer, which then fails a browser that
     * starts checking late. The browser is the controlling agent and checks every pair it has
     * with our candidate anyway; ice4j learns its address from those checks as a peer-reflexive
     * candidate (RFC 8445 section 7.3.1.3) and answers with triggered checks, which is how Jitsi
     * Videobridge connects too. Checks from addresses outside the allowed networks never reach
     * ice4j, so no check is ever sent there.
     */
    public RemoteCandidateResult addRemoteCandidate(IceCandidate candidate) {
        RemoteCandidateResult result = classify(candidate);
        if (result == RemoteCandidateResult.ACCEPTED) {
            synchronized (lock) {
                if (state.get().isTerminal()) {
                    result = RemoteCandidateResult.IGNORED_CLOSED;
                } else if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
                    result = RemoteCandidateResult.IGNORED_LIMIT;
                } else if (!remoteCandidateKeys.add(candidate.address() + "|" + candidate.port() + "|" + candidate.type())) {
                    result = RemoteCandidateResult.DUPLICATE;
                } else {
                    remoteCandidates.add(candidate);
                }
            }
        }
        (result == RemoteCandidateResult.ACCEPTED ? remoteCandidatesAccepted : remoteCandidatesIgnored).increment();
        return result;
    }

    /** The remote candidates accepted so far, in arrival order. */
    public List<IceCandidate> remoteCandidates() {
        synchronized (lock) {
            return List.copyOf(remoteCandidates);
        }
    }

    /**
     * Records the browser's end-of-candidates (RFC 8838 section 4, {@code a=end-of-candidates}).
     * ice4j has no notion of it: failure is still decided by its check list (all pairs failed) or
     * by {@link IceConfig#connectTimeout()}, since the browser may yet reach us from a new
     * (peer-reflexive) address.
     */
    public void endOfRemoteCandidates() {
        synchronized (lock) {
            endOfRemoteCandidates = true;
        }
    }

    /**
     * Sends one datagram on the selected pair. Never throws; failures are counted and returned.
     * The array is not retained after the call returns.
     */
    public IceSendStatus send(byte[] buf, int off, int len) {
        if (state.get().isTerminal()) {
            // RFC 7675 section 5.1: no application data once consent has expired.
            packetsDroppedClosed.increment();
            return IceSendStatus.CLOSED;
        }
        IceSocketWrapper socket = pairSocket;
        InetSocketAddress remote = pairRemote;
        if (socket == null || remote == null) {
            packetsDroppedNotConnected.increment();
            return IceSendStatus.NOT_CONNECTED;
        }
        DatagramPacket packet = server.sendPacket();
        try {
            packet.setData(buf, off, len);
            packet.setSocketAddress(remote);
            socket.send(packet);
            packetsSent.increment();
            bytesSent.add(len);
            return IceSendStatus.SENT;
        } catch (IOException e) {
            sendErrors.increment();
            return IceSendStatus.IO_ERROR;
        } finally {
            // Do not keep the caller's array reachable from a thread-local.
            packet.setData(IceServer.noData(), 0, 0);
        }
    }

    public IceTransportStats stats() {
        return new IceTransportStats(
                state.get(),
                packetsReceived.sum(),
                bytesReceived.sum(),
                packetsSent.sum(),
                bytesSent.sum(),
                packetsDroppedSourceNotAllowed.sum(),
                packetsDroppedNotConnected.sum(),
                packetsDroppedClosed.sum(),
                sendErrors.sum(),
                listenerErrors.sum(),
                remoteCandidatesAccepted.sum(),
                remoteCandidatesIgnored.sum(),
                receivedDropped.sum(),
                pairSwitches.sum());
    }

    /**
     * Frees the ice4j agent (its sockets, threads and timers), unregisters the ufrag from the
     * shared port and stops the reader thread. No listener callback follows. Idempotent.
     */
    @Override
    public void close() {
        if (shutdown(IceTransportState.CLOSED)) {
            server.unregister(this);
            freeAgent();
            releaseInbound();
        }
    }

    @Override
    public String toString() {
        return "IceTransport[" + id + ", ufrag=" + localUfrag() + ", " + state.get().w3cName() + "]";
    }

    // ---- called by IceServer ----

    /** The server is closing: fail with {@link IceFailureReason#SERVER_CLOSED} and free the agent. */
    void serverClosed() {
        IceTransportState before = state.get();
        if (shutdown(IceTransportState.CLOSED)) {
            if (!before.isTerminal()) {
                server.countFailure(IceFailureReason.SERVER_CLOSED);
                dispatch(() -> listener.onIceFailed(IceFailureReason.SERVER_CLOSED));
            }
            freeAgent();
        }
    }

    /** A check carrying our ufrag came from a source outside the allowed networks. */
    void countDroppedSourceNotAllowed() {
        packetsDroppedSourceNotAllowed.increment();
    }

    // ---- remote candidates ----

    private RemoteCandidateResult classify(IceCandidate candidate) {
        if (!candidate.isUdp()) {
            return RemoteCandidateResult.IGNORED_NOT_UDP;
        }
        if (candidate.component() != RTP_COMPONENT) {
            return RemoteCandidateResult.IGNORED_COMPONENT;
        }
        if (candidate.port() == 0) {
            return RemoteCandidateResult.IGNORED_PORT;
        }
        Optional<InetAddress> address = IpLiterals.parse(candidate.address());
        if (address.isEmpty()) {
            return RemoteCandidateResult.IGNORED_NOT_LITERAL;
        }
        if (!server.config().isAllowedRemote(address.get())) {
            return RemoteCandidateResult.IGNORED_ADDRESS_NOT_ALLOWED;
        }
        return RemoteCandidateResult.ACCEPTED;
    }

    // ---- ice4j events (on ice4j's threads) ----

    private void onAgentStateChange(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        IceProcessingState oldState = (IceProcessingState) event.getOldValue();
        IceProcessingState newState = (IceProcessingState) event.getNewValue();
        if (newState == IceProcessingState.COMPLETED) {
            onPairSelected();
        } else if (newState == IceProcessingState.FAILED
                || (newState == IceProcessingState.TERMINATED && oldState == IceProcessingState.RUNNING)) {
            // RUNNING straight to TERMINATED means ice4j stopped without selecting a pair.
            fail(IceFailureReason.CHECKS_FAILED);
        }
    }

    private void onPairChange(PropertyChangeEvent event) {
        if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(event.getPropertyName())) {
            // ice4j fires this when a consent check on a pair is answered.
            lastConsentNanos = System.nanoTime();
        } else if (IceMediaStream.PROPERTY_PAIR_NOMINATED.equals(event.getPropertyName())
                && event.getSource() instanceof CandidatePair pair) {
            onPairNominated(pair);
        }
    }

    /**
     * The browser nominated a pair after the first (ice4j's selected pair never changes): it sends on that pair
     * from now on, so we read and send there too. Chromium does this when a better pair becomes usable after it
     * started on another, e.g. UDP after ICE-TCP connected first.
     */
    private void onPairNominated(CandidatePair pair) {
        IceSocketWrapper socket = pair.getIceSocketWrapper();
        if (socket == null || pair.getParentComponent() != component) {
            return;
        }
        TransportAddress remoteAddress = pair.getRemoteCandidate().getTransportAddress();
        TransportAddress localAddress = pair.getLocalCandidate().getTransportAddress();
        InetSocketAddress remote = new InetSocketAddress(remoteAddress.getAddress(), remoteAddress.getPort());
        IceSelectedPair moved = new IceSelectedPair(new InetSocketAddress(localAddress.getAddress(),
                localAddress.getPort()), remote, IceProtocol.of(localAddress.getTransport()));
        synchronized (lock) {
            IceSelectedPair current = selectedPair;
            if (state.get() != IceTransportState.CONNECTED || current == null || current.equals(moved)) {
                return;
            }
            pairRemote = remote;
            pairSocket = socket;
            selectedPair = moved;
            startTcpFeeder(socket, remote);
        }
        pairSwitches.increment();
        LOG.log(Level.INFO, "[{0}] the browser moved to the pair {1}", id, moved);
    }

    private void onPairSelected() {
        CandidatePair pair = component.getSelectedPair();
        IceSocketWrapper socket = pair == null ? null : pair.getIceSocketWrapper();
        if (socket == null) {
            LOG.log(Level.WARNING, "[{0}] ICE completed without a usable selected pair", id);
            fail(IceFailureReason.CHECKS_FAILED);
            return;
        }
        TransportAddress remoteAddress = pair.getRemoteCandidate().getTransportAddress();
        TransportAddress localAddress = pair.getLocalCandidate().getTransportAddress();
        InetSocketAddress remote = new InetSocketAddress(remoteAddress.getAddress(), remoteAddress.getPort());
        IceProtocol protocol = IceProtocol.of(localAddress.getTransport());
        IceSelectedPair selected = new IceSelectedPair(
                new InetSocketAddress(localAddress.getAddress(), localAddress.getPort()), remote, protocol);
        synchronized (lock) {
            if (!state.compareAndSet(IceTransportState.CHECKING, IceTransportState.CONNECTED)) {
                return;
            }
            // The successful check that selected the pair is the first consent (RFC 7675 section 5.1).
            lastConsentNanos = System.nanoTime();
            pairRemote = remote;
            pairSocket = socket;
            selectedPair = selected;
            cancel(connectTimeoutTask);
            connectTimeoutTask = null;
            long periodMs = watchdogPeriodMs(server.config().consentTimeout());
            consentWatchdogTask = server.scheduler().scheduleWithFixedDelay(
                    this::checkConsent, periodMs, periodMs, TimeUnit.MILLISECONDS);
            // The single-port harvester's UDP pairs come through the push API; a TCP pair's socket is read by a
            // feeder into the same queue, so one reader delivers whatever pair is current.
            Thread reader = server.readerThreads().newThread(this::pushedLoop);
            reader.setName("ice-reader-" + id);
            reader.start();
            startTcpFeeder(socket, remote);
        }
        server.countSelected(protocol);
        LOG.log(Level.DEBUG, "[{0}] ICE connected on {1}", id, selected);
        dispatch(() -> listener.onIceConnected(selected));
    }

    private void onConnectTimeout() {
        fail(IceFailureReason.CONNECT_TIMEOUT);
    }

    /** Runs on the scheduler while connected: expires consent 30 s (configurable) after the last answer. */
    private void checkConsent() {
        if (state.get() != IceTransportState.CONNECTED) {
            return;
        }
        if (System.nanoTime() - lastConsentNanos <= consentTimeoutNanos) {
            return;
        }
        synchronized (lock) {
            if (!state.compareAndSet(IceTransportState.CONNECTED, IceTransportState.FAILED)) {
                return;
            }
            cancel(consentWatchdogTask);
            consentWatchdogTask = null;
        }
        server.countConsentExpired();
        LOG.log(Level.INFO, "[{0}] ICE consent expired", id);
        dispatch(listener::onIceConsentExpired);
    }

    private void fail(IceFailureReason reason) {
        synchronized (lock) {
            IceTransportState current = state.get();
            if (current != IceTransportState.NEW && current != IceTransportState.CHECKING) {
                return;
            }
            state.set(IceTransportState.FAILED);
            cancel(connectTimeoutTask);
            connectTimeoutTask = null;
        }
        server.countFailure(reason);
        LOG.log(Level.INFO, "[{0}] ICE failed: {1}", id, reason);
        dispatch(() -> listener.onIceFailed(reason));
    }

    // ---- receive path (reader thread) ----

    /** ice4j's listener thread: one datagram of this component (never STUN, which ice4j keeps). */
    private void onBuffer(Buffer buffer) {
        if (state.get().isTerminal() || !inbound.offer(buffer)) {
            receivedDropped.increment();
            IceBuffers.release(buffer);
        }
    }

    /** Takes what ice4j pushed and TCP feeders read; only the current pair's remote address is processed. */
    private void pushedLoop() {
        ArrivalClock clock = new ArrivalClock();
        try {
            while (!state.get().isTerminal()) {
                Buffer buffer;
                try {
                    buffer = inbound.poll(INBOUND_POLL_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (buffer == null) {
                    continue;
                }
                try {
                    if (!pairRemote.equals(buffer.getRemoteAddress())) {
                        receivedDropped.increment();
                        continue;
                    }
                    deliver(buffer.getBuffer(), buffer.getOffset(), buffer.getLength(),
                            clock.toNanos(buffer.getReceivedTime()));
                } finally {
                    IceBuffers.release(buffer);
                }
            }
        } finally {
            releaseInbound();
        }
    }

    private void deliver(byte[] buf, int off, int len, long arrivalNanos) {
        packetsReceived.increment();
        bytesReceived.add(len);
        try {
            listener.onPacket(buf, off, len, arrivalNanos);
        } catch (RuntimeException e) {
            listenerErrors.increment();
        }
    }

    private void releaseInbound() {
        Buffer left;
        while ((left = inbound.poll()) != null) {
            IceBuffers.release(left);
        }
    }

    /** Under {@link #lock}: starts reading a TCP pair's socket into the queue, once per socket; UDP needs none. */
    private void startTcpFeeder(IceSocketWrapper socket, InetSocketAddress remote) {
        if (socket.getTCPSocket() == null || !fedSockets.add(socket)) {
            return;
        }
        Thread feeder = server.readerThreads().newThread(() -> tcpFeed(socket, remote));
        feeder.setName("ice-tcp-reader-" + id);
        feeder.start();
    }

    /** A TCP pair's reader: ice4j's socket undoes the RFC 4571 framing and keeps STUN for its own stack. */
    private void tcpFeed(IceSocketWrapper socket, InetSocketAddress remote) {
        DatagramPacket packet = new DatagramPacket(IceServer.noData(), 0);
        while (!state.get().isTerminal()) {
            Buffer buffer = IceBuffers.take(RECEIVE_BUFFER_BYTES);
            packet.setData(buffer.getBuffer(), 0, buffer.getBuffer().length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                // The socket was closed by close(), or broke: either way nothing more will arrive.
                IceBuffers.release(buffer);
                break;
            }
            buffer.setOffset(packet.getOffset());
            buffer.setLength(packet.getLength());
            buffer.setRemoteAddress(remote);
            buffer.setReceivedTime(java.time.Instant.now());
            onBuffer(buffer);
        }
    }

    // ---- helpers ----

    /** Moves to {@code terminal} and cancels timers; returns false if it was already closed. */
    private boolean shutdown(IceTransportState terminal) {
        synchronized (lock) {
            if (state.getAndSet(terminal) == IceTransportState.CLOSED) {
                return false;
            }
            cancel(connectTimeoutTask);
            cancel(consentWatchdogTask);
            connectTimeoutTask = null;
            consentWatchdogTask = null;
        }
        return true;
    }

    private void freeAgent() {
        agent.removeStateChangeListener(agentStateListener);
        stream.removePairStateChangeListener(pairListener);
        // Frees the candidate: ice4j forgets our ufrag on the shared port and closes the per-remote
        // sockets, which ends the reader thread's receive().
        agent.free();
    }

    private void dispatch(Runnable callback) {
        try {
            eventExecutor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "[" + id + "] ICE listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "[" + id + "] ICE event dropped: executor rejected it", e);
        }
    }

    private List<IceCandidate> describeLocalCandidates() {
        List<IceCandidate> out = new ArrayList<>();
        for (LocalCandidate local : component.getLocalCandidates()) {
            TransportAddress address = local.getTransportAddress();
            InetAddress advertised = server.advertisedAddress(address.getAddress());
            IceProtocol protocol = IceProtocol.of(local.getTransport());
            // Our TCP candidates only accept connections (RFC 6544 section 4.5): the browser must be told, or
            // it would wait for us to connect.
            Optional<IceCandidate.TcpType> tcpType = protocol == IceProtocol.TCP
                    ? Optional.of(IceCandidate.TcpType.PASSIVE) : Optional.empty();
            long priority = protocol == IceProtocol.TCP ? passiveTcpPriority(local.getPriority()) : local.getPriority();
            out.add(new IceCandidate(local.getFoundation(), local.getParentComponent().getComponentID(),
                    protocol.wire(), priority, advertised.getHostAddress(),
                    address.getPort(), IceCandidate.CandidateType.HOST, Optional.empty(), OptionalInt.empty(),
                    tcpType, List.of()));
        }
        return List.copyOf(out);
    }

    /**
     * The priority we advertise for a passive TCP host candidate (RFC 6544 section 4.2): ice4j gives it the
     * UDP host candidate's, which would let a browser nominate TCP (head-of-line blocking, no loss recovery
     * by dropping) where UDP works as well. A lower type preference ranks it below UDP host and reflexive
     * candidates, and the local preference carries the passive direction preference in its top bits.
     */
    static long passiveTcpPriority(long ice4jPriority) {
        long otherPreference = (ice4jPriority >>> 8) & 0x1FFF;
        long localPreference = (TCP_DIRECTION_PASSIVE << 13) | otherPreference;
        return (TCP_HOST_TYPE_PREFERENCE << 24) | (localPreference << 8) | (ice4jPriority & 0xFF);
    }

    private static long watchdogPeriodMs(Duration consentTimeout) {
        return Math.max(MIN_WATCHDOG_PERIOD_MS, Math.min(MAX_WATCHDOG_PERIOD_MS, consentTimeout.toMillis() / 10));
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static void requireIceChars(String value, int min, int max, String name) {
        Objects.requireNonNull(value, name);
        if (value.length() < min || value.length() > max) {
            throw new IceException(name + " must be " + min + ".." + max + " ice-chars long");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                throw new IceException(name + " contains a character that is not an ice-char");
            }
        }
    }
}
