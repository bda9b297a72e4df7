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
    private static final RtxStream[] NO_RTX_STREAMS = new RtxStream[0];
    /** RFC 3550 §6.4.2: at most 31 report blocks fit one receiver report. */
    private static final int MAX_REPORT_BLOCKS = 31;
    /** A receiver report without report blocks: header and sender SSRC. */
    private static final int EMPTY_RR_BYTES = 8;

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
    private final RtpPacket rtcpScratch = new RtpPacket();
    private final RtcpParser rtcpParser = new RtcpParser();
    private final SubscriberSink sink = new Sink();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();
    /** Receive thread only. */
    private final TransportCcFeedback transportCc;
    /** What subscriptions forward to this participant, sent in order on the engine's send executor. */
    private final SendQueue sendQueue;

    // Control plane, guarded by this.
    private long sessionVersion;
    private String remoteUfrag;
    private final Map<String, PublishedTrack> publishedByMid = new HashMap<>();
    private final Map<String, Subscription> subscriptionsByMid = new HashMap<>();
    private ScheduledFuture<?> reports;

    // Read on the packet path.
    private volatile PublishedTrack[] published = NO_TRACKS;
    private volatile RtxStream[] rtxStreams = NO_RTX_STREAMS;
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
        this.transport = engine.newTransport(participant.id().value(), new TransportEvents());
        this.sendQueue = new SendQueue(SendQueue.DEFAULT_CAPACITY, engine.sendExecutor(), engine.pool(),
                (buf, len) -> transport.sendRtp(buf, 0, len));
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
                    outgoing.put(mid, new OutgoingTrack(sdpKind(track.kind()), track.publisher().id(),
                            track.info().id().value(), track.ssrc(), OptionalLong.of(rtxSsrc(mid, track)),
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
            for (PublishedTrack track : publishedByMid.values()) {
                roomMedia.remove(track);
                track.close();
            }
            publishedByMid.clear();
            for (Subscription subscription : subscriptionsByMid.values()) {
                subscription.track().remove(subscription);
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
        List<RtxStream> rtx = new ArrayList<>();
        for (NegotiatedMedia media : session.media(MediaRole.RECEIVE)) {
            List<Long> rtxSsrcs = media.rtxSsrcs().stream().map(RtxSsrcPair::rtxSsrc).toList();
            Optional<Long> primary = media.ssrcs().stream().filter(s -> !rtxSsrcs.contains(s)).findFirst();
            MediaKind kind = roomKind(media);
            if (primary.isEmpty() || kind == null) {
                LOG.log(Level.INFO, "{0}m-line {1} announces no SSRC; it is not forwarded", logPrefix, media.mid());
                continue;
            }
            PublishedTrack existing = publishedByMid.get(media.mid());
            PublishedTrack track;
            if (existing != null && existing.ssrc() == primary.get()) {
                track = existing;
            } else {
                TrackInfo info = new TrackInfo(TrackId.of(participant.id(), media.mid()), participant.id(), kind);
                int clockRate = media.preferredCodec().map(c -> c.codec().clockRate()).orElse(90_000);
                track = engine.newTrack(info, media.mid(), primary.get(), clockRate, this, media);
                added.add(info);
            }
            next.put(media.mid(), track);
            int[] originalByRtx = rtxPayloadTypes(media);
            for (RtxSsrcPair pair : media.rtxSsrcs()) {
                if (pair.mediaSsrc() == primary.get()) {
                    rtx.add(new RtxStream(pair.rtxSsrc(), track, originalByRtx));
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
        transportCcExtensionId = session.media(MediaRole.RECEIVE).stream()
                .map(m -> m.headerExtensionIds().get(HeaderExtensionUris.TRANSPORT_WIDE_CC))
                .filter(id -> id != null)
                .findFirst().orElse(-1);
        publishedByMid.clear();
        publishedByMid.putAll(next);
        for (PublishedTrack track : next.values()) {
            roomMedia.add(track);
        }
        published = next.values().toArray(PublishedTrack[]::new);
        rtxStreams = rtx.toArray(RtxStream[]::new);
        if (!removed.isEmpty()) {
            participant.unpublish(removed);
        }
        if (!added.isEmpty()) {
            participant.publish(added);
        }
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
            Subscription subscription = new Subscription(sink, track, media.mid(),
                    payloadTypeMap(track.publisherMedia(), media), extensionIdMap(track.publisherMedia(), media),
                    rtxPacketizer(media, track), roomMedia.lossPercent(), engine.pool(),
                    engine.counters());
            next.put(media.mid(), subscription);
            started.add(subscription);
        }
        for (Map.Entry<String, Subscription> old : subscriptionsByMid.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                old.getValue().track().remove(old.getValue());
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
     * The RTX SSRC to announce for a subscription: the one announced before while the same track stays on the same
     * MID (the browser already knows it), a fresh random one otherwise.
     */
    private long rtxSsrc(String mid, PublishedTrack track) {
        Subscription current = subscriptionsByMid.get(mid);
        if (current != null && current.track() == track && current.rtxSsrc() >= 0) {
            return current.rtxSsrc();
        }
        long ssrc;
        do {
            ssrc = engine.randomSsrc();
        } while (ssrc == track.ssrc() || ssrc == localSsrc);
        return ssrc;
    }

    /** RTX for a subscription, with the RTX SSRC the answer announced; null when the answer kept no RTX. */
    private static RtxPacketizer rtxPacketizer(NegotiatedMedia subscriber, PublishedTrack track) {
        Map<Integer, Integer> rtxByOriginal = new HashMap<>();
        for (NegotiatedCodec codec : subscriber.codecs()) {
            codec.rtxPayloadType().ifPresent(rtx -> rtxByOriginal.put(codec.payloadType(), rtx));
        }
        return subscriber.rtxSsrcs().stream()
                .filter(pair -> pair.mediaSsrc() == track.ssrc() && !rtxByOriginal.isEmpty())
                .findFirst()
                .map(pair -> new RtxPacketizer(pair.rtxSsrc(), rtxByOriginal,
                        ThreadLocalRandom.current().nextInt(1 << 16)))
                .orElse(null);
    }

    static HeaderExtensionIdMap extensionIdMap(NegotiatedMedia publisher, NegotiatedMedia subscriber) {
        Map<Integer, Integer> map = new HashMap<>();
        publisher.headerExtensionIds().forEach((uri, id) -> {
            Integer theirs = subscriber.headerExtensionIds().get(uri);
            // The MID names the publisher's m-line; the subscriber demultiplexes by the SSRC its answer announced.
            if (theirs != null && !uri.equals(HeaderExtensionUris.MID)) {
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

    // ---- packet path -------------------------------------------------------------------------------------------

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
        long ssrc = rtpView.ssrc();
        for (PublishedTrack track : published) {
            if (track.ssrc() == ssrc) {
                engine.counters().rtpReceived.increment();
                track.onRtp(rtpView);
                return;
            }
        }
        for (RtxStream rtx : rtxStreams) {
            if (rtx.ssrc() == ssrc) {
                onRtx(rtx);
                return;
            }
        }
        engine.counters().unroutableDropped.increment();
    }

    /**
     * A packet of the publisher's RTX stream: a retransmission we asked for (a subscriber's NACK the cache could
     * not answer) becomes the original packet again and is forwarded like one; padding-only probes are dropped.
     */
    private void onRtx(RtxStream rtx) {
        int originalPayloadType = rtx.originalPayloadType()[rtpView.payloadType()];
        if (originalPayloadType < 0 || rtpView.payloadLength() <= RtxPacketizer.OSN_BYTES
                || !RtxPacketizer.depacketizeInPlace(rtpView, rtx.track().ssrc(), originalPayloadType)) {
            return;
        }
        engine.counters().rtxRepaired.increment();
        rtx.track().onRtp(rtpView);
    }

    /**
     * One of the publisher's RTX streams (RFC 4588): its SSRC, the track it repairs, and for each RTX payload type
     * the payload type it retransmits (-1 for the rest).
     */
    private record RtxStream(long ssrc, PublishedTrack track, int[] originalPayloadType) {
    }

    /** For each RTX payload type of an m-line, the payload type it retransmits (-1 for the rest). */
    private static int[] rtxPayloadTypes(NegotiatedMedia media) {
        int[] originalByRtx = new int[128];
        Arrays.fill(originalByRtx, -1);
        for (NegotiatedCodec codec : media.codecs()) {
            codec.rtxPayloadType().ifPresent(rtx -> originalByRtx[rtx] = codec.payloadType());
        }
        return originalByRtx;
    }

    private void onRtcp(byte[] buf, int off, int len) {
        RtcpParser.Result result = rtcpParser.parse(buf, off, len);
        for (RtcpPacket packet : result.packets()) {
            switch (packet) {
                case SenderReport sr -> relaySenderReport(sr);
                case PictureLossIndication pli -> keyframeWanted(pli.mediaSsrc());
                case FullIntraRequest fir -> fir.entries().forEach(e -> keyframeWanted(e.ssrc()));
                case TransportLayerNack nack -> retransmit(nack);
                default -> {
                    // Receiver reports, SDES, BYE, REMB: nothing to do for a forwarding server yet.
                }
            }
        }
    }

    private void relaySenderReport(SenderReport sr) {
        PublishedTrack track = publishedBySsrc(sr.senderSsrc());
        if (track == null) {
            return;
        }
        track.onSenderReport(sr.ntpTimestamp());
        Subscription[] targets = track.subscriptions();
        if (targets.length == 0) {
            return;
        }
        // The SSRC is forwarded unchanged, so the publisher's timing (NTP ↔ RTP) is the subscriber's too.
        SenderReport relayed = new SenderReport(sr.senderSsrc(), sr.ntpTimestamp(), sr.rtpTimestamp(),
                sr.packetCount(), sr.octetCount(), List.of());
        for (Subscription subscription : targets) {
            subscription.subscriber().sendRtcp(List.of(relayed));
            engine.counters().senderReportsForwarded.increment();
        }
    }

    private void keyframeWanted(long mediaSsrc) {
        Subscription subscription = subscriptionBySsrc(mediaSsrc);
        if (subscription != null) {
            subscription.track().requestKeyframe();
        }
    }

    private void retransmit(TransportLayerNack nack) {
        engine.counters().nacksReceived.increment();
        Subscription subscription = subscriptionBySsrc(nack.mediaSsrc());
        if (subscription == null) {
            return;
        }
        List<Integer> missed = null;
        for (int sequenceNumber : nack.lostSequenceNumbers()) {
            if (!subscription.retransmit(sequenceNumber, rtcpScratch)) {
                if (missed == null) {
                    missed = new ArrayList<>();
                }
                missed.add(sequenceNumber);
            }
        }
        if (missed != null) {
            // Never reached us either (lost on the publisher's leg): ask the publisher, whose RTX repairs the track.
            subscription.track().requestRetransmission(missed);
        }
    }

    private PublishedTrack publishedBySsrc(long ssrc) {
        for (PublishedTrack track : published) {
            if (track.ssrc() == ssrc) {
                return track;
            }
        }
        return null;
    }

    private Subscription subscriptionBySsrc(long ssrc) {
        for (Subscription subscription : subscriptions) {
            if (subscription.ssrc() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    /** Sends a NACK for one of this participant's tracks. */
    void sendNack(long mediaSsrc, List<Integer> lost) {
        sendRtcp(List.of(new ReceiverReport(localSsrc, List.of()), TransportLayerNack.of(localSsrc, mediaSsrc, lost)));
        engine.counters().nacksSent.increment();
    }

    /** Whether media can flow to and from this participant now. */
    boolean isConnected() {
        return transport.isConnected();
    }

    /** Sends a PLI for one of this participant's tracks (rate limiting is the track's business). */
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
        long mediaSsrc = tracks.length > 0 ? tracks[0].ssrc() : 0;
        BufferPool pool = engine.pool();
        byte[] buf = pool.take(EMPTY_RR_BYTES + TransportCcFeedback.MAX_FEEDBACK_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            do {
                int length = transportCc.writeFeedback(mediaSsrc, now, buf, EMPTY_RR_BYTES);
                if (length == 0) {
                    return;
                }
                writeEmptyReceiverReport(buf);
                transport.sendRtcp(buf, 0, EMPTY_RR_BYTES + length);
                engine.counters().transportCcFeedbackSent.increment();
            } while (transportCc.hasMore());
        } finally {
            pool.release(buf);
        }
    }

    /** RFC 3550 §6.4.2 with RC=0: V=2, PT=201, length 1 word, our SSRC. */
    private void writeEmptyReceiverReport(byte[] buf) {
        buf[0] = (byte) 0x80;
        buf[1] = (byte) 201;
        buf[2] = 0;
        buf[3] = 1;
        buf[4] = (byte) (localSsrc >>> 24);
        buf[5] = (byte) (localSsrc >>> 16);
        buf[6] = (byte) (localSsrc >>> 8);
        buf[7] = (byte) localSsrc;
    }

    private void sendReceiverReports() {
        PublishedTrack[] tracks = published;
        if (tracks.length == 0 || !transport.isConnected()) {
            return;
        }
        List<ReportBlock> blocks = new ArrayList<>(Math.min(tracks.length, MAX_REPORT_BLOCKS));
        for (PublishedTrack track : tracks) {
            ReportBlock block = track.reportBlock();
            if (block != null && blocks.size() < MAX_REPORT_BLOCKS) {
                blocks.add(block);
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
            sendQueue.offer(buf, len);
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
