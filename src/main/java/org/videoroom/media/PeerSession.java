package org.videoroom.media;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.videoroom.bwe.BweConfig;
import org.videoroom.media.NegotiationPlan.ReceiveExtensionIds;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;
import org.videoroom.room.LeaveReason;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.room.TrackSource;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.transport.PeerTransport;
import org.videoroom.transport.ice.RemoteCandidateResult;

/**
 * One participant's media: the lifecycle and wiring of its parts. The browser always offers; the
 * {@link Negotiator} answers and plans, and the session applies the plan to its published tracks and its
 * {@link Subscriptions}.
 * <ul>
 *   <li>receive (the transport's reader thread): RTP through the {@link ReceivePipeline} to the published tracks,
 *       which fan out to the subscriptions (the room's router); RTCP through the {@link RtcpTerminator} to
 *       {@link RtcpActions};</li>
 *   <li>send (this participant's {@link SendQueue}): each {@link Subscription}'s pipeline, then the
 *       {@link TransportCcStamp} and the transport; the {@link DownlinkController} spends the estimate on the
 *       layers and probes;</li>
 *   <li>reports to the publisher: {@link RtcpReporter}.</li>
 * </ul>
 *
 * <p>Thread-safety: the control plane (signaling threads, timers starting) is synchronized on the session; the
 * packet paths read volatile arrays and take no lock.
 */
