package org.videoroom.media;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.videoroom.buffer.BufferPool;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.Room;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.transport.PeerTransport;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.srtp.SrtpConfig;

/**
 * The SFU: one {@link PeerSession} per participant that negotiates media, all sharing the ICE port, the DTLS
 * certificate, the buffer pool and the timers that the application hands in (and closes after this).
 *
 * <p>Thread-safe.
 */
public final class MediaEngine implements AutoCloseable {

    // Passed in.
    private final IceServer iceServer;
    private final DtlsCertificate certificate;
    private final DtlsConfig dtlsConfig;
    private final SrtpConfig srtpConfig;
    private final MediaConfig config;
    private final BufferPool pool;
    private final ScheduledExecutorService scheduler;
    private final Executor events;
    private final Executor handshakes;
    private final Executor send;
    private final LongSupplier nanoClock;

    // Created here.
    private final AnswerBuilder answerBuilder;
    private final Fingerprint localFingerprint;
    private final SecureRandom random = new SecureRandom();
    private final ForwardingCounters counters = new ForwardingCounters();
    private final Map<Room, RoomMedia> rooms = new ConcurrentHashMap<>();
    private final Map<ParticipantId, PeerSession> sessions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Every room's active speaker, decided on one timer (it reads a few numbers per participant). */
    private final java.util.concurrent.ScheduledFuture<?> speakers;
    private static final long SPEAKER_TICK_MILLIS = 200;
    private static final System.Logger LOG = System.getLogger(MediaEngine.class.getName());

