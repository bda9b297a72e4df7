package org.videoroom.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Chooses, for one offered m= section, the codecs and header extensions the answer accepts under
 * a {@link CodecPolicy}. Payload types and extension ids are the offer's: an answer must use the
 * offerer's numbers for what both support (RFC 3264 §6.1, RFC 8285 §7). Stateless.
 */
final class CodecNegotiation {

    /**
     * The accepted codecs.
     *
     * @param answerCodecs as the answer lists them: each primary codec followed by its RTX
     * @param negotiated the primary codecs with their RTX payload types
     */
    record Codecs(List<Codec> answerCodecs, List<NegotiatedCodec> negotiated) {
    }

    private CodecNegotiation() {
    }

    /**
     * Primary codecs in policy order (the browser sends with the first one it supports, so the
     * policy's preference decides what publishers send), the offer's order among matches of one
     * rule; feedback filtered to what the policy allows; RTX kept for the primaries that offer it.
     *
     * @throws SdpNegotiationException {@link SdpNegotiationException.Reason#NO_COMMON_CODEC} when a
     *     required codec is missing or nothing matches
     */
    static Codecs codecs(CodecPolicy policy, MediaDescription offered, String mid) {
        List<Codec> primaries = new ArrayList<>();
        for (CodecRule rule : policy.codecs(offered.kind())) {
            List<Codec> matches = offered.codecs().stream().filter(rule::matches).toList();
            if (rule.required() && matches.isEmpty()) {
                throw new SdpNegotiationException(SdpNegotiationException.Reason.NO_COMMON_CODEC, mid,
                        "the offer lacks required " + rule);
            }
            for (Codec c : matches) {
                if (!primaries.contains(c)) {
                    primaries.add(c);
                }
            }
        }
        if (primaries.isEmpty()) {
            throw new SdpNegotiationException(SdpNegotiationException.Reason.NO_COMMON_CODEC, mid,
                    "no offered " + offered.kind().wire() + " codec is accepted");
        }
        List<Codec> answerCodecs = new ArrayList<>();
        List<NegotiatedCodec> negotiated = new ArrayList<>();
        for (Codec primary : primaries) {
            Codec answered = primary.withRtcpFeedback(feedback(policy, primary, offered.wildcardRtcpFeedback()));
            answerCodecs.add(answered);
            Optional<Codec> rtx = policy.rtx() ? rtxFor(offered, primary.payloadType()) : Optional.empty();
            rtx.ifPresent(r -> answerCodecs.add(r.withRtcpFeedback(List.of())));
            negotiated.add(new NegotiatedCodec(answered,
                    rtx.map(r -> OptionalInt.of(r.payloadType())).orElse(OptionalInt.empty())));
        }
        return new Codecs(answerCodecs, negotiated);
    }

    /** The codec's own feedback plus the section's wildcard feedback, kept if the policy allows it. */
    private static List<String> feedback(CodecPolicy policy, Codec codec, List<String> wildcard) {
        Set<String> kept = new LinkedHashSet<>();
        for (String fb : codec.rtcpFeedback()) {
            if (policy.rtcpFeedback().contains(fb)) {
                kept.add(fb);
            }
        }
        for (String fb : wildcard) {
            if (policy.rtcpFeedback().contains(fb)) {
                kept.add(fb);
            }
        }
        return List.copyOf(kept);
    }

    /** The offered RTX format whose {@code apt} is {@code payloadType} (RFC 4588 §8). */
    private static Optional<Codec> rtxFor(MediaDescription offered, int payloadType) {
        for (Codec c : offered.codecs()) {
            if (c.isRtx() && c.associatedPayloadType().orElse(-1) == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The offered header extensions the policy accepts, with the offer's ids. A one-direction
     * mapping is answered with the reverse direction (RFC 8285 §7: sendonly answers recvonly).
     */
    static List<HeaderExtension> headerExtensions(CodecPolicy policy, MediaDescription offered) {
        List<HeaderExtension> accepted = new ArrayList<>();
        for (HeaderExtension e : offered.headerExtensions()) {
            if (policy.headerExtensions().contains(e.uri())) {
                accepted.add(new HeaderExtension(e.id(), e.direction().map(Direction::reverse), e.uri(),
                        Optional.empty()));
            }
        }
        return accepted;
    }
}