public final class PeerSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PeerSession.class.getName());

    // Passed in.
    private final MediaEngine engine;
    private final Participant participant;
    private final RoomMedia roomMedia;
    /** The SSRCs this participant sends with, claimed in the room. */
    private final SsrcOwners.Claims ssrcClaims;

    // Created here.
    private final String logPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();
    private final PeerTransport transport;
    private final Negotiator negotiator;
    private final Publications publications;
    private final Subscriptions subscriptions = new Subscriptions();
    private final SubscriberSink sink = new Sink();
    /** What subscriptions forward to this participant, sent in order on the engine's send executor. */
    private final SendQueue sendQueue;
    private final DownlinkController downlink;
    private final Runnable allocate = this::allocate;
    private final Runnable probeTick = this::probeTick;
    private final Runnable probeTimerTick = this::onProbeTimer;
    /** Only while a probe runs; set and cleared on the drain, read by the timer and by close(). */
    private volatile ScheduledFuture<?> probeTimer;
    private final TransportCcStamp transportCcStamp;
    private final TransportCcFeedback transportCc;
    private final RtcpReporter reporter;
    /** The server's view of this participant's uplink (report timer thread only). */
    private final UplinkQuality uplink = new UplinkQuality();
    private final RtpDemuxer demuxer;
    private final TransportCcRecorder transportCcRecorder;
    /** REMB for a publisher without transport-cc: the pipeline's other arrival observer. */
    private final RembFeedback remb;
    /** How loud this participant's microphone is, for the room's active speaker. */
    private final SpeechActivity speech = new SpeechActivity();
    /** Whether the room's detector made this participant the active speaker (its video goes first). */
    private volatile boolean dominantSpeaker;
    private final ReceivePipeline receive;
    private final RtcpTerminator rtcp;

    // Control plane, guarded by this.
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    PeerSession(MediaEngine engine, Participant participant, RoomMedia roomMedia, SecureRandom random) {
        this.engine = engine;
        this.participant = participant;
        this.roomMedia = roomMedia;
        this.logPrefix = "[" + roomMedia.room().name() + "/" + participant.id() + "] ";
        long localSsrc = engine.randomSsrc();
        this.ssrcClaims = roomMedia.ssrcOwners().claimsOf(participant.id().value());
        this.negotiator = new Negotiator(engine.answerBuilder(), random.nextLong() & Long.MAX_VALUE, localSsrc,
                engine::randomSsrc, ssrcClaims, logPrefix);
        this.publications = new Publications(roomMedia);
        this.transport = engine.newTransport(participant.id().value(), new TransportEvents());
        this.sendQueue = new SendQueue(SendQueue.DEFAULT_CAPACITY, engine.sendExecutor(), engine.pool());
        this.downlink = new DownlinkController(subscriptions::all, BweConfig.defaults(), engine.counters(),
                engine.nanoClock());
        this.transportCcStamp = new TransportCcStamp(downlink, engine.nanoClock(),
                ThreadLocalRandom.current().nextInt(1 << 16));
        this.transportCc = new TransportCcFeedback(localSsrc);
        this.reporter = new RtcpReporter(localSsrc, transportCc, engine.pool(), engine.counters(),
                transport::sendRtcp);
        this.demuxer = new RtpDemuxer(logPrefix, ssrcClaims);
        this.transportCcRecorder = new TransportCcRecorder(transportCc,
                now -> reporter.transportCcFeedback(demuxer.tracks(), now));
        this.remb = new RembFeedback(localSsrc, engine.pool(), transport::sendRtcp,
                demuxer::tracks);
        this.receive = new ReceivePipeline(demuxer, engine.counters(), transportCcRecorder,
                remb, speech);
        this.rtcp = new RtcpTerminator(new RtcpActions(demuxer::tracks, subscriptions, sendQueue, downlink,
                engine.counters(), engine.nanoClock()));
    }

    ParticipantId participantId() {
        return participant.id();
    }

    public String id() {
        return participant.id().value();
    }

    /**
     * Answers an offer and applies what it negotiated.
     *
     * @param wanted for each recvonly MID, the id of the remote track the browser wants there
     * @return the SDP answer
     * @throws MediaRequestException with {@link MediaRequestException.Kind#BAD_SDP}
     */
    public String offer(String sdp, Map<String, String> wanted) {
        return offer(sdp, wanted, Map.of());
    }

    /**
     * @param sources what this offer's new sendonly MIDs carry, where it is not their kind's default; a source that
     *                does not fit its line's kind is taken as the default, and a published track keeps the source
     *                it was first announced with
     */
    public String offer(String sdp, Map<String, String> wanted, Map<String, TrackSource> sources) {
        List<Subscription> started;
        NegotiationPlan plan;
        synchronized (this) {
            if (closed.get()) {
                throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, "the media session is closed");
            }
            Map<String, PublishedTrack> wantedTracks = new HashMap<>();
            wanted.forEach((mid, trackId) -> {
                PublishedTrack track = lookup(trackId);
                if (track != null && track.publisher() != this) {
                    wantedTracks.put(mid, track);
                }
            });
            try {
                plan = negotiator.negotiate(sdp, LocalTransportParameters.withCandidates(transport.localUfrag(),
                        transport.localPassword(), engine.localFingerprint(), transport.localCandidates()), () -> {
                            PeerTransport.IceRestart restart = transport.prepareIceRestart();
                            return LocalTransportParameters.withCandidates(restart.localUfrag(),
                                    restart.localPassword(), engine.localFingerprint(), restart.localCandidates());
                        }, wantedTracks);
            } catch (RuntimeException e) {
                // A refused restart offer leaves no prepared agent behind (a no-op for any other offer).
                transport.abandonIceRestart();
                throw e;
            }
            if (plan.startsIce()) {
                startIce(plan.session());
            } else if (plan.restartsIce()) {
                restartIce(plan.session());
            }
            applyPublications(plan, sources);
            started = subscriptions.apply(plan, this::subscribe);
            LOG.log(Level.DEBUG, "{0}answered an offer ({1} published, {2} subscribed)", logPrefix,
                    publications.size(), subscriptions.size());
        }
        // Outside the lock: a keyframe request is I/O on the publisher's transport.
        if (transport.isConnected()) {
            started.forEach(subscription -> subscription.track().requestKeyframe());
        }
        return plan.answer();
    }

    /**
     * Takes a trickled candidate ("" = end of candidates).
     *
     * @throws MediaRequestException with {@link MediaRequestException.Kind#BAD_CANDIDATE}
     */
    public void candidate(String candidate) {
        synchronized (this) {
            if (negotiator.remoteUfrag() == null) {
                throw new MediaRequestException(MediaRequestException.Kind.BAD_CANDIDATE,
                        "a candidate needs an offer first");
            }
        }
        RemoteCandidateResult result;
        try {
            result = transport.addRemoteCandidate(candidate);
        } catch (RuntimeException e) {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_CANDIDATE,
                    "not an ICE candidate: " + e.getMessage(), e);
        }
        LOG.log(Level.TRACE, "{0}remote candidate {1}: {2}", logPrefix, candidate, result);
    }

    /** How this participant's page shows the others; see {@link DownlinkController#viewport}. */
    public void viewport(Map<String, MediaEngine.Tile> tiles) {
        downlink.viewport(tiles);
    }

    /** Idempotent: withdraws this participant's tracks and subscriptions and closes the transport. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            timers.forEach(timer -> timer.cancel(false));
            ScheduledFuture<?> probing = probeTimer;
            if (probing != null) {
                probing.cancel(false);
            }
            publications.close();
            subscriptions.close();
            demuxer.update(List.of(), List.of(), ReceiveExtensionIds.NONE);
            ssrcClaims.releaseAll();
        }
        sendQueue.close();
        try {
            transport.close();
        } finally {
            engine.sessionClosed(this, roomMedia);
        }
    }

    // ---- applying a negotiation --------------------------------------------------------------------------------

    /** The browser restarted ICE (its network changed, or its pair failed): a new agent, the same DTLS session. */
    private void restartIce(NegotiatedSession session) {
        transport.restartIce(session.remoteIce().ufrag(), session.remoteIce().pwd());
        addOfferedCandidates(session);
    }

    private void startIce(NegotiatedSession session) {
        try {
            transport.start(session.remoteIce().ufrag(), session.remoteIce().pwd(), session.remoteFingerprints());
        } catch (RuntimeException e) {
            // Credentials or fingerprints the transport refuses: this session can never carry media, so it
            // goes (a later offer starts a fresh one) and the browser is told why.
            close();
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP,
                    "cannot start the media transport: " + e.getMessage(), e);
        }
        addOfferedCandidates(session);
    }

    /** The candidates written in the offer itself (a browser that gathered before offering puts them there). */
    private void addOfferedCandidates(NegotiatedSession session) {
        for (IceCandidate candidate : session.remoteCandidates()) {
            try {
                transport.addRemoteCandidate(candidate.format());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "{0}ignored a candidate of the offer: {1}", logPrefix, e.getMessage());
            }
        }
    }

    private void applyPublications(NegotiationPlan plan, Map<String, TrackSource> sources) {
        // One screen share per participant: it ranks above every camera at each subscriber, so a second one (or
        // a camera labelled a screen) would take what the others' cameras are owed.
        boolean[] screen = {participant.published().stream().anyMatch(TrackInfo::isScreen)};
        Publications.Change change = publications.apply(plan, publication -> engine.newTrack(
                new TrackInfo(TrackId.of(participant.id(), publication.mid()), participant.id(), publication.kind(),
                        oneScreen(TrackSource.of(sources.get(publication.mid()), publication.kind()), screen)),
                publication.mid(), publication.rids(), publication.ssrc(), publication.clockRate(), this,
                publication.media()));
        demuxer.update(plan.publications(), publications.tracks(), plan.receiveExtensions());
        transportCcRecorder.extensionId(plan.receiveExtensions().transportCc());
        remb.configure(plan.session());
        speech.extensionId(plan.receiveExtensions().audioLevel());
        transportCcStamp.extensionId(plan.sendTransportCcId());
        if (!change.removed().isEmpty()) {
            participant.unpublish(change.removed());
        }
        if (!change.added().isEmpty()) {
            participant.publish(change.added());
        }
    }

    private static TrackSource oneScreen(TrackSource declared, boolean[] screenSeen) {
        if (declared != TrackSource.SCREEN) {
            return declared;
        }
        if (screenSeen[0]) {
            return TrackSource.CAMERA;
        }
        screenSeen[0] = true;
        return declared;
    }

    private Subscription subscribe(SubscriptionPlan planned) {
        return new Subscription(sink, sendQueue, planned.track(), planned.mid(), planned.ssrc(),
                planned.payloadTypeMap(), planned.vp8PayloadTypes(), planned.extensionIds(),
                planned.rtxPacketizer(ThreadLocalRandom.current().nextInt(1 << 16)), planned.nack(),
                roomMedia.lossPercent(),
                engine.pool(), engine.counters(), engine.nanoClock());
    }

    private PublishedTrack lookup(String trackId) {
        try {
            return roomMedia.track(new TrackId(trackId));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- for this participant's published tracks ---------------------------------------------------------------

    /** Sends a NACK for one of this participant's layers. */
    void sendNack(long mediaSsrc, List<Integer> lost) {
        reporter.nack(mediaSsrc, lost);
    }

    /** Sends a PLI for one of this participant's layers (rate limiting is the layer's business). */
    void sendKeyframeRequest(long mediaSsrc) {
        reporter.keyframeRequest(mediaSsrc);
    }

    /** Whether media can flow to and from this participant now. */
    /** This participant's smoothed microphone loudness now (0 silent .. 127); any thread. */
    double loudness(long nowNanos) {
        return speech.loudness(nowNanos);
    }

    boolean isDominantSpeaker() {
        return dominantSpeaker;
    }

    /** The room's detector's finding: announced to the room and used to put this one's video first. */
    void dominantSpeaker(boolean speaking) {
        dominantSpeaker = speaking;
        participant.speaking(speaking);
    }

    boolean isConnected() {
        return transport.isConnected();
    }

    /** A snapshot for the stats resource; any thread. */
    ParticipantMediaStats stats() {
        String iceProtocol = transport.selectedPair().map(p -> p.protocol().wire()).orElse("");
        return new ParticipantMediaStats(id(), iceProtocol, transport.iceRestarts(), downlink.estimateBps(), downlink.lastBwe(),
                transportCc.stats(),
                remb.stats(), sendQueue.dropped(), transport.stats().beforeKeysDropped(), receive.stats(), rtcp.stats(),
                subscriptions.stats());
    }

    /** This participant as the receiving end of its subscriptions: the end of every send pipeline towards it. */
    private final class Sink implements SubscriberSink {
        @Override
        public String id() {
            return PeerSession.this.id();
        }

        /** Drain: the transport-wide stamp, then the transport encrypts and sends. */
        @Override
        public void sendRtp(byte[] buf, int len) {
            transportCcStamp.stamp(buf, len);
            transport.sendRtp(buf, 0, len);
        }

        @Override
        public void sendRtcp(List<? extends RtcpPacket> packets) {
            reporter.send(packets);
        }
    }

    private final class TransportEvents implements PeerTransport.Listener {
        @Override
        public void onTransportConnected() {
            LOG.log(Level.INFO, "{0}media connected {1} ms after the media session started", logPrefix,
                    (System.nanoTime() - createdNanos) / 1_000_000);
            synchronized (PeerSession.this) {
                if (!closed.get()) {
                    startTimers();
                }
            }
            for (Subscription subscription : subscriptions.all()) {
                subscription.track().requestKeyframe();
            }
        }

        @Override
        public void onIceRestarted() {
            // Frames were lost both ways while the path was down: keyframes instead of waiting for the browsers.
            for (Subscription subscription : subscriptions.all()) {
                subscription.track().requestKeyframe();
            }
            List<PublishedTrack> own;
            synchronized (PeerSession.this) {
                own = List.copyOf(publications.tracks());
            }
            own.forEach(PublishedTrack::requestKeyframe);
        }

        @Override
        public void onTransportFailed(String reason) {
            participant.remove(LeaveReason.TRANSPORT_FAILED);
        }

        @Override
        public void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
            receive.onRtp(buf, off, len, arrivalNanos);
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            rtcp.onRtcp(buf, off, len);
        }
    }

    /** Receiver reports to the publisher; allocation and probe ticks on the subscriber's drain. */
    private void startTimers() {
        long reportMs = engine.config().receiverReportInterval().toMillis();
        timers.add(engine.scheduler().scheduleAtFixedRate(() -> {
            PublishedTrack[] tracks = demuxer.tracks();
            if (tracks.length > 0 && transport.isConnected()) {
                reporter.receiverReports(tracks, engine.nanoClock().getAsLong(), uplink);
                participant.connection(uplink.endInterval());
            }
        }, reportMs, reportMs, TimeUnit.MILLISECONDS));
        timers.add(engine.scheduler().scheduleAtFixedRate(() -> sendQueue.execute(allocate),
                DownlinkController.ALLOCATION_INTERVAL_MS, DownlinkController.ALLOCATION_INTERVAL_MS,
                TimeUnit.MILLISECONDS));
    }

    // ---- probe ticks: a timer only while a probe runs ----------------------------------------------------------
    // A probe's ticks come every 10 ms, and most of the time no probe runs: a timer per session for the session's
    // whole life woke the timer thread 100 times a second per participant for nothing (at 8 rooms of 6, 4,800
    // wake-ups a second, a tenth of a core). Each probe starts its own timer instead, and the first tick that
    // finds the probe over stops it. Starting and stopping both happen on the drain, so they need no lock.

    /** Drain. */
    private void allocate() {
        downlink.allocate();
        ScheduledFuture<?> timer = probeTimer;
        // A timer that ended on its own (an Error in a tick ends a periodic task) must not leave a probe tickless.
        if (downlink.probing() && (timer == null || timer.isDone()) && !closed.get()) {
            probeTimer = engine.scheduler().scheduleAtFixedRate(probeTimerTick, DownlinkController.PROBE_TICK_MS,
                    DownlinkController.PROBE_TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The probe timer: the tick's work is the drain's. */
    private void onProbeTimer() {
        if (closed.get()) {
            ScheduledFuture<?> timer = probeTimer;
            if (timer != null) {
                timer.cancel(false); // close() may have run before this timer was set
            }
            return;
        }
        sendQueue.execute(probeTick);
    }

    /** Drain. */
    private void probeTick() {
        if (downlink.probing()) {
            downlink.probeTick();
        } else if (probeTimer != null) {
            probeTimer.cancel(false);
            probeTimer = null;
        }
    }

    @Override
    public String toString() {
        return "PeerSession" + logPrefix.trim();
    }
}