    public MediaEngine(IceServer iceServer, DtlsCertificate certificate, DtlsConfig dtlsConfig, SrtpConfig srtpConfig,
                       MediaConfig config, CodecPolicy codecPolicy, BufferPool pool,
                       ScheduledExecutorService scheduler, Executor events, Executor handshakes, Executor send,
                       LongSupplier nanoClock) {
        this.iceServer = iceServer;
        this.certificate = certificate;
        this.dtlsConfig = dtlsConfig;
        this.srtpConfig = srtpConfig;
        this.config = config;
        this.pool = pool;
        this.scheduler = scheduler;
        this.events = events;
        this.handshakes = handshakes;
        this.send = send;
        this.nanoClock = nanoClock;
        this.answerBuilder = new AnswerBuilder(codecPolicy);
        this.localFingerprint = certificate.fingerprint();
        this.speakers = scheduler.scheduleAtFixedRate(this::tickSpeakers, SPEAKER_TICK_MILLIS, SPEAKER_TICK_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void tickSpeakers() {
        long now = nanoClock.getAsLong();
        for (RoomMedia room : rooms.values()) {
            try {
                room.tickSpeaker(now);
            } catch (RuntimeException e) {
                // One room's failure must not end the timer for every room.
                LOG.log(System.Logger.Level.WARNING, "active speaker of " + room.room().name() + " failed", e);
            }
        }
    }

    /**
     * The participant's media session, created with its first offer; it closes with the participant.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public PeerSession session(Participant participant) {
        if (closed.get()) {
            throw new IllegalStateException("the media engine is closed");
        }
        PeerSession[] created = new PeerSession[1];
        PeerSession session = sessions.computeIfAbsent(participant.id(), id -> {
            // Joining inside compute() so the room media cannot be removed (last session closing) in between.
            RoomMedia[] joined = new RoomMedia[1];
            rooms.compute(participant.room(), (room, existing) -> {
                joined[0] = existing != null ? existing
                        : new RoomMedia(room, config.forwardLossFor(room.name().value()));
                joined[0].reserve();
                return joined[0];
            });
            try {
                PeerSession fresh = new PeerSession(this, participant, joined[0], random);
                joined[0].join(fresh);
                created[0] = fresh;
                return fresh;
            } finally {
                releaseReservation(joined[0]);
            }
        });
        if (created[0] != null) {
            participant.attach(created[0]);
        }
        return session;
    }

    /** The participant's media session if it has offered; never creates one. */
    public java.util.Optional<PeerSession> find(ParticipantId participant) {
        return java.util.Optional.ofNullable(sessions.get(participant));
    }

    public ForwardingStats stats() {
        return counters.snapshot();
    }

    /**
     * How a subscriber's page shows one remote participant.
     *
     * @param visible whether any of the tile is on screen
     * @param height  its height in device pixels, 0 when unknown
     */
    public record Tile(boolean visible, int height) {
    }

    /** Each participant's estimate and forwarded layers. */
    public List<ParticipantMediaStats> participantStats() {
        return sessions.values().stream().map(PeerSession::stats).toList();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            speakers.cancel(false);
            for (PeerSession session : List.copyOf(sessions.values())) {
                session.close();
            }
        }
    }

    // ---- for the sessions --------------------------------------------------------------------------------------

    PeerTransport newTransport(String id, PeerTransport.Listener listener) {
        return new PeerTransport(id, iceServer, certificate, dtlsConfig, srtpConfig, events, handshakes, listener);
    }

    PublishedTrack newTrack(TrackInfo info, String mid, List<String> rids, long ssrc, int clockRate,
                            PeerSession publisher, NegotiatedMedia media) {
        return new PublishedTrack(info, mid, rids, ssrc, clockRate, publisher, media, config, nanoClock);
    }

    void sessionClosed(PeerSession session, RoomMedia roomMedia) {
        sessions.remove(session.participantId(), session);
        rooms.computeIfPresent(roomMedia.room(), (room, current) ->
                current == roomMedia && current.leave(session) ? null : current);
    }

    private void releaseReservation(RoomMedia roomMedia) {
        rooms.computeIfPresent(roomMedia.room(), (room, current) ->
                current == roomMedia && current.unreserve() ? null : current);
    }

    /** What {@link #warmUp} took, in ms per part. */
    public record WarmUp(long negotiationMs, long iceMs, long dtlsMs) {
    }

    /**
     * Runs once through the code the first participant's session would otherwise load and compile while a person
     * waits: a recorded Chromium offer negotiated by a throwaway negotiator, an ICE transport created and closed,
     * a DTLS-SRTP handshake in memory. Nothing of it stays. Call it on a thread that ends afterwards (Bouncy Castle
     * leaves thread-locals behind).
     *
     * @throws RuntimeException if a part fails; the engine works all the same, the first session is only slower
     */
    public WarmUp warmUp() {
        long start = System.nanoTime();
        String offer;
        try (java.io.InputStream in = MediaEngine.class.getResourceAsStream("warm-up-offer.sdp")) {
            offer = new String(java.util.Objects.requireNonNull(in, "warm-up-offer.sdp").readAllBytes(),
                    java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new Negotiator(answerBuilder, 1, 1, () -> 2, "[warm-up] ").negotiate(offer,
                org.videoroom.sdp.LocalTransportParameters.withCandidates("warm", "warmupwarmupwarmupwarmup",
                        localFingerprint, List.of()), Map.of());
        long negotiated = System.nanoTime();
        iceServer.createTransport("warm-up", new org.videoroom.transport.ice.IceTransport.Listener() {
            @Override
            public void onIceConnected(org.videoroom.transport.ice.IceSelectedPair selectedPair) {
            }

            @Override
            public void onIceFailed(org.videoroom.transport.ice.IceFailureReason reason) {
            }

            @Override
            public void onIceConsentExpired() {
            }

            @Override
            public void onPacket(byte[] buf, int off, int len, long arrivalNanos) {
            }
        }, Runnable::run).close();
        long iced = System.nanoTime();
        long dtlsMs = org.videoroom.transport.dtls.DtlsWarmUp.run(certificate, dtlsConfig);
        return new WarmUp((negotiated - start) / 1_000_000, (iced - negotiated) / 1_000_000, dtlsMs);
    }

    /** A random 32-bit SSRC, never 0. */
    long randomSsrc() {
        long ssrc;
        do {
            ssrc = random.nextInt() & 0xFFFFFFFFL;
        } while (ssrc == 0);
        return ssrc;
    }

    AnswerBuilder answerBuilder() {
        return answerBuilder;
    }

    Fingerprint localFingerprint() {
        return localFingerprint;
    }

    MediaConfig config() {
        return config;
    }

    BufferPool pool() {
        return pool;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs the subscribers' send queues: encryption and the system call, off the publishers' threads. */
    Executor sendExecutor() {
        return send;
    }

    LongSupplier nanoClock() {
        return nanoClock;
    }

    ForwardingCounters counters() {
        return counters;
    }
}
