package org.videoroom.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.videoroom.buffer.BufferPool;
import org.videoroom.media.ForwardingStats;
import org.videoroom.signaling.message.Viewport;
import org.videoroom.media.ParticipantMediaStats;
import org.videoroom.media.MediaConfig;
import org.videoroom.media.PeerSession;
import org.videoroom.media.MediaEngine;
import org.videoroom.media.MediaRequestException;
import org.videoroom.room.Participant;
import org.videoroom.room.TrackSource;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.signaling.MediaControl;
import org.videoroom.signaling.SignalingException;
import org.videoroom.signaling.message.ErrorCode;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.ice.Ice4jLogLimit;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.ice.Ice4jThreads;
import org.videoroom.transport.ice.IceServerStats;
import org.videoroom.transport.ice.IpNetwork;
import org.videoroom.transport.ice.StunAddressDiscovery;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * Owns the SFU for the deployment's lifetime: the shared ICE port, the DTLS certificate, the buffer pool, the
 * timer and event threads, and the {@link MediaEngine} over them; all closed on undeploy. Created when the
 * application starts ({@link MediaStartup}) and reports its state to {@link MediaHealth}. Signaling reaches the
 * media layer through it ({@link MediaControl}).
 */
@ApplicationScoped
public class MediaService implements MediaControl {

    private static final System.Logger LOG = System.getLogger(MediaService.class.getName());

    @Inject
    @ConfigProperty(name = "videoroom.ice.port", defaultValue = "10000")
    int icePort;

    /** Comma-separated local addresses to bind the ICE port on. */
    @Inject
    @ConfigProperty(name = "videoroom.ice.bind-addresses", defaultValue = "127.0.0.1")
    String iceBindAddresses;

    /** The address put in candidates, when it differs from the bound one (NAT, container); empty = bound. */
    @Inject
    @ConfigProperty(name = "videoroom.ice.advertised-address")
    Optional<String> iceAdvertisedAddress;

    /**
     * STUN servers ({@code host[:port]}, comma-separated, port 3478 by default) asked once at startup for the
     * public address of each bound address, which is then advertised; only when no advertised address is
     * configured. Blank or unset: off, and nothing is sent off the machine.
     */
    @Inject
    @ConfigProperty(name = "videoroom.ice.stun-discovery")
    Optional<String> iceStunDiscovery;

    /**
     * Comma-separated CIDR networks ICE accepts datagrams from and sends to. {@code local} stands for loopback
     * plus this machine's own interface addresses: a browser on this machine pairs its LAN-address candidates
     * with our 127.0.0.1 candidate, so its checks arrive from those addresses.
     */
    @Inject
    @ConfigProperty(name = "videoroom.ice.allowed-networks", defaultValue = "local")
    String iceAllowedNetworks;

    /**
     * ICE-TCP (RFC 6544): the TCP port browsers whose UDP is blocked connect to. Unset or {@code off}: UDP only;
     * {@code same}: the UDP port's number (one number to open in a firewall, for both protocols); or a port number.
     */
    @Inject
    @ConfigProperty(name = "videoroom.ice.tcp-port")
    Optional<String> iceTcpPort;

    @Inject
    @ConfigProperty(name = "videoroom.ice.consent-timeout-seconds", defaultValue = "30")
    int consentTimeoutSeconds;

    /** Test-only fault injection: share of forwarded RTP packets dropped, in percent. */
    @Inject
    @ConfigProperty(name = "videoroom.test.forward-loss-percent", defaultValue = "0")
    double forwardLossPercent;

    @Inject
    @ConfigProperty(name = "videoroom.test.forward-loss-room-prefix", defaultValue = "lossy-")
    String forwardLossRoomPrefix;

    /**
     * The loggers quietened, with the level each had before: held so the JDK keeps the level set on them (it
     * references loggers weakly), and given back at undeploy (the logging configuration outlives the WAR).
     */
    private final Map<java.util.logging.Logger, java.util.logging.Level> quieted = new java.util.LinkedHashMap<>();

    /** ice4j logs every pair and check at INFO; a room server's log wants its own events, not those. */
    @Inject
    @ConfigProperty(name = "videoroom.log.quiet-libraries", defaultValue = "true")
    boolean quietLibraries;

