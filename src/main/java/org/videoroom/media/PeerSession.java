package org.videoroom.media;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.AllocatableTrack;
import org.videoroom.bwe.Allocation;
import org.videoroom.bwe.BandwidthAllocator;
import org.videoroom.bwe.BweConfig;
import org.videoroom.bwe.SendSideBandwidthEstimator;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtcp.FullIntraRequest;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtcp.RtcpCompound;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.room.LeaveReason;
import org.videoroom.room.MediaKind;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtxPacketizer;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.HeaderExtensionUris;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.MediaRole;
import org.videoroom.sdp.NegotiatedAnswer;
import org.videoroom.sdp.NegotiatedCodec;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.sdp.Origin;
import org.videoroom.sdp.OutgoingTrack;
import org.videoroom.sdp.RtxSsrcPair;
import org.videoroom.sdp.SdpNegotiationException;
import org.videoroom.sdp.SdpParseException;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SdpWriter;
import org.videoroom.sdp.SessionDescription;
import org.videoroom.transport.PeerTransport;
import org.videoroom.transport.dtls.DtlsFingerprint;
import org.videoroom.transport.ice.RemoteCandidateResult;
import org.videoroom.transport.srtp.SrtpSession;

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
    private static final PublishedTrack[] NO_TRACKS = new PublishedTrack[0];
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];
    private static final Route[] NO_ROUTES = new Route[0];
    /** How often each subscriber's estimate is spent on its subscriptions' layers. */
    static final long ALLOCATION_INTERVAL_MS = 500;
    /** Unknown SSRCs latched from the mid/rid header extensions, at most (a hostile client cannot grow it). */
    private static final int MAX_ROUTES = 64;
    /** RFC 3550 §6.4.2: at most 31 report blocks fit one receiver report. */
    private static final int MAX_REPORT_BLOCKS = 31;

    // Passed in.
    private final MediaEngine engine;
    private final Participant participant;
    private final RoomMedia roomMedia;

    // Created here.
    private final PeerTransport transport;
    private final long localSsrc;
    private final long sessionId;
    private final String logPrefix;
    private final RtpPacket rtpView = new RtpPacket();
    /** Drain only. */
    private final RtpPacket sendView = new RtpPacket();
    private final RtcpParser rtcpParser = new RtcpParser();
    private final SubscriberSink sink = new Sink();
    private final SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator(BweConfig.defaults());
    /** Drain only. */
    private final BandwidthAllocator allocator = new BandwidthAllocator();
    /** Drain only: this transport's own transport-wide sequence numbers for what it sends. */
    private int transportSequenceNumber = ThreadLocalRandom.current().nextInt(1 << 16);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();
    /** Receive thread only. */
    private final TransportCcFeedback transportCc;
    /** Leads every transport-wide feedback compound; immutable, marshalled without allocating. */
    private final ReceiverReport emptyReport;
    /** What subscriptions forward to this participant, sent in order on the engine's send executor. */
    private final SendQueue sendQueue;

    // Control plane, guarded by this.
    private long sessionVersion;
    private String remoteUfrag;
    private final Map<String, PublishedTrack> publishedByMid = new HashMap<>();
    private final Map<String, Subscription> subscriptionsByMid = new HashMap<>();
    private ScheduledFuture<?> reports;
    private ScheduledFuture<?> allocation;
    private ScheduledFuture<?> probing;

    // Read on the packet path.
    private volatile PublishedTrack[] published = NO_TRACKS;
    /** SSRC → layer (media or its RTX), from the offer and latched from mid/rid header extensions. */
    private volatile Route[] routes = NO_ROUTES;
    /** Header extension ids in what this participant sends (-1: not negotiated). */
    private volatile int midExtensionId = -1;
    private volatile int ridExtensionId = -1;
    private volatile int repairedRidExtensionId = -1;
    /** The transport-wide sequence number's id in what this participant receives from us, or -1. */
    private volatile int sendTransportCcExtensionId = -1;
    private volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;
    /** The transport-wide sequence number's header extension id in what this participant sends, or -1. */
    private volatile int transportCcExtensionId = -1;

    PeerSession(MediaEngine engine, Participant participant, RoomMedia roomMedia, SecureRandom random) {
        this.engine = engine;
        this.participant = participant;
        this.roomMedia = roomMedia;
        this.localSsrc = engine.randomSsrc();
        this.sessionId = random.nextLong() & Long.MAX_VALUE;
        this.logPrefix = "[" + roomMedia.room().name() + "/" + participant.id() + "] ";
        this.transportCc = new TransportCcFeedback(localSsrc);
        this.emptyReport = new ReceiverReport(localSsrc, List.of());
        this.transport = engine.newTransport(participant.id().value(), new TransportEvents());
        this.sendQueue = new SendQueue(SendQueue.DEFAULT_CAPACITY, engine.sendExecutor(), engine.pool());
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
        SessionDescription offer;
        NegotiatedAnswer negotiated;
        Map<String, PublishedTrack> wantedTracks = new HashMap<>();
        try {
            offer = SdpParser.parse(sdp);
            Map<String, OutgoingTrack> outgoing = new HashMap<>();
            wanted.forEach((mid, trackId) -> {
                PublishedTrack track = lookup(trackId);
                if (track != null && track.publisher() != this) {
                    wantedTracks.put(mid, track);
                    long ssrc = outgoingSsrc(mid, track);
                    outgoing.put(mid, new OutgoingTrack(sdpKind(track.kind()), track.publisher().id(),
                            track.info().id().value(), ssrc, OptionalLong.of(rtxSsrc(mid, track, ssrc)),
                            "videoroom-" + track.publisher().id()));
                }
            });
            negotiated = engine.answerBuilder().answer(offer, localParameters(),
                    Origin.jsep(sessionId, ++sessionVersion), outgoing);
        } catch (SdpParseException | SdpNegotiationException e) {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, e.getMessage(), e);
        }
        NegotiatedSession session = negotiated.session();
        startOrCheckIce(session);
        applyPublications(session);
        applySubscriptions(session, wantedTracks, needKeyframes);
        String answer = SdpWriter.write(negotiated.answer());
        LOG.log(Level.DEBUG, "{0}answered offer {1} ({2} published, {3} subscribed)", logPrefix, sessionVersion,
                publishedByMid.size(), subscriptionsByMid.size());
        return answer;
    }

    /**
     * Takes a trickled candidate ("" = end of candidates).
     *
     * @throws MediaRequestException with {@link MediaRequestException.Kind#BAD_CANDIDATE}
     */
    public void candidate(String candidate) {
        synchronized (this) {
            if (remoteUfrag == null) {
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
        this.tiles = Map.copyOf(tiles);
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
            published = NO_TRACKS;
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

    private void startOrCheckIce(NegotiatedSession session) {
        if (remoteUfrag == null) {
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
            remoteUfrag = session.remoteIce().ufrag();
            for (IceCandidate candidate : session.remoteCandidates()) {
                try {
                    transport.addRemoteCandidate(candidate.format());
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "{0}ignored a candidate of the offer: {1}", logPrefix, e.getMessage());
                }
            }
        } else if (!remoteUfrag.equals(session.remoteIce().ufrag())) {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, "ICE restarts are not supported");
        }
    }

    private void applyPublications(NegotiatedSession session) {
        List<TrackInfo> added = new ArrayList<>();
        List<TrackId> removed = new ArrayList<>();
        Map<String, PublishedTrack> next = new HashMap<>();
        List<Route> nextRoutes = new ArrayList<>();
        for (NegotiatedMedia media : session.media(MediaRole.RECEIVE)) {
            List<Long> rtxSsrcs = media.rtxSsrcs().stream().map(RtxSsrcPair::rtxSsrc).toList();
            Optional<Long> primary = media.ssrcs().stream().filter(s -> !rtxSsrcs.contains(s)).findFirst();
            MediaKind kind = roomKind(media);
            if (kind == null || primary.isEmpty() && media.rids().isEmpty()) {
                LOG.log(Level.INFO, "{0}m-line {1} announces no SSRC and no rid; it is not forwarded", logPrefix,
                        media.mid());
                continue;
            }
            List<String> rids = media.rids();
            long ssrc = rids.isEmpty() ? primary.get() : -1;
            PublishedTrack existing = publishedByMid.get(media.mid());
            PublishedTrack track;
            if (existing != null && sameLayers(existing, rids, ssrc)) {
                track = existing;
                // Latched simulcast SSRCs stay routed.
                for (Route route : routes) {
                    if (route.layer().track() == track) {
                        nextRoutes.add(route);
                    }
                }
            } else {
                TrackInfo info = new TrackInfo(TrackId.of(participant.id(), media.mid()), participant.id(), kind);
                int clockRate = media.preferredCodec().map(c -> c.codec().clockRate()).orElse(90_000);
                track = engine.newTrack(info, media.mid(), rids, ssrc, clockRate, this, media);
                added.add(info);
                if (rids.isEmpty()) {
                    nextRoutes.add(new Route(ssrc, track.layer(0), false));
                }
            }
            next.put(media.mid(), track);
            if (rids.isEmpty()) {
                for (RtxSsrcPair pair : media.rtxSsrcs()) {
                    if (pair.mediaSsrc() == ssrc && nextRoutes.stream().noneMatch(r -> r.ssrc() == pair.rtxSsrc())) {
                        nextRoutes.add(new Route(pair.rtxSsrc(), track.layer(0), true));
                    }
                }
            }
        }
        for (Map.Entry<String, PublishedTrack> old : publishedByMid.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                removed.add(old.getValue().info().id());
                roomMedia.remove(old.getValue());
                old.getValue().close();
            }
        }
        midExtensionId = extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.MID);
        ridExtensionId = extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.RTP_STREAM_ID);
        repairedRidExtensionId = extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID);
        transportCcExtensionId = extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.TRANSPORT_WIDE_CC);
        sendTransportCcExtensionId = extensionId(session, MediaRole.SEND, HeaderExtensionUris.TRANSPORT_WIDE_CC);
        publishedByMid.clear();
        publishedByMid.putAll(next);
        for (PublishedTrack track : next.values()) {
            roomMedia.add(track);
        }
        published = next.values().toArray(PublishedTrack[]::new);
        routes = nextRoutes.toArray(Route[]::new);
        if (!removed.isEmpty()) {
            participant.unpublish(removed);
        }
        if (!added.isEmpty()) {
            participant.publish(added);
        }
    }

    private static boolean sameLayers(PublishedTrack track, List<String> rids, long ssrc) {
        PublishedTrack.Layer[] layers = track.layers();
        if (rids.isEmpty()) {
            return layers.length == 1 && layers[0].rid == null && layers[0].ssrc() == ssrc;
        }
        if (layers.length != rids.size()) {
            return false;
        }
        for (int i = 0; i < layers.length; i++) {
            if (!rids.get(i).equals(layers[i].rid)) {
                return false;
            }
        }
        return true;
    }

    /** A header extension's id, the same in every bundled m-line of a role (RFC 8843 §9.2), or -1. */
    private static int extensionId(NegotiatedSession session, MediaRole role, String uri) {
        return session.media(role).stream()
                .map(m -> m.headerExtensionIds().get(uri))
                .filter(id -> id != null)
                .findFirst().orElse(-1);
    }

    private void applySubscriptions(NegotiatedSession session, Map<String, PublishedTrack> wantedTracks,
                                    List<PublishedTrack> needKeyframes) {
        Map<String, Subscription> next = new HashMap<>();
        List<Subscription> started = new ArrayList<>();
        for (NegotiatedMedia media : session.media(MediaRole.SEND)) {
            PublishedTrack track = wantedTracks.get(media.mid());
            if (track == null) {
                continue;
            }
            Subscription existing = subscriptionsByMid.get(media.mid());
            if (existing != null && existing.track() == track) {
                next.put(media.mid(), existing);
                continue;
            }
            long ssrc = media.outgoingTrack().orElseThrow().ssrc();
            Subscription subscription = new Subscription(sink, sendQueue, track, media.mid(), ssrc,
                    payloadTypeMap(track.publisherMedia(), media), vp8PayloadTypes(track.publisherMedia()),
                    extensionIdMap(track.publisherMedia(), media), rtxPacketizer(media, ssrc),
                    roomMedia.lossPercent(), engine.pool(), engine.counters(), engine.nanoClock());
            next.put(media.mid(), subscription);
            started.add(subscription);
        }
        for (Map.Entry<String, Subscription> old : subscriptionsByMid.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                old.getValue().track().remove(old.getValue());
                old.getValue().close();
            }
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

    /** For each publisher payload type, the subscriber's for the same codec, or -1. Package-private for tests. */
    static int[] payloadTypeMap(NegotiatedMedia publisher, NegotiatedMedia subscriber) {
        int[] map = new int[128];
        Arrays.fill(map, -1);
        for (NegotiatedCodec codec : publisher.codecs()) {
            subscriber.codecs().stream()
                    .filter(theirs -> CodecMatch.compatible(codec.codec(), theirs.codec()))
                    .findFirst()
                    .ifPresent(theirs -> map[codec.payloadType()] = theirs.payloadType());
        }
        return map;
    }

    /**
     * The SSRC a subscriber receives a track with: chosen here, so no publisher can make its packets appear as
     * another's, and kept while the same track stays on the same MID (the browser already knows it).
     */
    private long outgoingSsrc(String mid, PublishedTrack track) {
        Subscription current = subscriptionsByMid.get(mid);
        if (current != null && current.track() == track) {
            return current.ssrc();
        }
        return freshSsrc(-1);
    }

    /** The RTX SSRC to announce for a subscription, kept like {@link #outgoingSsrc}. */
    private long rtxSsrc(String mid, PublishedTrack track, long mediaSsrc) {
        Subscription current = subscriptionsByMid.get(mid);
        if (current != null && current.track() == track && current.rtxSsrc() >= 0) {
            return current.rtxSsrc();
        }
        return freshSsrc(mediaSsrc);
    }

    private long freshSsrc(long besides) {
        long ssrc;
        do {
            ssrc = engine.randomSsrc();
        } while (ssrc == besides || ssrc == localSsrc || subscriptionBySsrc(ssrc) != null);
        return ssrc;
    }

    /** For each publisher payload type, whether it carries VP8 (whose descriptor the rewriter continues). */
    static boolean[] vp8PayloadTypes(NegotiatedMedia publisher) {
        boolean[] vp8 = new boolean[128];
        for (NegotiatedCodec codec : publisher.codecs()) {
            if (codec.codec().name().equalsIgnoreCase("VP8")) {
                vp8[codec.payloadType()] = true;
            }
        }
        return vp8;
    }

    /** RTX for a subscription, with the RTX SSRC the answer announced; null when the answer kept no RTX. */
    private static RtxPacketizer rtxPacketizer(NegotiatedMedia subscriber, long mediaSsrc) {
        Map<Integer, Integer> rtxByOriginal = new HashMap<>();
        for (NegotiatedCodec codec : subscriber.codecs()) {
            codec.rtxPayloadType().ifPresent(rtx -> rtxByOriginal.put(codec.payloadType(), rtx));
        }
        return subscriber.rtxSsrcs().stream()
                .filter(pair -> pair.mediaSsrc() == mediaSsrc && !rtxByOriginal.isEmpty())
                .findFirst()
                .map(pair -> new RtxPacketizer(pair.rtxSsrc(), rtxByOriginal,
                        ThreadLocalRandom.current().nextInt(1 << 16)))
                .orElse(null);
    }

    static HeaderExtensionIdMap extensionIdMap(NegotiatedMedia publisher, NegotiatedMedia subscriber) {
        Map<Integer, Integer> map = new HashMap<>();
        publisher.headerExtensionIds().forEach((uri, id) -> {
            Integer theirs = subscriber.headerExtensionIds().get(uri);
            // The MID names the publisher's m-line and the rids its layers; the subscriber gets one plain stream
            // and demultiplexes it by the SSRC its answer announced.
            if (theirs != null && !uri.equals(HeaderExtensionUris.MID) && !uri.equals(HeaderExtensionUris.RTP_STREAM_ID)
                    && !uri.equals(HeaderExtensionUris.REPAIRED_RTP_STREAM_ID)) {
                map.put(id, theirs);
            }
        });
        return HeaderExtensionIdMap.of(map);
    }

    private PublishedTrack lookup(String trackId) {
        try {
            return roomMedia.track(new TrackId(trackId));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- receive pipeline (the transport's reader thread) --------------------------------------------------------

    /**
     * One decrypted RTP packet, top to bottom: parse → transport-wide sequence number recorded (and feedback sent
     * when due) → demultiplexed by SSRC, or by MID/RID for a simulcast layer seen for the first time → RTX repaired
     * → the published track (receive statistics, layer bitrate, fan-out to the subscriptions).
     */
    private void onRtp(byte[] buf, int off, int len) {
        if (rtpView.wrap(buf, off, len) != RtpPacket.ParseResult.OK) {
            engine.counters().unroutableDropped.increment();
            return;
        }
        int transportCcId = transportCcExtensionId;
        if (transportCcId > 0) {
            // Every packet counts for the sender's estimate, RTX and padding probes included.
            int transportSequenceNumber = rtpView.transportWideCcSequenceNumber(transportCcId);
            if (transportSequenceNumber >= 0) {
                long now = engine.nanoClock().getAsLong();
                transportCc.onPacket(transportSequenceNumber, now);
                if (transportCc.feedbackDue(now)) {
                    sendTransportCcFeedback(now);
                }
            }
        }
        Route route = route(rtpView.ssrc());
        if (route == null) {
            engine.counters().unroutableDropped.increment();
            return;
        }
        PublishedTrack.Layer layer = route.layer();
        if (route.rtx()) {
            onRtx(layer);
            return;
        }
        engine.counters().rtpReceived.increment();
        engine.counters().rtpReceivedBytes.add(rtpView.length());
        layer.track().onRtp(layer, rtpView);
    }

    private Route route(long ssrc) {
        for (Route route : routes) {
            if (route.ssrc() == ssrc) {
                return route;
            }
        }
        return latch(ssrc);
    }

    /**
     * An SSRC the offer did not announce: a simulcast layer (RFC 8852 rid, or repaired rid for its RTX) of the
     * m-line its MID names. Learnt once; compares bytes without allocating, so unknown junk costs no garbage.
     */
    private Route latch(long ssrc) {
        int midId = midExtensionId;
        if (midId <= 0 || routes.length >= MAX_ROUTES) {
            return null;
        }
        for (PublishedTrack track : published) {
            if (!track.simulcast() || !rtpView.extensionEquals(midId, track.mid())) {
                continue;
            }
            for (PublishedTrack.Layer layer : track.layers()) {
                boolean media = ridExtensionId > 0 && rtpView.extensionEquals(ridExtensionId, layer.rid);
                boolean rtx = !media && repairedRidExtensionId > 0
                        && rtpView.extensionEquals(repairedRidExtensionId, layer.rid);
                if (media && layer.ssrc() >= 0 && layer.ssrc() != ssrc) {
                    return null; // the layer has its SSRC: a second one claiming it is not believed
                }
                if (media || rtx) {
                    if (media) {
                        layer.bind(ssrc);
                    }
                    Route route = new Route(ssrc, layer, rtx);
                    synchronized (this) {
                        Route[] current = routes;
                        Route[] next = Arrays.copyOf(current, current.length + 1);
                        next[current.length] = route;
                        routes = next;
                    }
                    LOG.log(Level.DEBUG, "{0}ssrc {1} is {2} of {3}{4}", logPrefix, ssrc, layer, track.mid(),
                            rtx ? " (RTX)" : "");
                    return route;
                }
            }
        }
        return null;
    }

    /**
     * A packet of the publisher's RTX stream: a retransmission we asked for (a subscriber's NACK the history
     * could not answer) becomes the original packet again and is forwarded like one; padding-only probes (they
     * have already counted for congestion control) are dropped.
     */
    private void onRtx(PublishedTrack.Layer layer) {
        int originalPayloadType = layer.track().originalPayloadType(rtpView.payloadType());
        long ssrc = layer.ssrc();
        if (originalPayloadType < 0 || ssrc < 0 || rtpView.payloadLength() <= RtxPacketizer.OSN_BYTES
                || !RtxPacketizer.depacketizeInPlace(rtpView, ssrc, originalPayloadType)) {
            return;
        }
        engine.counters().rtxRepaired.increment();
        layer.track().onRtp(layer, rtpView);
    }

    /** SSRC → the layer it carries, or repairs (RTX). */
    private record Route(long ssrc, PublishedTrack.Layer layer, boolean rtx) {
    }

    /** RTCP termination: parsed once, each message to its handler. */
    private void onRtcp(byte[] buf, int off, int len) {
        RtcpParser.Result result = rtcpParser.parse(buf, off, len);
        for (RtcpPacket packet : result.packets()) {
            switch (packet) {
                case SenderReport sr -> onSenderReport(sr);
                case PictureLossIndication pli -> keyframeWanted(pli.mediaSsrc());
                case FullIntraRequest fir -> fir.entries().forEach(e -> keyframeWanted(e.ssrc()));
                case TransportLayerNack nack -> onNack(nack);
                case TransportWideCc feedback -> sendQueue.execute(() -> onTransportFeedback(feedback));
                case ReceiverEstimatedMaxBitrate remb -> sendQueue.execute(() -> estimator.onRemb(remb.bitrateBps()));
                default -> {
                    // Receiver reports, SDES, BYE: nothing to do for a forwarding server yet.
                }
            }
        }
    }

    /** A publisher's sender report: its layer's statistics (LSR), and the relay to whoever forwards that layer. */
    private void onSenderReport(SenderReport sr) {
        for (PublishedTrack track : published) {
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

    /** A subscriber's PLI or FIR for one of its streams: a keyframe of the layer it gets (or is about to). */
    private void keyframeWanted(long mediaSsrc) {
        Subscription subscription = subscriptionBySsrc(mediaSsrc);
        if (subscription != null) {
            int layer = subscription.currentLayer() >= 0 ? subscription.currentLayer() : subscription.targetLayer();
            if (layer >= 0) {
                subscription.track().layer(layer).requestKeyframe();
            }
        }
    }

    private void onNack(TransportLayerNack nack) {
        engine.counters().nacksReceived.increment();
        Subscription subscription = subscriptionBySsrc(nack.mediaSsrc());
        if (subscription != null) {
            int[] lost = nack.lostSequenceNumbers();
            sendQueue.execute(() -> subscription.retransmit(lost));
        }
    }

    /** Drain: the subscriber's feedback on what we sent it, for its bandwidth estimate. */
    private void onTransportFeedback(TransportWideCc feedback) {
        estimator.onFeedback(feedback, engine.nanoClock().getAsLong());
        engine.counters().transportCcFeedbackReceived.increment();
    }

    private Subscription subscriptionBySsrc(long ssrc) {
        for (Subscription subscription : subscriptions) {
            if (subscription.ssrc() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    // ---- allocation (the subscriber's drain) -------------------------------------------------------------------

    /**
     * Drain, every {@link #ALLOCATION_INTERVAL_MS}: spends this subscriber's estimate on its subscriptions, audio
     * first, each video's lowest layer before anyone's higher one (see {@link BandwidthAllocator}); layers the
     * publisher does not send now are skipped.
     */
    private void allocate() {
        Subscription[] current = subscriptions;
        if (current.length == 0) {
            return;
        }
        long now = engine.nanoClock().getAsLong();
        List<AllocatableTrack> tracks = new ArrayList<>(current.length);
        Map<String, MediaEngine.Tile> shown = tiles;
        for (Subscription subscription : current) {
            PublishedTrack track = subscription.track();
            List<AllocatableTrack.Layer> layers = new ArrayList<>(track.layers().length);
            int height = 0;
            for (PublishedTrack.Layer layer : track.layers()) {
                long bps = layer.active(now) ? Math.max(1, layer.bitrate.bps(now)) : 0;
                // Heights come from keyframes; one not seen yet counts as its lower neighbour's.
                height = Math.max(height, layer.height());
                layers.add(new AllocatableTrack.Layer(layer.index, height, 0, bps));
            }
            AllocatableTrack.Kind kind = track.kind() == MediaKind.AUDIO ? AllocatableTrack.Kind.AUDIO
                    : AllocatableTrack.Kind.VIDEO;
            MediaEngine.Tile tile = shown.get(track.publisher().id());
            boolean visible = tile == null || tile.visible();
            int tileHeight = tile == null ? 0 : tile.height();
            tracks.add(new AllocatableTrack(subscription.mid(), kind, 0, visible, tileHeight, layers));
        }
        Allocation result = allocator.allocate(estimator.estimateBps(), tracks, now);
        for (Subscription subscription : current) {
            if (subscription.track().kind() == MediaKind.VIDEO) {
                int layer = result.selectedLayer(subscription.mid());
                if (layer >= 0 || anyActive(subscription.track(), now)) {
                    subscription.selectLayer(layer);
                }
            }
        }
        lastAllocation = result;
        lastBwe = estimator.stats();
        planProbe(result, now);
    }

    // ---- probing (the subscriber's drain) ----------------------------------------------------------------------

    /** How long one probe lasts: long enough for the estimator's acknowledged-rate window to see it. */
    static final long PROBE_DURATION_NANOS = 800_000_000L;
    /** Pause after a probe before the next, so a link that is still full is not kept full. */
    static final long PROBE_INTERVAL_NANOS = 3_000_000_000L;
    /** After a probe the link carried, the next comes this soon: the link is likely recovering, climb fast. */
    static final long PROBE_INTERVAL_AFTER_CARRIED_NANOS = 500_000_000L;
    /** After probes the link did not carry, the pause doubles up to this. */
    static final long PROBE_MAX_INTERVAL_NANOS = 4_000_000_000L;
    /** A probe counts as carried when the subscriber acknowledged at least this share of the probed rate. */
    static final double PROBE_CARRIED = 0.8;
    /** Feedback lags the probe by a round trip and a feedback interval: acknowledgements are watched this long. */
    static final long PROBE_TAIL_NANOS = 300_000_000L;
    /** A probe raises the total send rate to this multiple of the estimate (at most to what the tracks want). */
    static final double PROBE_GAIN = 1.4;
    static final long PROBE_TICK_MS = 10;

    private volatile boolean probeActive;
    private long probeUntilNanos;
    private long nextProbeNanos;
    private long probeBps;
    private long probeLastTickNanos;
    private double probeBudgetBytes;
    private int probeCursor;
    private long probeTotalBps;
    private long probeMaxAckedBps;
    private long probeInterval = PROBE_INTERVAL_NANOS;

    /**
     * Drain: when the allocation is held back by the estimate (a subscriber whose link recovered would otherwise
     * never show that it did: an estimate only grows with what is actually sent), sends RTX probes for
     * {@link #PROBE_DURATION_NANOS} so that the total rate reaches {@link #PROBE_GAIN} × the estimate.
     */
    private void planProbe(Allocation result, long now) {
        if (probeActive) {
            return; // the probe ticks end it
        }
        if (!result.probingWanted() || now - nextProbeNanos < 0) {
            return;
        }
        long estimate = estimator.estimateBps();
        long total = Math.min(result.idealBps(), (long) (estimate * PROBE_GAIN));
        probeBps = total - result.allocatedBps();
        if (probeBps <= 0) {
            return;
        }
        probeTotalBps = total;
        probeMaxAckedBps = 0;
        probeUntilNanos = now + PROBE_DURATION_NANOS;
        probeLastTickNanos = now;
        probeBudgetBytes = 0;
        probeActive = true;
        engine.counters().probesStarted.increment();
    }

    /**
     * Drain: this tick's share of the probe, round-robin over the subscriptions that can probe; after the probe,
     * while its feedback comes in, the highest acknowledged rate is its result.
     */
    private void probeTick() {
        long now = engine.nanoClock().getAsLong();
        if (!probeActive) {
            return;
        }
        probeMaxAckedBps = Math.max(probeMaxAckedBps, estimator.acknowledgedBps());
        if (now - probeUntilNanos >= 0) {
            if (now - probeUntilNanos >= PROBE_TAIL_NANOS) {
                endProbe(now);
            }
            return;
        }
        probeBudgetBytes += probeBps / 8.0 * (now - probeLastTickNanos) / 1e9;
        probeLastTickNanos = now;
        Subscription[] current = subscriptions;
        int idle = 0;
        while (probeBudgetBytes > 0 && current.length > 0 && idle < current.length) {
            Subscription subscription = current[Math.floorMod(probeCursor++, current.length)];
            int sent = subscription.track().kind() == MediaKind.VIDEO ? subscription.probe() : 0;
            if (sent == 0) {
                idle++;
            } else {
                idle = 0;
                probeBudgetBytes -= sent;
            }
        }
        if (probeBudgetBytes > 0) {
            probeBudgetBytes = 0; // nothing to probe with: no credit piles up
        }
    }

    private void endProbe(long now) {
        probeActive = false;
        boolean carried = probeMaxAckedBps >= PROBE_CARRIED * probeTotalBps;
        if (carried) {
            estimator.onProbeResult(probeMaxAckedBps);
            probeInterval = PROBE_INTERVAL_NANOS;
            nextProbeNanos = now + PROBE_INTERVAL_AFTER_CARRIED_NANOS;
            engine.counters().probesCarried.increment();
        } else {
            nextProbeNanos = now + probeInterval;
            probeInterval = Math.min(PROBE_MAX_INTERVAL_NANOS, probeInterval * 2);
        }
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
        return new ParticipantMediaStats(id(), estimator.estimateBps(), lastBwe,
                transportCc.stats(), sendQueue.dropped(), transport.stats().beforeKeysDropped(), out);
    }

    private static boolean anyActive(PublishedTrack track, long now) {
        for (PublishedTrack.Layer layer : track.layers()) {
            if (layer.active(now)) {
                return true;
            }
        }
        return false;
    }

    private volatile Allocation lastAllocation = Allocation.EMPTY;
    private volatile Map<String, MediaEngine.Tile> tiles = Map.of();
    private volatile SendSideBandwidthEstimator.Stats lastBwe;

    // ---- send side ---------------------------------------------------------------------------------------------

    /**
     * Drain: the end of every send pipeline towards this participant. Stamps our own transport-wide sequence
     * number (each transport numbers its own packets; the publishers' numbers mean nothing here), records the
     * packet for the bandwidth estimate, encrypts and sends.
     */
    private void sendToTransport(byte[] buf, int len) {
        int id = sendTransportCcExtensionId;
        if (id > 0 && sendView.wrap(buf, 0, len) == RtpPacket.ParseResult.OK) {
            int seq = transportSequenceNumber;
            if (sendView.setTransportWideCcSequenceNumber(id, seq)) {
                transportSequenceNumber = (seq + 1) & 0xFFFF;
                estimator.onPacketSent(seq, len, engine.nanoClock().getAsLong());
            }
        }
        transport.sendRtp(buf, 0, len);
    }

    /** Sends a NACK for one of this participant's layers. */
    void sendNack(long mediaSsrc, List<Integer> lost) {
        sendRtcp(List.of(new ReceiverReport(localSsrc, List.of()), TransportLayerNack.of(localSsrc, mediaSsrc, lost)));
        engine.counters().nacksSent.increment();
    }

    /** Whether media can flow to and from this participant now. */
    boolean isConnected() {
        return transport.isConnected();
    }

    /** Sends a PLI for one of this participant's layers (rate limiting is the layer's business). */
    void sendKeyframeRequest(long mediaSsrc) {
        sendRtcp(List.of(new ReceiverReport(localSsrc, List.of()), new PictureLossIndication(localSsrc, mediaSsrc)));
        engine.counters().keyframeRequests.increment();
    }

    /** Marshals, encrypts and sends one compound RTCP packet to this participant. */
    void sendRtcp(List<? extends RtcpPacket> packets) {
        int size = RtcpCompound.marshalSize(packets);
        BufferPool pool = engine.pool();
        byte[] buf = pool.take(size + SrtpSession.MAX_TAIL_ROOM);
        try {
            int length = RtcpCompound.marshalTo(packets, buf, 0);
            transport.sendRtcp(buf, 0, length);
        } finally {
            pool.release(buf);
        }
    }

    /**
     * Receive thread: the due transport-wide feedback, after an empty receiver report (a compound that is valid
     * with or without reduced-size RTCP).
     */
    private void sendTransportCcFeedback(long now) {
        PublishedTrack[] tracks = published;
        long mediaSsrc = tracks.length > 0 ? Math.max(0, tracks[0].layer(0).ssrc()) : 0;
        BufferPool pool = engine.pool();
        int reportBytes = emptyReport.marshalSize();
        byte[] buf = pool.take(reportBytes + TransportCcFeedback.MAX_FEEDBACK_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            do {
                int length = transportCc.writeFeedback(mediaSsrc, now, buf, reportBytes);
                if (length == 0) {
                    return;
                }
                emptyReport.marshalTo(buf, 0);
                transport.sendRtcp(buf, 0, reportBytes + length);
                engine.counters().transportCcFeedbackSent.increment();
            } while (transportCc.hasMore());
        } finally {
            pool.release(buf);
        }
    }

    private void sendReceiverReports() {
        PublishedTrack[] tracks = published;
        if (tracks.length == 0 || !transport.isConnected()) {
            return;
        }
        long now = engine.nanoClock().getAsLong();
        List<ReportBlock> blocks = new ArrayList<>();
        for (PublishedTrack track : tracks) {
            for (PublishedTrack.Layer layer : track.layers()) {
                ReportBlock block = layer.reportBlock(now);
                if (block != null && blocks.size() < MAX_REPORT_BLOCKS) {
                    blocks.add(block);
                }
            }
        }
        if (!blocks.isEmpty()) {
            sendRtcp(List.of(new ReceiverReport(localSsrc, blocks)));
            engine.counters().receiverReportsSent.increment();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static DtlsFingerprint dtlsFingerprint(Fingerprint fingerprint) {
        return DtlsFingerprint.parse(fingerprint.hashFunction() + " " + fingerprint.value());
    }

    private static org.videoroom.sdp.MediaKind sdpKind(MediaKind kind) {
        return kind == MediaKind.AUDIO ? org.videoroom.sdp.MediaKind.AUDIO : org.videoroom.sdp.MediaKind.VIDEO;
    }

    private static MediaKind roomKind(NegotiatedMedia media) {
        return switch (media.kind()) {
            case AUDIO -> MediaKind.AUDIO;
            case VIDEO -> MediaKind.VIDEO;
            default -> null;
        };
    }

    /** This participant as the receiving end of its subscriptions: its transport for RTP, {@link #sendRtcp}. */
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
            PeerSession.this.sendRtcp(packets);
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
                            () -> sendQueue.execute(PeerSession.this::allocate),
                            ALLOCATION_INTERVAL_MS, ALLOCATION_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    probing = engine.scheduler().scheduleAtFixedRate(() -> {
                        if (probeActive) {
                            sendQueue.execute(PeerSession.this::probeTick);
                        }
                    }, PROBE_TICK_MS, PROBE_TICK_MS, TimeUnit.MILLISECONDS);
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
            PeerSession.this.onRtp(buf, off, len);
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            PeerSession.this.onRtcp(buf, off, len);
        }
    }

    @Override
    public String toString() {
        return "PeerSession" + logPrefix.trim();
    }
}
