package org.videoroom.load.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.videoroom.buffer.BufferPool;
import org.videoroom.media.MediaConfig;
import org.videoroom.media.MediaEngine;
import org.videoroom.room.DisplayName;
import org.videoroom.room.LeaveReason;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.ParticipantInfo;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.srtp.SrtpConfig;

/**
 * The server's own negotiation, as the application wires it ({@code MediaService}: a {@link MediaEngine} with
 * the simulcast codec policy, real rooms), for feeding it the load tool's offers: what {@code PeerSessionTest}
 * does with captured browser offers. An ICE server listens on an ephemeral 127.0.0.1 port; no media flows, as the
 * offers' candidates are never trickled.
 *
 * <p>Not thread-safe: one test's thread.
 */
final class ServerNegotiation implements AutoCloseable {

    /** {@code PeerSessionTest}'s timers (ice4j fixes its consent timers once per class loader); none fires here. */
    private static final IceConfig ICE = IceConfig.defaults()
            .withPort(0)
            .withConnectTimeout(Duration.ofSeconds(60))
            .withConsent(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(1500));
    private static final RoomName ROOM = new RoomName("load-offer-test");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService events = Executors.newCachedThreadPool();
    private final IceServer iceServer = new IceServer(ICE, scheduler);
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final BufferPool pool = new BufferPool(64, true);
    private final MediaEngine engine = new MediaEngine(iceServer, certificate, DtlsConfig.DEFAULT, SrtpConfig.DEFAULT,
            MediaConfig.DEFAULT, CodecPolicy.defaults().withSimulcast(), pool, scheduler, events, events, events,
            System::nanoTime);
    private final RoomRegistry rooms = new RoomRegistry(8, new RoomRegistry.Listener() {
        @Override
        public void onRoomOpened(RoomName room) {
        }

        @Override
        public void onRoomClosed(RoomName room) {
        }
    });

    Participant join(String name) {
        return rooms.join(ROOM, DisplayName.of(name), new Participant.Listener() {
            @Override
            public void onJoined(Participant self, List<ParticipantInfo> others,
                                 List<TrackInfo> tracks) {
            }

            @Override
            public void onParticipantJoined(ParticipantInfo participant) {
            }

            @Override
            public void onTracksAdded(List<TrackInfo> tracks) {
            }

            @Override
            public void onTracksRemoved(List<TrackId> tracks) {
            }

            @Override
            public void onParticipantLeft(ParticipantId participant, LeaveReason reason) {
            }

            @Override
            public void onRemoved(LeaveReason reason) {
            }
        });
    }

    /** The server's answer to {@code participant}'s offer; {@code wanted} maps recvonly MIDs to track ids. */
    String offer(Participant participant, String sdp, Map<String, String> wanted) {
        return engine.session(participant).offer(sdp, wanted);
    }

    Fingerprint fingerprint() {
        return Fingerprint.parse(certificate.fingerprint().format());
    }

    int icePort() {
        return iceServer.port();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            engine.close();
            rooms.close();
        } finally {
            iceServer.close();
            scheduler.shutdownNow();
            events.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            events.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pool.stats().outstanding() != 0) {
            throw new AssertionError(pool.stats().outstanding() + " buffers outstanding");
        }
    }
}