    /**
     * DTLS handshakes at once. A handshake holds a thread until it ends (a browser's takes milliseconds, a silent
     * peer's up to the handshake timeout); those beyond wait in a queue of {@link #handshakeQueue}, and beyond that
     * the transport fails at once. Handshakes start only after ICE connected.
     */
    @Inject
    @ConfigProperty(name = "videoroom.dtls.handshake-threads", defaultValue = "8")
    int handshakeThreads;

    @Inject
    @ConfigProperty(name = "videoroom.dtls.handshake-queue", defaultValue = "64")
    int handshakeQueue;

    /** Told when the media port is bound, fails to bind or closes, and each time the timer thread runs. */
    @Inject
    MediaHealth health;

    private ScheduledExecutorService scheduler;
    private ExecutorService events;
    private ThreadPoolExecutor handshakes;
    private ExecutorService send;
    private IceServer iceServer;
    private MediaEngine engine;
    private BufferPool pool;
    private Ice4jLogLimit iceLogLimit;
    private LibraryProperties libraryProperties;
    private Thread warmUp;

    @PostConstruct
    void start() {
        libraryProperties = LibraryProperties.snapshot();
        DtlsCertificate.initializeCrypto();
        if (quietLibraries) {
            for (String name : List.of("org.ice4j", "org.jitsi")) {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
                quieted.put(logger, logger.getLevel());
                logger.setLevel(java.util.logging.Level.WARNING);
            }
        }
        iceLogLimit = Ice4jLogLimit.install();
        scheduler = Executors.newScheduledThreadPool(1, Threads.named("videoroom-timer"));
        events = Executors.newCachedThreadPool(Threads.named("videoroom-media-events"));
        int threads = Math.max(1, handshakeThreads);
        handshakes = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, handshakeQueue)), Threads.named("videoroom-dtls"));
        handshakes.allowCoreThreadTimeOut(true);
        send = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                Threads.named("videoroom-media-send"));
        try {
            SrtpSession.warmUp();
            IceConfig ice = withDiscoveredAddresses(iceConfig(), iceStunDiscovery.orElse(""),
                    iceAdvertisedAddress.filter(a -> !a.isBlank()).isPresent());
            iceServer = new IceServer(ice, scheduler, Threads.named("videoroom-ice-reader"));
            pool = new BufferPool();
            MediaConfig config = new MediaConfig(MediaConfig.DEFAULT.keyframeRequestInterval(),
                    MediaConfig.DEFAULT.receiverReportInterval(), forwardLossPercent, forwardLossRoomPrefix);
            engine = new MediaEngine(iceServer, DtlsCertificate.generate(), DtlsConfig.DEFAULT,
                    SrtpConfig.DEFAULT, config, CodecPolicy.defaults().withSimulcast(), pool, scheduler, events,
                    handshakes, send, System::nanoTime);
        } catch (RuntimeException e) {
            // The container retries the bean on its next use (a probe, an offer): leave no threads behind.
            if (iceServer != null) {
                iceServer.close();
            }
            shutDownExecutors();
            health.mediaFailed(icePort, e);
            throw e;
        }
        // Consent checks, keyframe requests and reports all run on this one thread; liveness watches it.
        scheduler.scheduleAtFixedRate(() -> health.timerTicked(System.nanoTime()), 0,
                MediaHealth.TIMER_TICK_MS, TimeUnit.MILLISECONDS);
        health.mediaBound(iceServer.boundAddresses());
        LOG.log(Level.INFO, "media: ICE on UDP port {0,number,#}{1} ({2}), forward loss {3}%", iceServer.port(),
                iceServer.tcpPort().isPresent() ? " and TCP port " + iceServer.tcpPort().getAsInt() : ", no ICE-TCP",
                hostsForLog(iceServer.config().hostAddresses()), forwardLossPercent);
        warmUp = Threads.named("videoroom-warm-up").newThread(this::warmUp);
        warmUp.start();
    }

    /**
     * The first room after a start must connect as fast as later ones: run once through negotiation, ICE and DTLS
     * now, on a thread of its own that ends afterwards, instead of in the first person's wait.
     */
    private void warmUp() {
        try {
            MediaEngine.WarmUp took = engine.warmUp();
            LOG.log(Level.INFO, "media: warmed up (negotiation {0} ms, ICE {1} ms, DTLS handshake {2} ms)",
                    took.negotiationMs(), took.iceMs(), took.dtlsMs());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "media: the warm-up failed, the first session will be slower: {0}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        try {
            if (warmUp != null) {
                // Short (under a second); no thread of ours may outlive the deployment.
                warmUp.interrupt();
                warmUp.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            engine.close();
        } finally {
            iceServer.close();
            shutDownExecutors();
            // This deployment's class loader is going away with its copy of ice4j: end ice4j's own pools, and give
            // back the JVM-wide state we changed (system properties: IceServer.close), so none of it survives us.
            if (Ice4jThreads.ownedByADeployment()) {
                Ice4jThreads.shutDown(2_000);
            }
            quieted.forEach(java.util.logging.Logger::setLevel);
            quieted.clear();
            libraryProperties.restore();
            try {
                health.mediaClosed();
            } catch (RuntimeException e) {
                // The application context is going away with us; the port is closed whatever health says.
                LOG.log(Level.DEBUG, "health not told of the closed media port", e);
            }
        }
    }

    /** The addresses the media port is bound on; empty once it closed. */
    public List<InetSocketAddress> mediaAddresses() {
        IceServer server = iceServer;
        return server != null && server.isOpen() ? server.boundAddresses() : List.of();
    }

    private void shutDownExecutors() {
        if (iceLogLimit != null) {
            Ice4jLogLimit.uninstall(iceLogLimit);
        }
        scheduler.shutdownNow();
        events.shutdownNow();
        handshakes.shutdownNow();
        send.shutdownNow();
        awaitQuietly(scheduler);
        awaitQuietly(events);
        awaitQuietly(handshakes);
        awaitQuietly(send);
    }

    @Override
    public String offer(Participant participant, String sdp, Map<String, String> subscriptions,
                        Map<String, TrackSource> sources) {
        try {
            return engine.session(participant).offer(sdp, subscriptions, sources);
        } catch (MediaRequestException e) {
            throw new SignalingException(ErrorCode.BAD_SDP, e.getMessage());
        }
    }

    @Override
    public void reset(Participant participant) {
        engine.find(participant.id()).ifPresent(session -> {
            session.close();
            // The participant stays: the room withdraws its tracks (the others unsubscribe), and its new session's
            // tracks are announced afresh, under the same ids.
            participant.unpublish(participant.published().stream().map(org.videoroom.room.TrackInfo::id).toList());
        });
    }

    @Override
    public void candidate(Participant participant, String candidate, String mid) {
        // Only an offer makes a media session: a candidate or viewport without one creates nothing.
        PeerSession session = engine.find(participant.id()).orElseThrow(
                () -> new SignalingException(ErrorCode.BAD_CANDIDATE, "a candidate needs an offer first"));
        try {
            session.candidate(candidate);
        } catch (MediaRequestException e) {
            throw new SignalingException(ErrorCode.BAD_CANDIDATE, e.getMessage());
        }
    }

    @Override
    public void viewport(Participant participant, Map<String, Viewport.Tile> tiles) {
        Map<String, MediaEngine.Tile> converted = new java.util.HashMap<>();
        tiles.forEach((id, tile) -> converted.put(id, new MediaEngine.Tile(tile.visible(), tile.height())));
        engine.find(participant.id()).ifPresent(session -> session.viewport(converted));
    }

    public ForwardingStats forwardingStats() {
        return engine.stats();
    }

    public List<ParticipantMediaStats> participantStats() {
        return engine.participantStats();
    }

    public IceServerStats iceStats() {
        return iceServer.stats();
    }

    public BufferPool.Stats bufferStats() {
        return pool.stats();
    }

    /** The ICE configuration from the properties above (package-private so tests can adjust what ice4j fixes per JVM). */
    IceConfig iceConfig() {
        List<InetAddress> bind = split(iceBindAddresses).stream().map(MediaService::address).toList();
        InetAddress advertised = iceAdvertisedAddress.filter(a -> !a.isBlank()).map(a -> address(a.strip()))
                .orElse(null);
        List<IceConfig.HostAddress> hosts = bind.stream()
                .map(a -> new IceConfig.HostAddress(a, advertised != null ? advertised : a))
                .toList();
        List<IpNetwork> allowed = split(iceAllowedNetworks).stream()
                .flatMap(n -> n.equals(LOCAL) ? localNetworks().stream() : Stream.of(IpNetwork.parse(n)))
                .distinct()
                .toList();
        Duration timeout = Duration.ofSeconds(consentTimeoutSeconds);
        Duration interval = IceConfig.DEFAULT_CONSENT_INTERVAL.compareTo(timeout) < 0
                ? IceConfig.DEFAULT_CONSENT_INTERVAL : timeout.dividedBy(3);
        return IceConfig.defaults().withPort(icePort).withHostAddresses(hosts).withAllowedRemoteNetworks(allowed)
                .withTcpPort(tcpPort(iceTcpPort.orElse(""), icePort))
                .withConsent(interval, IceConfig.DEFAULT_CONSENT_RETRANSMISSION_INTERVAL.compareTo(interval) < 0
                        ? IceConfig.DEFAULT_CONSENT_RETRANSMISSION_INTERVAL : interval, timeout);
    }

    /**
     * {@code config} with the public addresses that the STUN servers in {@code setting} report advertised for its
     * bound addresses. Unchanged, with nothing sent, when the setting is blank or an advertised address is
     * configured (that one wins). A server that does not answer leaves its bound address advertised, with a
     * warning; only a malformed setting throws.
     *
     * @throws IllegalArgumentException if {@code setting} is not a list of {@code host[:port]}
     */
    static IceConfig withDiscoveredAddresses(IceConfig config, String setting, boolean advertisedConfigured) {
        List<StunAddressDiscovery.Server> servers = stunServers(setting);
        if (servers.isEmpty()) {
            return config;
        }
        if (advertisedConfigured) {
            LOG.log(Level.INFO, "media: videoroom.ice.stun-discovery is not used, as videoroom.ice.advertised-address"
                    + " is set");
            return config;
        }
        return config.withHostAddresses(new StunAddressDiscovery(servers).advertiseDiscovered(config.hostAddresses()));
    }

    /**
     * The STUN servers of {@code videoroom.ice.stun-discovery}; none when blank.
     *
     * @throws IllegalArgumentException if the setting is not a list of {@code host[:port]}
     */
    static List<StunAddressDiscovery.Server> stunServers(String setting) {
        try {
            return StunAddressDiscovery.Server.parseList(setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("videoroom.ice.stun-discovery must be host[:port],...: "
                    + e.getMessage(), e);
        }
    }

    /** "10.0.0.5 advertised as 203.0.113.7, 127.0.0.1" */
    private static String hostsForLog(List<IceConfig.HostAddress> hosts) {
        return String.join(", ", hosts.stream().map(h -> h.bindAddress().equals(h.advertisedAddress())
                ? h.bindAddress().getHostAddress()
                : h.bindAddress().getHostAddress() + " advertised as " + h.advertisedAddress().getHostAddress())
                .toList());
    }

    private static final String LOCAL = "local";
    static final String TCP_OFF = "off";
    static final String TCP_SAME = "same";

    /**
     * The ICE-TCP port {@code videoroom.ice.tcp-port} asks for: blank or {@code off} none, {@code same} the UDP
     * port's number, anything else must be a port number. Off unless asked for, as in Jitsi Videobridge: with
     * TCP candidates a browser on a working network also opens a TCP connection and checks over it, for
     * nothing. With an ephemeral UDP port (0, tests) {@code same} means off, as ice4j's TCP listener cannot pick
     * an ephemeral port and tell us which.
     *
     * @throws IllegalArgumentException if the setting is neither blank, {@code off} nor a port 1..65535
     */
    static OptionalInt tcpPort(String setting, int udpPort) {
        String value = setting.strip();
        if (value.equalsIgnoreCase(TCP_SAME)) {
            return udpPort == 0 ? OptionalInt.empty() : OptionalInt.of(udpPort);
        }
        if (value.isEmpty() || value.equalsIgnoreCase(TCP_OFF)) {
            return OptionalInt.empty();
        }
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("videoroom.ice.tcp-port must be a port number, same or off: " + value,
                    e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("videoroom.ice.tcp-port out of range (1..65535): " + port);
        }
        return OptionalInt.of(port);
    }

    /** Loopback and every address of this machine's interfaces, each as a single-host network. */
    private static List<IpNetwork> localNetworks() {
        List<IpNetwork> networks = new ArrayList<>(List.of(IpNetwork.IPV4_LOOPBACK, IpNetwork.IPV6_LOOPBACK));
        try {
            for (NetworkInterface nic : Collections.list(
                    NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        networks.add(IpNetwork.host(address));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.log(Level.WARNING, "cannot list the network interfaces; media is accepted from loopback only", e);
        }
        return networks;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
