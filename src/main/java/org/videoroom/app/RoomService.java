package org.videoroom.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;
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

    private RoomRegistry registry;
    private SignalCodec codec;
    private TurnCredentials turn;
    private ExecutorService signalingExecutor;

    @PostConstruct
    void start() {
        codec = new SignalCodec();
        turn = TurnCredentials.parse(turnUrls, turnSecret.strip(), turnLifetimeSeconds);
        signalingExecutor = Executors.newFixedThreadPool(signalingThreads, Threads.named("videoroom-signaling"));
        registry = new RoomRegistry(maxParticipantsPerRoom, new RoomRegistry.Listener() {
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
        registry.close();
        signalingExecutor.shutdown();
        try {
            signalingExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signalingExecutor.shutdownNow();
    }

    public SignalingSession newSession(String roomPath, Outbound outbound, MediaControl media) {
        return new SignalingSession(roomPath, registry, codec, outbound, media, turn);
    }

    public ExecutorService signalingExecutor() {
        return signalingExecutor;
    }

    public RoomRegistry rooms() {
        return registry;
    }
}
