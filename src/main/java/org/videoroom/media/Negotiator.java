package org.videoroom.media;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.videoroom.sdp.MediaKind;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.HeaderExtensionUris;
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
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.ReceiveExtensionIds;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;

/**
 * One participant's side of offer/answer: answers each offer and works out what it changes ({@link NegotiationPlan})
 * against what the previous offers agreed. The browser always offers; published tracks come from its send
 * m-lines, forwarded tracks go on the recvonly m-lines it asked to fill. Pure: no transport, no room, no threads,
 * so every rule here is tested with captured browser offers alone.
 *
 * <p>Rules that are easy to break: a subscription keeps its server-chosen SSRCs while the same track stays on the
 * same MID (the browser already bound them to a receiver); SSRCs towards the subscriber are chosen here, never
 * copied from the publisher, so no publisher can make its packets pass for another's; a publication whose
 * layers are unchanged carries on (its SSRCs latched from rid extensions stay valid); an ICE restart gets a new
 * agent's credentials in its answer and changes nothing else;
 * a publisher may not send with an SSRC another participant of the room sends with, nor with one the server uses
 * towards it (its SRTP session keys streams by SSRC in both directions), and every SSRC it sends with is claimed
 * for it in the room ({@link SsrcOwners}) before the offer is accepted.
 *
 * <p>Not thread-safe: the session calls it under its lock. The state advances only when an offer was accepted.
 */
final class Negotiator {

    private static final System.Logger LOG = System.getLogger(Negotiator.class.getName());
    private static final int PAYLOAD_TYPES = 128;
    /** Camera and microphone, a screen share with its audio, and room to spare. */
    static final int MAX_PUBLISHED_TRACKS = 8;

    private final AnswerBuilder answerBuilder;
    private final long sessionId;
    /** The SSRC of our own RTCP towards this participant: no media SSRC may equal it. */
    private final long localSsrc;
    private final LongSupplier randomSsrc;
    private final SsrcOwners.Claims claims;
    private final String logPrefix;

    private long sessionVersion;
    private String remoteUfrag;
    private Map<String, PublicationPlan> publications = Map.of();
    private Map<String, SubscriptionPlan> subscriptions = Map.of();

    /**
     * @param sessionId  the o= line's session id, the same in every answer (RFC 3264 §8)
     * @param randomSsrc random non-zero 32-bit SSRCs
     */
    Negotiator(AnswerBuilder answerBuilder, long sessionId, long localSsrc, LongSupplier randomSsrc,
               String logPrefix) {
        this(answerBuilder, sessionId, localSsrc, randomSsrc, new SsrcOwners().claimsOf(logPrefix), logPrefix);
    }

    /** @param claims this participant's claims on the room's SSRCs */
    Negotiator(AnswerBuilder answerBuilder, long sessionId, long localSsrc, LongSupplier randomSsrc,
               SsrcOwners.Claims claims, String logPrefix) {
        this.answerBuilder = answerBuilder;
        this.sessionId = sessionId;
        this.localSsrc = localSsrc;
        this.randomSsrc = randomSsrc;
        this.claims = claims;
        this.logPrefix = logPrefix;
    }

    /** The browser's ICE ufrag since the first accepted offer, else null. */
    String remoteUfrag() {
        return remoteUfrag;
    }

