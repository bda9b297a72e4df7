package org.videoroom.transport.ice;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;

/**
 * The shared UDP port all participants' ICE runs on, in the manner of Jitsi Videobridge's port
 * 10000: one socket per configured local address, one ice4j single-port harvester on each, and
 * demultiplexing by the local ufrag of each participant's {@link IceTransport}.
 *
 * <p>With {@link IceConfig#tcpPort()} set, the same addresses also listen on one shared TCP port for
 * ICE-TCP (RFC 6544): each agent gets a passive TCP host candidate per address besides its UDP one, so
 * a browser whose UDP is blocked connects over TCP (see {@link FilteringTcpHarvester}); new connections
 * pass the same gate as new UDP addresses.
 *
 * <p>Every datagram whose source lies outside {@link IceConfig#allowedRemoteNetworks()} is dropped
 * before ICE sees it (see {@link FilteringUdpHarvester}); remote candidates outside those networks
 * are ignored, so no check is ever sent there either. ice4j is configured so it never contacts the
 * AWS metadata service or STUN servers and never binds other interfaces (see
 * {@link Ice4jSettings}).
 *
 * <p>Created once by the application and closed on undeploy; {@link #close()} fails and closes
 * every transport still open. Thread-safe.
 */
public final class IceServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IceServer.class.getName());
    private static final byte[] NO_DATA = new byte[0];
    private static final long PORT_RELEASE_TIMEOUT_MS = 2000;
    private static final long PORT_RELEASE_POLL_MS = 10;

    // Passed in.
    private final IceConfig config;
    private final ScheduledExecutorService scheduler;
    private final ThreadFactory readerThreads;

    // Created here.
    private final List<FilteringUdpHarvester> harvesters;
    /** The shared TCP port's harvester, or null when ICE-TCP is off. */
    private final FilteringTcpHarvester tcpHarvester;
    private final Map<InetAddress, InetAddress> advertisedByBound;
    private final int port;
    private final Map<String, IceTransport> transportsByUfrag = new ConcurrentHashMap<>();
    /**
     * One reusable packet per sending thread: {@link IceTransport#send} is called from many
     * threads (fan-out), and a per-thread packet needs neither allocation nor a lock around I/O.
     * Holds only a JDK type, so it cannot pin this class loader after undeploy.
     */
    private final ThreadLocal<DatagramPacket> sendPackets = new ThreadLocal<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder transportsCreated = new LongAdder();
    private final LongAdder checksDroppedSourceNotAllowed = new LongAdder();
    private final LongAdder checksDroppedUnknownUfrag = new LongAdder();
    /** Filled for every reason up front, so counting needs no lock and no map update. */
    private final Map<IceFailureReason, LongAdder> failures = new EnumMap<>(IceFailureReason.class);
    private final LongAdder consentExpired = new LongAdder();
    /** Filled for every protocol up front, as {@link #failures}. */
    private final Map<IceProtocol, LongAdder> selectedPairs = new EnumMap<>(IceProtocol.class);

    /**
     * Applies ice4j's settings, binds the shared port on every configured address and starts
     * ice4j's listener thread for each.
     *
     * @param config the validated configuration
     * @param scheduler shared timer service for connect timeouts and consent expiry; not shut down here
     * @param readerThreads makes each transport's receive thread (e.g. a container-managed factory)
     * @throws IceException if a socket cannot be bound or ice4j's configuration is unsafe
     */
    public IceServer(IceConfig config, ScheduledExecutorService scheduler, ThreadFactory readerThreads) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.readerThreads = Objects.requireNonNull(readerThreads, "readerThreads");
        try {
            Ice4jSettings.apply(config);
        } catch (RuntimeException e) {
            Ice4jSettings.release();
            throw e;
        }
        // Datagrams reach each transport through ice4j's push API, stamped at the socket read (see
        // IceTransport); process-wide in ice4j, so every server of this class loader uses it.
        IceBuffers.install();
        org.ice4j.ice.harvest.AbstractUdpListener.USE_PUSH_API = true;
        for (IceFailureReason reason : IceFailureReason.values()) {
            failures.put(reason, new LongAdder());
        }
        for (IceProtocol protocol : IceProtocol.values()) {
            selectedPairs.put(protocol, new LongAdder());
        }

        List<FilteringUdpHarvester> bound = new ArrayList<>();
        Map<InetAddress, InetAddress> advertised = new ConcurrentHashMap<>();
        int sharedPort = config.port();
        try {
            for (IceConfig.HostAddress host : config.hostAddresses()) {
                TransportAddress local = new TransportAddress(host.bindAddress(), sharedPort, Transport.UDP);
                FilteringUdpHarvester harvester = new FilteringUdpHarvester(local, this::admit);
                bound.add(harvester);
                // With port 0 the first socket picks the port; the others share it, so a
                // participant sees one port whichever address it reaches.
                sharedPort = harvester.getLocalAddress().getPort();
                advertised.put(host.bindAddress(), host.advertisedAddress());
            }
        } catch (IOException e) {
            bound.forEach(FilteringUdpHarvester::close);
            Ice4jSettings.release();
            throw new IceException("cannot bind the ICE port " + sharedPort + " on " + config.hostAddresses(), e);
        }
        this.harvesters = List.copyOf(bound);
        this.advertisedByBound = Map.copyOf(advertised);
        this.port = sharedPort;
        this.tcpHarvester = config.tcpPort().isPresent() ? bindTcp(config, harvesters) : null;
        LOG.log(Level.INFO, "ICE listening on UDP port {0,number,#}{1} at {2}, accepting {3}",
                port, tcpHarvester == null ? "" : " and TCP port " + config.tcpPort().getAsInt(),
                config.hostAddresses(), config.allowedRemoteNetworks());
    }

    /** Listens on the TCP port on every host address; on failure closes the UDP harvesters too. */
    private FilteringTcpHarvester bindTcp(IceConfig config, List<FilteringUdpHarvester> udp) {
        int tcpPort = config.tcpPort().getAsInt();
        List<TransportAddress> addresses = config.hostAddresses().stream()
                .map(h -> new TransportAddress(h.bindAddress(), tcpPort, Transport.TCP))
                .toList();
        try {
            return new FilteringTcpHarvester(addresses, this::admit);
        } catch (IOException e) {
            udp.forEach(FilteringUdpHarvester::close);
            awaitReleased(udp.stream().map(h -> new InetSocketAddress(h.getLocalAddress().getAddress(),
                    h.getLocalAddress().getPort())).toList(), IceServer::isFree);
            Ice4jSettings.release();
            throw new IceException("cannot listen on the ICE TCP port " + tcpPort + " on " + config.hostAddresses(), e);
        }
    }

    /** As {@link #IceServer(IceConfig, ScheduledExecutorService, ThreadFactory)}, with daemon platform reader threads. */
    public IceServer(IceConfig config, ScheduledExecutorService scheduler) {
        this(config, scheduler, Thread.ofPlatform().daemon().name("ice-reader-", 0).factory());
    }

    /**
     * Creates the ICE transport of one participant, in the controlled role (the browser offers and
     * controls). Its local candidates and credentials are ready when this returns.
     *
     * @param id a name for logs, e.g. the participant id
     * @param listener receives the transport's events and packets
     * @param eventExecutor runs {@code onIceConnected}, {@code onIceFailed} and
     *        {@code onIceConsentExpired}; pass the participant's serial executor to have them in
     *        order with the rest of its state changes
     * @throws IceException if the server is closed or ice4j fails to create the agent
     */
    public IceTransport createTransport(String id, IceTransport.Listener listener, Executor eventExecutor) {
        if (closed.get()) {
            throw new IceException("the ICE server is closed");
        }
        IceTransport transport = new IceTransport(this, id, listener, eventExecutor);
        if (transportsByUfrag.putIfAbsent(transport.localUfrag(), transport) != null) {
            transport.close();
            throw new IceException("local ufrag collision: " + transport.localUfrag());
        }
        transportsCreated.increment();
        if (closed.get()) {
            // close() ran while we were registering; it may have missed this transport.
            transport.serverClosed();
            throw new IceException("the ICE server is closed");
        }
        return transport;
    }

    /** The shared UDP port (the bound one, useful when the configuration asked for port 0). */
    public int port() {
        return port;
    }

    /** The shared TCP port, if ICE-TCP is on. */
    public java.util.OptionalInt tcpPort() {
        return tcpHarvester == null ? java.util.OptionalInt.empty() : config.tcpPort();
    }

    /** The local socket addresses the shared TCP port listens on; empty when ICE-TCP is off. */
    public List<InetSocketAddress> tcpBoundAddresses() {
        return tcpHarvester == null ? List.of() : tcpHarvester.boundAddresses();
    }

    /** The local socket addresses the shared port is bound on. */
    public List<InetSocketAddress> boundAddresses() {
        return harvesters.stream()
                .map(h -> new InetSocketAddress(h.getLocalAddress().getAddress(), h.getLocalAddress().getPort()))
                .toList();
    }

    public IceConfig config() {
        return config;
    }

    /** Whether the shared port is still bound, i.e. {@link #close()} has not been called. */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Whether an open transport has this local ufrag, i.e. checks addressed to it are accepted. */
    public boolean isRegistered(String localUfrag) {
        return transportsByUfrag.containsKey(localUfrag);
    }

    public IceServerStats stats() {
        return new IceServerStats(
                transportsByUfrag.size(),
                transportsCreated.sum(),
                checksDroppedSourceNotAllowed.sum(),
                checksDroppedUnknownUfrag.sum(),
                failures.get(IceFailureReason.CHECKS_FAILED).sum(),
                failures.get(IceFailureReason.CONNECT_TIMEOUT).sum(),
                failures.get(IceFailureReason.SERVER_CLOSED).sum(),
                consentExpired.sum(),
                selectedPairs.get(IceProtocol.UDP).sum(),
                selectedPairs.get(IceProtocol.TCP).sum());
    }

    /**
     * Fails and closes every open transport ({@link IceFailureReason#SERVER_CLOSED}), then closes
     * the sockets and returns once the port can be bound again (waiting at most 2 s).
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (IceTransport transport : List.copyOf(transportsByUfrag.values())) {
            try {
                transport.serverClosed();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "failed to close ICE transport " + transport.id(), e);
            }
        }
        transportsByUfrag.clear();
        harvesters.forEach(FilteringUdpHarvester::close);
        if (tcpHarvester != null) {
            tcpHarvester.close();
        }
        awaitReleased(boundAddresses(), IceServer::isFree);
        awaitReleased(tcpBoundAddresses(), IceServer::isTcpFree);
        Ice4jSettings.release();
        LOG.log(Level.INFO, "ICE port {0,number,#} closed", port);
    }

    /**
     * Waits (boundedly) until the operating system has really released the port. Closing a
     * datagram channel while ice4j's listener thread is blocked in receive() only marks it
     * closed; the socket itself is closed when that thread wakes up. Without this wait, a server
     * created right after (redeploy, tests) can fail to bind.
     */
    private static void awaitReleased(List<InetSocketAddress> addresses,
                                      java.util.function.Predicate<InetSocketAddress> free) {
        for (InetSocketAddress address : addresses) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PORT_RELEASE_TIMEOUT_MS);
            while (!free.test(address)) {
                if (System.nanoTime() > deadline) {
                    LOG.log(Level.WARNING, "ICE port {0} still bound {1} ms after close", address, PORT_RELEASE_TIMEOUT_MS);
                    break;
                }
                try {
                    Thread.sleep(PORT_RELEASE_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean isFree(InetSocketAddress address) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether nothing listens on {@code address} any more. SO_REUSEADDR as the server sets it: connections
     * left in TIME_WAIT do not keep a new listener from binding, a listener does.
     */
    private static boolean isTcpFree(InetSocketAddress address) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- package-private collaboration with IceTransport ----

    List<FilteringUdpHarvester> harvesters() {
        return harvesters;
    }

    /** The TCP harvester every agent adds, or null when ICE-TCP is off. */
    FilteringTcpHarvester tcpHarvester() {
        return tcpHarvester;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ThreadFactory readerThreads() {
        return readerThreads;
    }

    /** The address to put in a candidate for a socket bound on {@code bound}. */
    InetAddress advertisedAddress(InetAddress bound) {
        return advertisedByBound.getOrDefault(bound, bound);
    }

    void unregister(IceTransport transport) {
        transportsByUfrag.remove(transport.localUfrag(), transport);
    }

    void countFailure(IceFailureReason reason) {
        failures.get(reason).increment();
    }

    void countSelected(IceProtocol protocol) {
        selectedPairs.get(protocol).increment();
    }

    void countConsentExpired() {
        consentExpired.increment();
    }

    /** This thread's reusable send packet; the caller must clear its data after use. */
    DatagramPacket sendPacket() {
        DatagramPacket packet = sendPackets.get();
        if (packet == null) {
            packet = new DatagramPacket(NO_DATA, 0);
            sendPackets.set(packet);
        }
        return packet;
    }

    static byte[] noData() {
        return NO_DATA;
    }

    /**
     * The gate of every new remote address (called on ice4j's listener thread): only allowed
     * sources, and only for the ufrag of an open transport.
     */
    private boolean admit(InetSocketAddress remote, String ufrag) {
        if (!config.isAllowedRemote(remote.getAddress())) {
            checksDroppedSourceNotAllowed.increment();
            IceTransport target = transportsByUfrag.get(ufrag);
            if (target != null) {
                target.countDroppedSourceNotAllowed();
            }
            return false;
        }
        if (closed.get() || !transportsByUfrag.containsKey(ufrag)) {
            checksDroppedUnknownUfrag.increment();
            return false;
        }
        return true;
    }
}
