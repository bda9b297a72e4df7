package org.videoroom.sdp;

import static org.videoroom.sdp.SdpNegotiationException.Reason.INCOMPATIBLE_SETUP;
import static org.videoroom.sdp.SdpNegotiationException.Reason.MULTIPLE_BUNDLE_GROUPS;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NOTHING_ACCEPTED;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NO_BUNDLE;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NO_FINGERPRINT;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NO_ICE_CREDENTIALS;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NO_MID;
import static org.videoroom.sdp.SdpNegotiationException.Reason.NO_RTCP_MUX;
import static org.videoroom.sdp.SdpNegotiationException.Reason.OUTGOING_TRACK_MISMATCH;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Answers a browser's offer as the SFU (JSEP RFC 8829, now RFC 9429, §5.3.1; BUNDLE RFC 9143 §7.3).
 *
 * <p>The product's negotiation: one connection per participant, max-bundle, rtcp-mux, and the
 * browser always offers. Its sendrecv/sendonly m= sections publish its camera and microphone (the
 * server receives: answered recvonly); its recvonly m= sections are the ones it added for remote
 * tracks (the server sends: answered sendonly with the {@link OutgoingTrack}'s msid and SSRCs, or
 * inactive when no track is given). Port 0 m= sections (stopped transceivers) are answered with
 * port 0 and keep their mid. The server is the ICE-controlled side and the DTLS server
 * ({@code a=setup:passive}).
 *
 * <p>Bundle layout (BUNDLE RFC 9143, which obsoletes RFC 8843): the first accepted mid of the
 * offer's group is the answerer-tagged section; every accepted section carries the BUNDLE
 * address:port (the default candidate's, or the discard port 9 when candidates are trickled, §7.3)
 * and no {@code a=bundle-only}; the candidates go into the tagged section only. RFC 9143 §7.1.3
 * would also keep ICE, DTLS, rtcp-mux and rtcp-rsize out of the other sections, but the browsers
 * need them there: both reject an answer whose other sections lack {@code a=rtcp-mux}, and
 * Firefox 153's content process crashed on one whose other sections lacked the ICE/DTLS
 * attributes (checked with the tools in {@code src/test/resources/captures/tools/answer-check}).
 * So they are repeated in every accepted section, as Chromium's own answers do.
 *
 * <p>Rejected (port 0) are also: m= sections of kinds the SFU does not carry (data channels,
 * text), protocols other than DTLS-SRTP with feedback ({@code .../TLS/RTP/SAVPF}), and sections
 * outside the BUNDLE group, since the server runs one transport per participant.
 *
 * <p>Not answered: {@code a=extmap-allow-mixed} (the server then only has to read one-byte header
 * extensions), RTCP XR, RED/FEC formats, and simulcast unless the policy accepts it.
 *
 * <p>Stateless and thread-safe; the policy is immutable.
 */
public final class AnswerBuilder {

    /** JSEP answers carry this ice-option: the server accepts trickled candidates (RFC 8840). */
    private static final String TRICKLE = "trickle";

    private final CodecPolicy policy;

    /** An answer builder for one codec policy. */
    public AnswerBuilder(CodecPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Builds the answer to {@code offer}.
     *
     * @param offer the browser's offer, parsed
     * @param local the server's ICE credentials, DTLS fingerprint and candidates
     * @param origin the answer's o= line: keep the session id of the participant's session and
     *     raise the version with every answer (RFC 3264 §8)
     * @param outgoingTracks for recvonly m= sections, by mid: the track the server sends there;
     *     mids of rejected sections are ignored (the browser may have stopped a transceiver the
     *     server still wanted to fill)
     * @return the answer and what it agreed
     * @throws SdpNegotiationException when the offer cannot be answered, or an outgoing track names
     *     an unknown mid, or one that is not a recvonly section of the track's kind
     */
    public NegotiatedAnswer answer(SessionDescription offer, LocalTransportParameters local, Origin origin,
            Map<String, OutgoingTrack> outgoingTracks) {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(outgoingTracks, "outgoingTracks");

        Group bundle = bundleGroup(offer);
        requireMids(offer);
        checkOutgoingTracks(offer, outgoingTracks);

        // RFC 9143 §7.2.1: the offerer-tagged m= section (first mid of the group) carries the
        // transport the offerer wants for the whole bundle.
        MediaDescription offererTagged = offer.media(bundle.mids().get(0)).orElseThrow();
        TransportAttributes remote = offer.transportOf(offererTagged);
        IceCredentials remoteIce = remoteCredentials(remote, offererTagged);
        if (remote.fingerprints().isEmpty()) {
            throw new SdpNegotiationException(NO_FINGERPRINT, offererTagged.mid().orElseThrow(),
                    "no a=fingerprint for the bundle transport");
        }
        checkSetup(remote, offererTagged);

        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            sections.add(decide(offer, i, bundle, outgoingTracks));
        }
        List<String> acceptedMids = bundle.mids().stream()
                .filter(mid -> sections.stream().anyMatch(s -> s.mid().equals(mid) && s.role() != MediaRole.REJECTED))
                .toList();
        if (acceptedMids.isEmpty()) {
            throw new SdpNegotiationException(NOTHING_ACCEPTED, null, "no m= section of the offer can be accepted");
        }
        String answererTagged = acceptedMids.get(0);

        SessionDescription.Builder answer = SessionDescription.builder(origin)
                .addGroup(new Group(Group.BUNDLE, acceptedMids))
                .iceLite(local.iceLite())
                .msidSemantic(new MsidSemantic("WMS", List.of("*")));
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        for (Section s : sections) {
            if (s.role() == MediaRole.REJECTED) {
                answer.addMedia(rejected(s.offered()));
            } else {
                answer.addMedia(accepted(s, local, s.mid().equals(answererTagged)));
            }
            negotiated.add(summary(s));
        }

        NegotiatedSession session = new NegotiatedSession(
                answererTagged,
                remoteIce,
                new IceCredentials(local.iceUfrag(), local.icePwd()),
                remote.fingerprints(),
                local.fingerprint(),
                Setup.PASSIVE,
                offer.iceLite() && !local.iceLite(),
                remote.trickle(),
                // rtcp-mux leaves component 1 only; Firefox still gathers component 2.
                remote.candidates().stream().filter(c -> c.component() == 1).toList(),
                remote.endOfCandidates(),
                negotiated);
        return new NegotiatedAnswer(answer.build(), session);
    }

    /** One m= section's decision, before the answer is written. */
    private record Section(int index, String mid, MediaDescription offered, MediaRole role,
            CodecNegotiation.Codecs codecs, List<HeaderExtension> headerExtensions, boolean simulcast,
            Optional<OutgoingTrack> track) {
    }

    private static Group bundleGroup(SessionDescription offer) {
        List<Group> bundles = offer.bundleGroups();
        if (bundles.isEmpty() || bundles.get(0).mids().isEmpty()) {
            throw new SdpNegotiationException(NO_BUNDLE, null,
                    "the offer has no BUNDLE group (max-bundle is required)");
        }
        if (bundles.size() > 1) {
            throw new SdpNegotiationException(MULTIPLE_BUNDLE_GROUPS, null, bundles.size() + " BUNDLE groups");
        }
        return bundles.get(0);
    }

    private static void requireMids(SessionDescription offer) {
        for (int i = 0; i < offer.media().size(); i++) {
            if (offer.media().get(i).mid().isEmpty()) {
                throw new SdpNegotiationException(NO_MID, null, "m= section " + i + " has no a=mid");
            }
        }
    }

    private static void checkOutgoingTracks(SessionDescription offer, Map<String, OutgoingTrack> tracks) {
        for (Map.Entry<String, OutgoingTrack> e : tracks.entrySet()) {
            String mid = e.getKey();
            MediaDescription m = offer.media(mid).orElseThrow(() -> new SdpNegotiationException(
                    OUTGOING_TRACK_MISMATCH, mid, "no m= section has this mid"));
            if (m.isRejected()) {
                continue;
            }
            if (offer.directionOf(m) != Direction.RECVONLY || m.kind() != e.getValue().kind()) {
                throw new SdpNegotiationException(OUTGOING_TRACK_MISMATCH, mid, "a " + e.getValue().kind().wire()
                        + " track for a " + offer.directionOf(m).wire() + " " + m.kind().wire() + " section");
            }
        }
    }

    private static IceCredentials remoteCredentials(TransportAttributes remote, MediaDescription tagged) {
        if (remote.iceUfrag().isEmpty() || remote.icePwd().isEmpty()) {
            throw new SdpNegotiationException(NO_ICE_CREDENTIALS, tagged.mid().orElseThrow(),
                    "no a=ice-ufrag/a=ice-pwd for the bundle transport");
        }
        return new IceCredentials(remote.iceUfrag().get(), remote.icePwd().get());
    }

    /**
     * The server is always the DTLS server, so the offer must leave it the passive role: actpass
     * (what an offerer must use, RFC 5763 §5) or active. No a=setup means active (RFC 4145 §4).
     */
    private static void checkSetup(TransportAttributes remote, MediaDescription tagged) {
        Setup setup = remote.setup().orElse(Setup.ACTIVE);
        if (setup != Setup.ACTPASS && setup != Setup.ACTIVE) {
            throw new SdpNegotiationException(INCOMPATIBLE_SETUP, tagged.mid().orElseThrow(),
                    "a=setup:" + setup.wire() + " leaves the server no passive role");
        }
    }

    private Section decide(SessionDescription offer, int index, Group bundle, Map<String, OutgoingTrack> tracks) {
        MediaDescription m = offer.media().get(index);
        String mid = m.mid().orElseThrow();
        if (!acceptable(m, bundle)) {
            return new Section(index, mid, m, MediaRole.REJECTED, null, List.of(), false, Optional.empty());
        }
        if (!m.rtcpMux()) {
            throw new SdpNegotiationException(NO_RTCP_MUX, mid, "a=rtcp-mux is required");
        }
        CodecNegotiation.Codecs codecs = CodecNegotiation.codecs(policy, m, mid);
        List<HeaderExtension> extensions = CodecNegotiation.headerExtensions(policy, m);
        Optional<OutgoingTrack> track = Optional.ofNullable(tracks.get(mid));
        Direction offered = offer.directionOf(m);
        MediaRole role;
        if (offered.sends()) {
            role = MediaRole.RECEIVE;
        } else if (offered == Direction.RECVONLY && track.isPresent()) {
            role = MediaRole.SEND;
        } else {
            role = MediaRole.INACTIVE;
        }
        boolean simulcast = role == MediaRole.RECEIVE && acceptsSimulcast(m, extensions);
        return new Section(index, mid, m, role, codecs, extensions, simulcast,
                role == MediaRole.SEND ? track : Optional.empty());
    }

    /**
     * Port 0 without bundle-only is a stopped transceiver (RFC 9143 §6 lets bundle-only sections
     * use port 0 without being rejected, as Firefox's offers do).
     */
    private static boolean acceptable(MediaDescription m, Group bundle) {
        boolean carried = m.kind() == MediaKind.AUDIO || m.kind() == MediaKind.VIDEO;
        boolean dtlsSrtp = m.isRtp() && m.protocol().endsWith("/SAVPF") && m.protocol().contains("TLS");
        return !m.isRejected() && carried && dtlsSrtp && bundle.mids().contains(m.mid().orElseThrow());
    }

    /** Simulcast needs the policy's consent, a send list, and the rid extension to carry rids in. */
    private boolean acceptsSimulcast(MediaDescription m, List<HeaderExtension> extensions) {
        return policy.simulcast()
                && m.simulcast().filter(s -> !s.send().isEmpty()).isPresent()
                && extensions.stream().anyMatch(e -> e.uri().equals(HeaderExtensionUris.RTP_STREAM_ID));
    }

    private static MediaDescription accepted(Section s, LocalTransportParameters local, boolean tagged) {
        MediaDescription offered = s.offered();
        // RFC 9143 §7.3: every bundled section carries the BUNDLE address:port. The transport
        // attributes are repeated in each section for the browsers (see the class comment).
        int port = MediaDescription.DISCARD_PORT;
        Connection connection = Connection.UNSPECIFIED;
        Optional<IceCandidate> preferred = defaultCandidate(local);
        if (preferred.isPresent()) {
            port = preferred.get().port();
            connection = Connection.of(preferred.get().address());
        }
        TransportAttributes transport = new TransportAttributes(Optional.of(local.iceUfrag()),
                Optional.of(local.icePwd()), List.of(TRICKLE), List.of(local.fingerprint()), Optional.of(Setup.PASSIVE),
                tagged ? local.candidates() : List.of(), tagged && local.endOfCandidates());
        List<Codec> codecs = s.codecs().answerCodecs();
        MediaDescription.Builder b = MediaDescription.builder(offered.kind())
                .port(port)
                .protocol(offered.protocol())
                .formats(codecs.stream().map(c -> Integer.toString(c.payloadType())).toList())
                .connection(connection)
                .transport(transport)
                .mid(s.mid())
                .direction(answerDirection(s.role()))
                .rtcpMux(true)
                .rtcpRsize(offered.rtcpRsize())
                .codecs(codecs)
                .headerExtensions(s.headerExtensions());
        if (s.simulcast()) {
            Simulcast offeredSimulcast = offered.simulcast().orElseThrow();
            for (String rid : Simulcast.firstRids(offeredSimulcast.send())) {
                b.addRid(new Rid(rid, RidDirection.RECV, Optional.empty()));
            }
            // The server receives what the browser sends; it never sends simulcast itself.
            b.simulcast(new Simulcast(List.of(), offeredSimulcast.send()));
        }
        s.track().ifPresent(t -> describeTrack(b, t, s.codecs()));
        return b.build();
    }

    /** RFC 8830 msid, RFC 5576 source attributes, and the FID group when RTX is negotiated. */
    private static void describeTrack(MediaDescription.Builder b, OutgoingTrack t, CodecNegotiation.Codecs codecs) {
        b.addMsid(t.msid());
        String msid = t.msid().format();
        OptionalLong rtx = rtxSsrc(t, codecs);
        rtx.ifPresent(r -> b.addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(t.ssrc(), r))));
        b.addSsrcAttribute(SsrcAttribute.of(t.ssrc(), SsrcAttribute.CNAME, t.cname()));
        b.addSsrcAttribute(SsrcAttribute.of(t.ssrc(), SsrcAttribute.MSID, msid));
        rtx.ifPresent(r -> {
            b.addSsrcAttribute(SsrcAttribute.of(r, SsrcAttribute.CNAME, t.cname()));
            b.addSsrcAttribute(SsrcAttribute.of(r, SsrcAttribute.MSID, msid));
        });
    }

    /** The track's RTX SSRC, when it has one and RTX was negotiated for some codec. */
    private static OptionalLong rtxSsrc(OutgoingTrack t, CodecNegotiation.Codecs codecs) {
        boolean rtxNegotiated = codecs.negotiated().stream().anyMatch(c -> c.rtxPayloadType().isPresent());
        return rtxNegotiated ? t.rtxSsrc() : OptionalLong.empty();
    }

    private static Direction answerDirection(MediaRole role) {
        return switch (role) {
            case RECEIVE -> Direction.RECVONLY;
            case SEND -> Direction.SENDONLY;
            default -> Direction.INACTIVE;
        };
    }

    /** RFC 8839: m= and c= carry the default candidate; UDP is the one to prefer. */
    private static Optional<IceCandidate> defaultCandidate(LocalTransportParameters local) {
        return local.candidates().stream().filter(IceCandidate::isUdp).findFirst()
                .or(() -> local.candidates().stream().findFirst());
    }

    /**
     * RFC 3264 §6: port 0, at least one format (which is then ignored), and the mid kept so the
     * browser can match the section (RFC 9143 §7.3.3 for the rest). The first offered format is reused with
     * its rtpmap so strict parsers find no unmapped dynamic payload type.
     */
    private static MediaDescription rejected(MediaDescription offered) {
        String format = offered.formats().get(0);
        MediaDescription.Builder b = MediaDescription.builder(offered.kind())
                .port(0)
                .protocol(offered.protocol())
                .formats(List.of(format))
                .connection(Connection.UNSPECIFIED)
                .mid(offered.mid().orElseThrow())
                .direction(Direction.INACTIVE);
        if (offered.isRtp()) {
            offered.codec(Integer.parseInt(format)).ifPresent(c -> b.addCodec(Codec.of(c.payloadType(), c.name(),
                    c.clockRate())));
        }
        return b.build();
    }

    private static NegotiatedMedia summary(Section s) {
        MediaDescription m = s.offered();
        if (s.role() == MediaRole.REJECTED) {
            return new NegotiatedMedia(s.index(), s.mid(), m.kind(), MediaRole.REJECTED, List.of(), Map.of(), List.of(),
                    List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), false);
        }
        Map<String, Integer> extensionIds = new LinkedHashMap<>();
        for (HeaderExtension e : s.headerExtensions()) {
            extensionIds.putIfAbsent(e.uri(), e.id());
        }
        if (s.role() == MediaRole.SEND) {
            OutgoingTrack t = s.track().orElseThrow();
            OptionalLong rtx = rtxSsrc(t, s.codecs());
            List<Long> ssrcs = new ArrayList<>(List.of(t.ssrc()));
            List<RtxSsrcPair> pairs = new ArrayList<>();
            rtx.ifPresent(r -> {
                ssrcs.add(r);
                pairs.add(new RtxSsrcPair(t.ssrc(), r));
            });
            return new NegotiatedMedia(s.index(), s.mid(), m.kind(), MediaRole.SEND, s.codecs().negotiated(),
                    extensionIds, ssrcs, pairs, List.of(), Optional.of(t.msid()), Optional.of(t.cname()), s.track(),
                    m.rtcpRsize());
        }
        List<RtxSsrcPair> pairs = m.ssrcGroups(SsrcGroup.FID).stream()
                .filter(g -> g.ssrcs().size() == 2 && !g.ssrcs().get(0).equals(g.ssrcs().get(1)))
                .map(g -> new RtxSsrcPair(g.ssrcs().get(0), g.ssrcs().get(1)))
                .toList();
        List<String> rids = s.simulcast() ? Simulcast.firstRids(m.simulcast().orElseThrow().send()) : List.of();
        Optional<Msid> msid = m.msids().stream().findFirst();
        Optional<String> cname = m.ssrcs().stream().findFirst()
                .flatMap(ssrc -> m.ssrcAttribute(ssrc, SsrcAttribute.CNAME));
        return new NegotiatedMedia(s.index(), s.mid(), m.kind(), s.role(), s.codecs().negotiated(), extensionIds,
                m.ssrcs(), pairs, rids, msid, cname, Optional.empty(), m.rtcpRsize());
    }
}