    /**
     * Answers an offer.
     *
     * @param local  the server's transport parameters for the answer
     * @param wanted for recvonly MIDs, the track the browser wants there (tracks of its own already left out)
     * @throws MediaRequestException with {@link MediaRequestException.Kind#BAD_SDP}; the state is then unchanged
     */
    NegotiationPlan negotiate(String sdp, LocalTransportParameters local, Map<String, PublishedTrack> wanted) {
        return negotiate(sdp, local, () -> {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, "ICE restarts are not supported");
        }, wanted);
    }

    /**
     * Answers an offer that may restart ICE (RFC 8445 section 9: new remote credentials): the answer then carries
     * {@code restarted}'s fresh local credentials, and the plan says {@link NegotiationPlan#restartsIce()}.
     *
     * @param restarted called once, only for an ICE restart, before anything is decided; the offer may still be
     *                  refused after it (the caller drops what it prepared)
     */
    NegotiationPlan negotiate(String sdp, LocalTransportParameters local,
                              Supplier<LocalTransportParameters> restarted,
                              Map<String, PublishedTrack> wanted) {
        // One subscription per track: m-lines asking for the same track would make the server send it once per
        // line (a subscriber could multiply any publisher's stream by the hundreds).
        Set<PublishedTrack> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, PublishedTrack> e : wanted.entrySet()) {
            if (!distinct.add(e.getValue())) {
                throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, "track "
                        + e.getValue().info().id() + " is wanted on two m-lines (one subscription per track)");
            }
        }
        SessionDescription offer;
        try {
            offer = SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, e.getMessage(), e);
        }
        Set<Long> receiving = takenSsrcs();
        // Fresh SSRCs towards the browser also differ from every SSRC it offers to send with.
        Set<Long> taken = new HashSet<>(receiving);
        offer.media().forEach(m -> taken.addAll(m.ssrcs()));
        Map<String, OutgoingTrack> outgoing = new HashMap<>();
        Map<String, long[]> chosen = new HashMap<>();
        wanted.forEach((mid, track) -> {
            long[] ssrcs = ssrcsFor(mid, track, taken);
            chosen.put(mid, ssrcs);
            String publisher = track.info().publisher().value();
            outgoing.put(mid, new OutgoingTrack(track.kind(), publisher, track.info().id().value(),
                    ssrcs[0], OptionalLong.of(ssrcs[1]), "videoroom-" + publisher));
        });
        NegotiatedAnswer negotiated;
        try {
            negotiated = answerBuilder.answer(offer, local, Origin.jsep(sessionId, sessionVersion + 1), outgoing);
        } catch (SdpNegotiationException e) {
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, e.getMessage(), e);
        }
        NegotiatedSession session = negotiated.session();
        String ufrag = session.remoteIce().ufrag();
        boolean restartsIce = remoteUfrag != null && !remoteUfrag.equals(ufrag);
        if (restartsIce) {
            // The same answer over again, with the new agent's credentials (it is pure: nothing was decided yet).
            try {
                negotiated = answerBuilder.answer(offer, restarted.get(), Origin.jsep(sessionId, sessionVersion + 1),
                        outgoing);
            } catch (SdpNegotiationException e) {
                throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, e.getMessage(), e);
            }
            session = negotiated.session();
        }

        Map<String, PublicationPlan> nextPublications = publications(session);
        if (nextPublications.size() > MAX_PUBLISHED_TRACKS) {
            // Each published track holds a retransmission cache and per-subscriber state: bounded per person.
            throw new MediaRequestException(MediaRequestException.Kind.BAD_SDP, "at most " + MAX_PUBLISHED_TRACKS
                    + " tracks may be published at once, this offer sends " + nextPublications.size());
        }
        List<String> withdrawn = new ArrayList<>();
        publications.forEach((mid, old) -> {
            PublicationPlan next = nextPublications.get(mid);
            if (next == null || next.fresh()) {
                withdrawn.add(mid);
            }
        });
        Map<String, SubscriptionPlan> nextSubscriptions = subscriptions(session, wanted, chosen);
        List<String> ended = new ArrayList<>();
        subscriptions.forEach((mid, old) -> {
            SubscriptionPlan next = nextSubscriptions.get(mid);
            if (next == null || next.fresh()) {
                ended.add(mid);
            }
        });
        ReceiveExtensionIds receive = new ReceiveExtensionIds(
                extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.MID),
                extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.RTP_STREAM_ID),
                extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID),
                extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.TRANSPORT_WIDE_CC),
                extensionId(session, MediaRole.RECEIVE, HeaderExtensionUris.AUDIO_LEVEL));
        NegotiationPlan plan = new NegotiationPlan(SdpWriter.write(negotiated.answer()), session,
                remoteUfrag == null, restartsIce, List.copyOf(nextPublications.values()), withdrawn,
                List.copyOf(nextSubscriptions.values()), ended, receive,
                extensionId(session, MediaRole.SEND, HeaderExtensionUris.TRANSPORT_WIDE_CC));

        claimPublished(nextPublications, receiving);
        sessionVersion++;
        remoteUfrag = ufrag;
        publications = nextPublications;
        subscriptions = nextSubscriptions;
        return plan;
    }

    // ---- publications ------------------------------------------------------------------------------------------

    /**
     * Refuses SSRCs this participant may not send with and claims the rest in the room; what the previous
     * publications sent with and these do not is given back. The last step of an accepted offer: nothing after
     * it refuses.
     */
    private void claimPublished(Map<String, PublicationPlan> next, Set<Long> receiving) {
        Set<Long> announced = new HashSet<>();
        for (PublicationPlan publication : next.values()) {
            List<Long> ssrcs = new ArrayList<>(publication.rtxSsrcs());
            if (publication.ssrc() >= 0) {
                ssrcs.add(publication.ssrc());
            }
            for (long ssrc : ssrcs) {
                if (!announced.add(ssrc)) {
                    throw badSsrc("SSRC " + ssrc + " is offered on two m-lines");
                }
                if (receiving.contains(ssrc)) {
                    throw badSsrc("SSRC " + ssrc + " is one the server sends with to this participant");
                }
                if (claims.takenByOther(ssrc)) {
                    throw badSsrc("SSRC " + ssrc + " is in use by another participant of the room");
                }
            }
        }
        List<Long> claimed = new ArrayList<>();
        for (long ssrc : announced) {
            if (!claims.claim(ssrc)) {
                // Another participant's offer claimed it a moment ago.
                claimed.forEach(claims::release);
                throw badSsrc("SSRC " + ssrc + " is in use by another participant of the room");
            }
            if (!previouslyAnnounced(ssrc)) {
                claimed.add(ssrc);
            }
        }
        for (PublicationPlan old : publications.values()) {
            if (old.ssrc() >= 0 && !announced.contains(old.ssrc())) {
                claims.release(old.ssrc());
            }
            old.rtxSsrcs().stream().filter(ssrc -> !announced.contains(ssrc)).forEach(claims::release);
        }
    }

    private boolean previouslyAnnounced(long ssrc) {
        return publications.values().stream()
                .anyMatch(p -> p.ssrc() == ssrc || p.rtxSsrcs().contains(ssrc));
    }

    private static MediaRequestException badSsrc(String message) {
        return new MediaRequestException(MediaRequestException.Kind.BAD_SDP, message);
    }

    private Map<String, PublicationPlan> publications(NegotiatedSession session) {
        Map<String, PublicationPlan> next = new LinkedHashMap<>();
        for (NegotiatedMedia media : session.media(MediaRole.RECEIVE)) {
            MediaKind kind = media.kind();
            List<Long> rtxOnly = media.rtxSsrcs().stream().map(RtxSsrcPair::rtxSsrc).toList();
            long primary = media.ssrcs().stream().filter(s -> !rtxOnly.contains(s)).findFirst().orElse(-1L);
            List<String> rids = media.rids();
            if (kind != MediaKind.AUDIO && kind != MediaKind.VIDEO || primary < 0 && rids.isEmpty()) {
                // DEBUG: each offer repeats it, and any client can send many.
                LOG.log(Level.DEBUG, "{0}m-line {1} announces no SSRC and no rid; it is not forwarded", logPrefix,
                        media.mid());
                continue;
            }
            long ssrc = rids.isEmpty() ? primary : -1;
            List<Long> rtxSsrcs = rids.isEmpty()
                    ? media.rtxSsrcs().stream().filter(p -> p.mediaSsrc() == ssrc).map(RtxSsrcPair::rtxSsrc).toList()
                    : List.of();
            int clockRate = media.preferredCodec().map(c -> c.codec().clockRate()).orElse(90_000);
            PublicationPlan candidate = new PublicationPlan(media.mid(), kind, rids, ssrc, rtxSsrcs, clockRate,
                    media, true);
            PublicationPlan previous = publications.get(media.mid());
            boolean carriesOn = previous != null && previous.sameLayers(candidate);
            next.put(media.mid(), carriesOn ? new PublicationPlan(media.mid(), kind, rids, ssrc, rtxSsrcs,
                    clockRate, media, false) : candidate);
        }
        return next;
    }

    // ---- subscriptions -----------------------------------------------------------------------------------------

    private Map<String, SubscriptionPlan> subscriptions(NegotiatedSession session, Map<String, PublishedTrack> wanted,
                                                        Map<String, long[]> chosen) {
        Map<String, SubscriptionPlan> next = new LinkedHashMap<>();
        for (NegotiatedMedia media : session.media(MediaRole.SEND)) {
            PublishedTrack track = wanted.get(media.mid());
            if (track == null) {
                continue;
            }
            SubscriptionPlan previous = subscriptions.get(media.mid());
            if (previous != null && previous.track() == track) {
                next.put(media.mid(), new SubscriptionPlan(previous.mid(), track, previous.ssrc(),
                        previous.rtxSsrc(), previous.payloadTypeMap(), previous.vp8PayloadTypes(),
                        previous.extensionIds(), previous.rtxPayloadTypes(), previous.nack(), false));
                continue;
            }
            long ssrc = media.outgoingTrack().orElseThrow().ssrc();
            Map<Integer, Integer> rtxByOriginal = new HashMap<>();
            for (NegotiatedCodec codec : media.codecs()) {
                codec.rtxPayloadType().ifPresent(rtx -> rtxByOriginal.put(codec.payloadType(), rtx));
            }
            long rtxSsrc = rtxByOriginal.isEmpty() ? -1 : media.rtxSsrcs().stream()
                    .filter(pair -> pair.mediaSsrc() == ssrc)
                    .mapToLong(RtxSsrcPair::rtxSsrc)
                    .findFirst().orElse(-1);
            NegotiatedMedia publisher = track.publisherMedia();
            next.put(media.mid(), new SubscriptionPlan(media.mid(), track, ssrc, rtxSsrc,
                    payloadTypeMap(publisher, media), vp8PayloadTypes(publisher), extensionIdMap(publisher, media),
                    rtxByOriginal, media.codecs().stream().anyMatch(c -> c.hasFeedback("nack")), true));
        }
        return next;
    }

    /**
     * The media and RTX SSRCs to announce for a track on a MID: those it had when the same track was there before
     * (the browser already knows them), else fresh ones.
     */
    private long[] ssrcsFor(String mid, PublishedTrack track, Set<Long> taken) {
        SubscriptionPlan current = subscriptions.get(mid);
        if (current != null && current.track() == track) {
            long rtx = current.rtxSsrc() >= 0 ? current.rtxSsrc() : fresh(taken);
            return new long[] {current.ssrc(), rtx};
        }
        long ssrc = fresh(taken);
        return new long[] {ssrc, fresh(taken)};
    }

    /** Every SSRC this participant already receives with, and ours: a fresh one must differ from all. */
    private Set<Long> takenSsrcs() {
        Set<Long> taken = new HashSet<>();
        taken.add(localSsrc);
        for (SubscriptionPlan subscription : subscriptions.values()) {
            taken.add(subscription.ssrc());
            taken.add(subscription.rtxSsrc());
        }
        return taken;
    }

    private long fresh(Set<Long> taken) {
        long ssrc;
        do {
            ssrc = randomSsrc.getAsLong();
        } while (!taken.add(ssrc));
        return ssrc;
    }

    // ---- maps for the packet path ------------------------------------------------------------------------------

    /** For each publisher payload type, the subscriber's for the same codec, or -1. */
    static int[] payloadTypeMap(NegotiatedMedia publisher, NegotiatedMedia subscriber) {
        int[] map = new int[PAYLOAD_TYPES];
        Arrays.fill(map, -1);
        for (NegotiatedCodec codec : publisher.codecs()) {
            subscriber.codecs().stream()
                    .filter(theirs -> CodecMatch.compatible(codec.codec(), theirs.codec()))
                    .findFirst()
                    .ifPresent(theirs -> map[codec.payloadType()] = theirs.payloadType());
        }
        return map;
    }

    /** For each publisher payload type, whether it carries VP8 (whose descriptor the rewriter continues). */
    static boolean[] vp8PayloadTypes(NegotiatedMedia publisher) {
        boolean[] vp8 = new boolean[PAYLOAD_TYPES];
        for (NegotiatedCodec codec : publisher.codecs()) {
            if (codec.codec().name().equalsIgnoreCase("VP8")) {
                vp8[codec.payloadType()] = true;
            }
        }
        return vp8;
    }

    /** Publisher header extension ids → the subscriber's, for the extensions both negotiated. */
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

    /** A header extension's id, the same in every bundled m-line of a role (RFC 8843 §9.2), or -1. */
    private static int extensionId(NegotiatedSession session, MediaRole role, String uri) {
        return session.media(role).stream()
                .map(m -> m.headerExtensionIds().get(uri))
                .filter(id -> id != null)
                .findFirst().orElse(-1);
    }
}
