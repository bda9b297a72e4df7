package org.videoroom.media;

import java.util.List;
import java.util.Map;
import org.videoroom.sdp.MediaKind;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.rtp.RtxPacketizer;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;

/**
 * What one offer changes for a participant, as {@link Negotiator} worked it out: the answer to send, and the
 * difference to the previous negotiation that {@link PeerSession} applies to its tracks, subscriptions and
 * receive pipeline. Everything the packet path needs (payload type maps, header extension ids, SSRCs) is decided
 * here, so the session only creates and closes objects.
 *
 * <p>Immutable, except the arrays of a {@link SubscriptionPlan}, which their consumers copy.
 *
 * @param answer            the SDP answer
 * @param session           what the answer agreed (the remote ICE credentials and fingerprints among it)
 * @param startsIce         the first answered offer: the transport starts with the remote credentials now
 * @param restartsIce       an ICE restart: the answer carries a new agent's credentials, which starts with the
 *                          browser's new ones; DTLS and SRTP go on
 * @param publications      the tracks this participant publishes after the offer, in m-line order
 * @param withdrawn         mids of the tracks published before that are gone, or whose layers changed (a fresh
 *                          publication replaces those)
 * @param subscriptions     what this participant receives after the offer
 * @param ended             mids of subscriptions that end (or are replaced by a fresh one on the same mid)
 * @param receiveExtensions header extension ids of what this participant sends us
 * @param sendTransportCcId the transport-wide sequence number's id in what we send it, or -1
 */
record NegotiationPlan(String answer, NegotiatedSession session, boolean startsIce, boolean restartsIce,
                       List<PublicationPlan> publications, List<String> withdrawn,
                       List<SubscriptionPlan> subscriptions, List<String> ended,
                       ReceiveExtensionIds receiveExtensions, int sendTransportCcId) {

    NegotiationPlan {
        publications = List.copyOf(publications);
        withdrawn = List.copyOf(withdrawn);
        subscriptions = List.copyOf(subscriptions);
        ended = List.copyOf(ended);
    }

    /**
     * One published track.
     *
     * @param rids      simulcast rids, lowest layer first; empty for a single layer
     * @param ssrc      the single layer's SSRC, -1 for simulcast (its SSRCs are learnt from the rid extension)
     * @param rtxSsrcs  the offer's RTX SSRCs that repair {@code ssrc}
     * @param clockRate of the preferred codec
     * @param fresh     a new track (false: the one published on this mid before carries on)
     */
    record PublicationPlan(String mid, MediaKind kind, List<String> rids, long ssrc, List<Long> rtxSsrcs,
                           int clockRate, NegotiatedMedia media, boolean fresh) {

        PublicationPlan {
            rids = List.copyOf(rids);
            rtxSsrcs = List.copyOf(rtxSsrcs);
        }

        boolean sameLayers(PublicationPlan other) {
            return kind == other.kind && rids.equals(other.rids) && ssrc == other.ssrc;
        }
    }

    /**
     * One forwarded track, on the subscriber's MID.
     *
     * @param ssrc            the server-chosen SSRC the subscriber receives it with
     * @param rtxSsrc         the SSRC retransmissions go out with, -1 without RTX
     * @param payloadTypeMap  publisher payload type → the subscriber's, -1 where it has no such codec
     * @param vp8PayloadTypes publisher payload types that carry VP8
     * @param extensionIds    publisher header extension id → the subscriber's
     * @param rtxPayloadTypes the subscriber's payload type → its RTX payload type
     * @param nack            the subscriber negotiated NACK on this MID: only then is a history of what it was sent
     *                        worth keeping (browsers negotiate none for Opus)
     * @param fresh           a new subscription (false: the one on this mid carries on, same track and SSRC)
     */
    record SubscriptionPlan(String mid, PublishedTrack track, long ssrc, long rtxSsrc, int[] payloadTypeMap,
                            boolean[] vp8PayloadTypes, HeaderExtensionIdMap extensionIds,
                            Map<Integer, Integer> rtxPayloadTypes, boolean nack, boolean fresh) {

        SubscriptionPlan {
            rtxPayloadTypes = Map.copyOf(rtxPayloadTypes);
        }

        /** RTX towards the subscriber, or null when it negotiated none. */
        RtxPacketizer rtxPacketizer(int initialSequenceNumber) {
            return rtxSsrc < 0 ? null : new RtxPacketizer(rtxSsrc, rtxPayloadTypes, initialSequenceNumber);
        }
    }

    /** Header extension ids in what the participant sends, -1 for those not negotiated. */
    record ReceiveExtensionIds(int mid, int rid, int repairedRid, int transportCc, int audioLevel) {
        static final ReceiveExtensionIds NONE = new ReceiveExtensionIds(-1, -1, -1, -1, -1);
    }
}
