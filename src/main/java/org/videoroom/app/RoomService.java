package org.videoroom.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;
import org.videoroom.signaling.ConnectionLimits;
import org.videoroom.signaling.JoinPolicy;
import org.videoroom.signaling.JoinTokens;
import org.videoroom.signaling.Liveness;
import org.videoroom.signaling.MediaControl;
import org.videoroom.signaling.Outbound;
import org.videoroom.signaling.SignalCodec;
import org.videoroom.signaling.SignalingSession;
import org.videoroom.signaling.TurnCredentials;

/**
 * Owns the server's rooms and the threads that serve them, for the lifetime of the deployment: created on first
 * use, closed (every participant told) when the application stops. Endpoints and Faces beans inject it.
 */
@ApplicationScoped
public class RoomService {

    private static final System.Logger LOG = System.getLogger(RoomService.class.getName());

    @Inject
    @ConfigProperty(name = "videoroom.room.max-participants", defaultValue = "16")
    int maxParticipantsPerRoom;

    @Inject
    @ConfigProperty(name = "videoroom.signaling.threads", defaultValue = "2")
    int signalingThreads;

    @Inject
    @ConfigProperty(name = "videoroom.turn.urls", defaultValue = " ")
    String turnUrls;

    @Inject
    @ConfigProperty(name = "videoroom.turn.secret", defaultValue = " ")
    String turnSecret;

    @Inject
    @ConfigProperty(name = "videoroom.turn.credential-lifetime-seconds", defaultValue = "43200")
    long turnLifetimeSeconds;

    /** Rooms open at once; a join that would open one more is answered {@code server-full}. 0 = no cap. */
    @Inject
    @ConfigProperty(name = "videoroom.limits.max-rooms", defaultValue = "500")
    int maxRooms;

    /** Signaling sockets open at once, in all and per client address (0 = no cap; see {@link ConnectionLimits}). */
    @Inject
    @ConfigProperty(name = "videoroom.limits.max-connections", defaultValue = "2000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "videoroom.limits.connections-per-address", defaultValue = "100")
    int connectionsPerAddress;

    /** How long a socket may stay without media (not joined, or joined without an accepted offer). */
    @Inject
    @ConfigProperty(name = "videoroom.signaling.idle-timeout-seconds", defaultValue = "60")
    int idleTimeoutSeconds;

    /** Pings every this often; three unanswered intervals without any message close the socket. */
    @Inject
    @ConfigProperty(name = "videoroom.signaling.ping-interval-seconds", defaultValue = "15")
    int pingIntervalSeconds;

    /**
     * With a secret, joins need a signed token ({@link JoinTokens}) in the rooms whose name starts with the prefix
     * (every room when it is blank).
     */
    @Inject
    @ConfigProperty(name = "videoroom.auth.token-secret", defaultValue = " ")
    String tokenSecret;

    @Inject
    @ConfigProperty(name = "videoroom.auth.token-room-prefix", defaultValue = " ")
    String tokenRoomPrefix;

    /** How long a participant whose connection dropped stays in its room for the page to reconnect. */
    @Inject
    @ConfigProperty(name = "videoroom.room.reconnect-grace-seconds", defaultValue = "20")
    long reconnectGraceSeconds;

    /** Test-only: rooms whose name starts with this get 2 s idle, 1 s ping and 3 s silence limits. */
    @Inject
    @ConfigProperty(name = "videoroom.test.liveness-room-prefix", defaultValue = " ")
    String testLivenessPrefix;

    private static final Liveness.Policy TEST_LIVENESS = new Liveness.Policy(Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(3));

    private RoomRegistry registry;
    private JoinPolicy joinPolicy;
    private ConnectionLimits limits;
    private final Liveness liveness = new Liveness();
    private Liveness.Policy livenessPolicy;
    private ScheduledExecutorService livenessTimer;
    private SignalCodec codec;
    private TurnCredentials turn;
    private ExecutorService signalingExecutor;

    @PostConstruct
    void start() {
        codec = new SignalCodec();
        turn = TurnCredentials.parse(turnUrls, turnSecret.strip(), turnLifetimeSeconds);
        signalingExecutor = Executors.newFixedThreadPool(signalingThreads, Threads.named("videoroom-signaling"));
        joinPolicy = tokenSecret.isBlank() ? JoinPolicy.OPEN
                : new JoinPolicy(new JoinTokens(tokenSecret), tokenRoomPrefix);
        limits = new ConnectionLimits(maxConnections, connectionsPerAddress);
        livenessPolicy = new Liveness.Policy(Duration.ofSeconds(idleTimeoutSeconds),
                Duration.ofSeconds(pingIntervalSeconds), Duration.ofSeconds(3L * pingIntervalSeconds));
        registry = new RoomRegistry(maxParticipantsPerRoom, maxRooms, new RoomRegistry.Listener() {
            @Override
            public void onRoomOpened(RoomName room) {
                LOG.log(Level.DEBUG, "room {0} opened", room); // DEBUG: anyone can open rooms
            }

            @Override
            public void onRoomClosed(RoomName room) {
                LOG.log(Level.DEBUG, "room {0} closed", room);
            }
        });
    }

    @PreDestroy
    void stop() {
        if (livenessTimer != null) {
            livenessTimer.shutdownNow();
        }
        registry.close();
        signalingExecutor.shutdown();
        try {
            signalingExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signalingExecutor.shutdownNow();
    }

    /** Counts a socket that just opened from {@code address} (null: unknown), or says why it may not stay. */
    public ConnectionLimits.Admission admit(String address) {
        return limits.acquire(address);
    }

    /** The protocol state of a socket just admitted; it is watched for idleness until {@link #closed}. */
    public SignalingSession newSession(String roomPath, Outbound outbound, MediaControl media) {
        SignalingSession session = new SignalingSession(roomPath, registry, codec, outbound, media, turn, joinPolicy)
                .withReconnects(participant -> liveness.away(participant,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(reconnectGraceSeconds)));
        boolean test = !testLivenessPrefix.isBlank() && roomPath.startsWith(testLivenessPrefix.strip());
        liveness.register(session, test ? TEST_LIVENESS : livenessPolicy, System.nanoTime());
        startLivenessTimer();
        return session;
    }

    public void closed(SignalingSession session) {
        liveness.unregister(session);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public Liveness liveness() {
        return liveness;
    }

    /** Started with the first socket, so a deployment nobody talks to runs no timer. */
    private synchronized void startLivenessTimer() {
        if (livenessTimer == null) {
            livenessTimer = Executors.newSingleThreadScheduledExecutor(Threads.named("videoroom-signaling-liveness"));
            livenessTimer.scheduleWithFixedDelay(() -> {
                try {
                    liveness.sweep(System.nanoTime());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "signaling liveness sweep failed", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    public ExecutorService signalingExecutor() {
        return signalingExecutor;
    }

    public RoomRegistry rooms() {
        return registry;
    }
}
