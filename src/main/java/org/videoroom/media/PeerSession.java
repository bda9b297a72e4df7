package org.videoroom.media;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.ReceiveExtensionIds;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;
import org.videoroom.bwe.BweConfig;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.room.LeaveReason;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.transport.PeerTransport;
import org.videoroom.transport.dtls.DtlsFingerprint;
import org.videoroom.transport.ice.RemoteCandidateResult;

/**
 * One participant's media: its {@link PeerTransport}, what its offers negotiated, the tracks it publishes and its
 * subscriptions to others' tracks. The browser always offers; every offer is answered here, and the difference to
 * the previous negotiation becomes published/withdrawn tracks and added/removed subscriptions.
 *
 * <p>Receive path (the transport's reader thread): RTP → {@link PublishedTrack} by SSRC → subscriptions; RTCP →
 * sender reports relayed to subscribers, PLI/FIR turned into rate-limited keyframe requests upstream, NACKs
 * answered from the track's packet cache. Control plane (signaling threads) is synchronized on the session; the
 * packet path reads volatile arrays and takes no lock.
 */
public final class PeerSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PeerSession.class.getName());
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];

    // Passed in.
    private final MediaEngine engine;
    private final Participant participant;
    private final RoomMedia roomMedia;

    // Created here.
    private final PeerTransport transport;
    private final long localSsrc;
    private final Negotiator negotiator;
    private final String logPrefix;
    private final SubscriberSink sink = new Sink();
    private final DownlinkController downlink;
    private final TransportCcStamp transportCcStamp;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();
    /** Receive thread only. */
    private final TransportCcFeedback transportCc;
    private final RtpDemuxer demuxer;
    private final TransportCcRecorder transportCcRecorder;
    private final ReceivePipeline receive;
    private final RtcpTerminator rtcp = new RtcpTerminator(new RtcpEvents());
    private final RtcpReporter reporter;
    /** What subscriptions forward to this participant, sent in order on the engine's send executor. */
    private final SendQueue sendQueue;

    // Control plane, guarded by this.
    private final Map<String, PublishedTrack> publishedByMid = new HashMap<>();
    private final Map<String, Subscription> subscriptionsByMid = new HashMap<>();
    private ScheduledFuture<?> reports;
    private ScheduledFuture<?> allocation;
    private ScheduledFuture<?> probing;

    // Read on the packet path.
    private volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;

    PeerSession(MediaEngine engine, Participant participant, RoomMedia roomMedia, SecureRandom random) {
        this.engine = engine;
        this.participant = participant;
        this.roomMedia = roomMedia;
        this.localSsrc = engine.randomSsrc();
        this.logPrefix = "[" + roomMedia.room().name() + "/" + participant.id() + "] ";
        this.negotiator = new Negotiator(engine.answerBuilder(), random.nextLong() & Long.MAX_VALUE, localSsrc,
                engine::randomSsrc, logPrefix);
        this.transportCc = new TransportCcFeedback(localSsrc);
        this.transport = engine.newTransport(participant.id().value(), new TransportEvents());
        this.reporter = new RtcpReporter(localSsrc, transportCc, engine.pool(), engine.counters(),
                transport::sendRtcp);
        this.demuxer = new RtpDemuxer(logPrefix);
        this.transportCcRecorder = new TransportCcRecorder(transportCc,
                now -> reporter.transportCcFeedback(demuxer.tracks(), now));
        this.receive = new ReceivePipeline(demuxer, engine.counters(), engine.nanoClock(), transportCcRecorder);
        this.sendQueue = new SendQueue(SendQueue.DEFAULT_CAPACITY, engine.sendExecutor(), engine.pool());
        this.downlink = new DownlinkController(() -> subscriptions, BweConfig.defaults(), engine.counters(),
                engine.nanoClock());
        this.transportCcStamp = new TransportCcStamp(downlink, engine.nanoClock(),
                ThreadLocalRandom.current().nextInt(1 << 16));
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
        List<PublishedTrack> needKeyframes = new ArrayList<>();
        String answer;
        synchronized (this) {
            answer = negotiate(sdp, wanted, needKeyframes);
        }
        // Outside the lock: a keyframe request is I/O on the publisher's transport.
        needKeyframes.forEach(PublishedTrack::requestKeyframe);
        return answer;
    }

    private String negotiate(String sdp, Map<String, String> wanted, List<PublishedTrack> needKeyframes) {
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
        NegotiationPlan plan = negotiator.negotiate(sdp, localParameters(), wantedTracks);
        if (plan.startsIce()) {
            startIce(plan.session());
        }
        applyPublications(plan);
        applySubscriptions(plan, needKeyframes);
        LOG.log(Level.DEBUG, "{0}answered an offer ({1} published, {2} subscribed)", logPrefix,
                publishedByMid.size(), subscriptionsByMid.size());
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

    /**
     * How this participant's page shows the others (participant id → tile); the next allocation sends no video
     * to hidden tiles and no layer taller than a tile needs. Participants the page does not mention are shown.
     */
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
            if (reports != null) {
                reports.cancel(false);
            }
            if (allocation != null) {
                allocation.cancel(false);
            }
            if (probing != null) {
                probing.cancel(false);
            }
            for (PublishedTrack track : publishedByMid.values()) {
                roomMedia.remove(track);
                track.close();
            }
            publishedByMid.clear();
            for (Subscription subscription : subscriptionsByMid.values()) {
                subscription.track().remove(subscription);
                subscription.close();
            }
            subscriptionsByMid.clear();
            demuxer.update(List.of(), List.of(), ReceiveExtensionIds.NONE);
            subscriptions = NO_SUBSCRIPTIONS;
        }
        sendQueue.close();
        try {
            transport.close();
        } finally {
            engine.sessionClosed(this, roomMedia);
        }
    }

    // ---- negotiation -------------------------------------------------------------------------------------------

    private LocalTransportParameters localParameters() {
        List<IceCandidate> candidates = transport.localCandidates().stream()
                .map(c -> IceCandidate.parse(c.toAttributeValue()))
                .toList();
        return LocalTransportParameters.withCandidates(transport.localUfrag(), transport.localPassword(),
                engine.localFingerprint(), candidates);
    }

    private void startIce(NegotiatedSession session) {
        try {
            List<DtlsFingerprint> fingerprints = session.remoteFingerprints().stream()
                    .map(PeerSession::dtlsFingerprint).toList();
            transport.start(session.remoteIce().ufrag(), session.remoteIce().pwd(), fingerprints);
        } catch (RuntimeException e) {
            // Credentials or fingerprints the transport refuses: this session can never carry media, so it
            // goes (a later offer starts a fresh one) and the browser is told why.
            close();
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP,
                    "cannot start the media transport: " + e.getMessage(), e);
        }
        for (IceCandidate candidate : session.remoteCandidates()) {
            try {
                transport.addRemoteCandidate(candidate.format());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "{0}ignored a candidate of the offer: {1}", logPrefix, e.getMessage());
            }
        }
    }

    private void applyPublications(NegotiationPlan plan) {
        List<TrackInfo> added = new ArrayList<>();
        List<TrackId> removed = new ArrayList<>();
        for (String mid : plan.withdrawn()) {
            PublishedTrack old = publishedByMid.remove(mid);
            removed.add(old.info().id());
            roomMedia.remove(old);
            old.close();
        }
        Map<String, PublishedTrack> next = new LinkedHashMap<>();
        for (PublicationPlan publication : plan.publications()) {
            PublishedTrack track = publishedByMid.get(publication.mid());
            if (publication.fresh()) {
                TrackInfo info = new TrackInfo(TrackId.of(participant.id(), publication.mid()), participant.id(),
                        publication.kind());
                track = engine.newTrack(info, publication.mid(), publication.rids(), publication.ssrc(),
                        publication.clockRate(), this, publication.media());
                added.add(info);
            }
            next.put(publication.mid(), track);
        }
        demuxer.update(plan.publications(), List.copyOf(next.values()), plan.receiveExtensions());
        transportCcRecorder.extensionId(plan.receiveExtensions().transportCc());
        transportCcStamp.extensionId(plan.sendTransportCcId());
        publishedByMid.clear();
        publishedByMid.putAll(next);
        for (PublishedTrack track : next.values()) {
            roomMedia.add(track);
        }
        if (!removed.isEmpty()) {
            participant.unpublish(removed);
        }
        if (!added.isEmpty()) {
            participant.publish(added);
        }
    }

    private void applySubscriptions(NegotiationPlan plan, List<PublishedTrack> needKeyframes) {
        for (String mid : plan.ended()) {
            Subscription old = subscriptionsByMid.remove(mid);
            old.track().remove(old);
            old.close();
        }
        Map<String, Subscription> next = new LinkedHashMap<>();
        List<Subscription> started = new ArrayList<>();
        for (SubscriptionPlan planned : plan.subscriptions()) {
            if (!planned.fresh()) {
                next.put(planned.mid(), subscriptionsByMid.get(planned.mid()));
                continue;
            }
            Subscription subscription = new Subscription(sink, sendQueue, planned.track(), planned.mid(),
                    planned.ssrc(), planned.payloadTypeMap(), planned.vp8PayloadTypes(), planned.extensionIds(),
                    planned.rtxPacketizer(ThreadLocalRandom.current().nextInt(1 << 16)), roomMedia.lossPercent(),
                    engine.pool(), engine.counters(), engine.nanoClock());
            next.put(planned.mid(), subscription);
            started.add(subscription);
        }
        subscriptionsByMid.clear();
        subscriptionsByMid.putAll(next);
        subscriptions = next.values().toArray(Subscription[]::new);
        for (Subscription subscription : started) {
            subscription.track().add(subscription);
            if (transport.isConnected()) {
                needKeyframes.add(subscription.track());
            }
        }
    }
    private PublishedTrack lookup(String trackId) {
        try {
            return roomMedia.track(new TrackId(trackId));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What this participant's RTCP asks of us, on its transport's receive thread. */
    private final class RtcpEvents implements RtcpTerminator.Listener {
        /** A publisher's sender report: its layer's statistics (LSR), and the relay to whoever forwards it. */
        @Override
        public void onSenderReport(SenderReport sr) {
            for (PublishedTrack track : demuxer.tracks()) {
                PublishedTrack.Layer layer = track.layerBySsrc(sr.senderSsrc());
                if (layer == null) {
                    continue;
                }
                layer.onSenderReport(sr.ntpTimestamp(), engine.nanoClock().getAsLong());
                for (Subscription subscription : track.subscriptions()) {
                    if (subscription.currentLayer() == layer.index) {
                        subscription.relay(sr);
                    }
                }
                return;
            }
        }

        /** A keyframe of the layer the subscriber gets (or is about to). */
        @Override
        public void onKeyframeRequest(long mediaSsrc) {
            Subscription subscription = subscriptionBySsrc(mediaSsrc);
            if (subscription != null) {
                int layer = subscription.currentLayer() >= 0 ? subscription.currentLayer()
                        : subscription.targetLayer();
                if (layer >= 0) {
                    subscription.track().layer(layer).requestKeyframe();
                }
            }
        }

        @Override
        public void onNack(TransportLayerNack nack) {
            engine.counters().nacksReceived.increment();
            Subscription subscription = subscriptionBySsrc(nack.mediaSsrc());
            if (subscription != null) {
                int[] lost = nack.lostSequenceNumbers();
                sendQueue.execute(() -> subscription.retransmit(lost));
            }
        }

        @Override
        public void onTransportFeedback(TransportWideCc feedback) {
            sendQueue.execute(() -> downlink.onTransportFeedback(feedback));
        }

        @Override
        public void onRemb(ReceiverEstimatedMaxBitrate remb) {
            sendQueue.execute(() -> downlink.onRemb(remb.bitrateBps()));
        }
    }

    private Subscription subscriptionBySsrc(long ssrc) {
        for (Subscription subscription : subscriptions) {
            if (subscription.ssrc() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    /** A snapshot for the stats resource; any thread. */
    ParticipantMediaStats stats() {
        List<ParticipantMediaStats.SubscriptionStats> out = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            PublishedTrack track = subscription.track();
            out.add(new ParticipantMediaStats.SubscriptionStats(track.info().id().value(),
                    track.kind().name().toLowerCase(java.util.Locale.ROOT), track.layers().length,
                    subscription.currentLayer(), subscription.targetLayer(), subscription.layerSwitches(),
                    subscription.forwarded(), subscription.retransmitted(), subscription.probes()));
        }
        return new ParticipantMediaStats(id(), downlink.estimateBps(), downlink.lastBwe(),
                transportCc.stats(), sendQueue.dropped(), transport.stats().beforeKeysDropped(), receive.stats(),
                rtcp.stats(),
                out);
    }

    // ---- send side ---------------------------------------------------------------------------------------------

    /** Drain: the end of every send pipeline towards this participant; the transport encrypts and sends. */
    private void sendToTransport(byte[] buf, int len) {
        transportCcStamp.stamp(buf, len);
        transport.sendRtp(buf, 0, len);
    }

    /** Sends a NACK for one of this participant's layers. */
    void sendNack(long mediaSsrc, List<Integer> lost) {
        reporter.nack(mediaSsrc, lost);
    }

    /** Whether media can flow to and from this participant now. */
    boolean isConnected() {
        return transport.isConnected();
    }

    /** Sends a PLI for one of this participant's layers (rate limiting is the layer's business). */
    void sendKeyframeRequest(long mediaSsrc) {
        reporter.keyframeRequest(mediaSsrc);
    }

    private void sendReceiverReports() {
        PublishedTrack[] tracks = demuxer.tracks();
        if (tracks.length > 0 && transport.isConnected()) {
            reporter.receiverReports(tracks, engine.nanoClock().getAsLong());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static DtlsFingerprint dtlsFingerprint(Fingerprint fingerprint) {
        return DtlsFingerprint.parse(fingerprint.hashFunction() + " " + fingerprint.value());
    }

    /** This participant as the receiving end of its subscriptions: its transport for RTP, its RTCP reporter. */
    private final class Sink implements SubscriberSink {
        @Override
        public String id() {
            return PeerSession.this.id();
        }

        @Override
        public void sendRtp(byte[] buf, int len) {
            sendToTransport(buf, len);
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
                    long interval = engine.config().receiverReportInterval().toMillis();
                    reports = engine.scheduler().scheduleAtFixedRate(PeerSession.this::sendReceiverReports,
                            interval, interval, TimeUnit.MILLISECONDS);
                    allocation = engine.scheduler().scheduleAtFixedRate(
                            () -> sendQueue.execute(downlink::allocate), DownlinkController.ALLOCATION_INTERVAL_MS,
                            DownlinkController.ALLOCATION_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    probing = engine.scheduler().scheduleAtFixedRate(() -> {
                        if (downlink.probing()) {
                            sendQueue.execute(downlink::probeTick);
                        }
                    }, DownlinkController.PROBE_TICK_MS, DownlinkController.PROBE_TICK_MS, TimeUnit.MILLISECONDS);
                }
            }
            for (Subscription subscription : subscriptions) {
                subscription.track().requestKeyframe();
            }
        }

        @Override
        public void onTransportFailed(String reason) {
            participant.remove(LeaveReason.TRANSPORT_FAILED);
        }

        @Override
        public void onRtp(byte[] buf, int off, int len) {
            receive.onRtp(buf, off, len);
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            rtcp.onRtcp(buf, off, len);
        }
    }

    @Override
    public String toString() {
        return "PeerSession" + logPrefix.trim();
    }
}
