package org.videoroom.media;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.ReceiveExtensionIds;
import org.videoroom.rtp.RtpPacket;

/**
 * The demultiplexing stage of a publisher's receive pipeline: which layer of which published track an RTP packet
 * belongs to, or repairs (RTX). SSRCs the offer announced are routed from the start; simulcast layers, whose
 * SSRCs Chromium does not announce, are learnt ("latched") from the first packet that names its m-line by the
 * MID header extension and its layer by the rid (media) or repaired rid (RTX) extension (RFC 8852 §3-4).
 *
 * <p>Thread-safety: {@link #route} runs on the publisher's receive thread and reads a volatile copy-on-write
 * table, so a lookup takes no lock and allocates nothing; latching (once per SSRC) and {@link #update} (each
 * negotiation) copy the table under this object's lock.
 *
 * <p>A latched SSRC is claimed in the room ({@link SsrcOwners}): a layer cannot be learnt from an SSRC another
 * participant sends with, and it is given back when its route goes.
 */
final class RtpDemuxer {

    private static final System.Logger LOG = System.getLogger(RtpDemuxer.class.getName());
    private static final Route[] NO_ROUTES = new Route[0];
    private static final PublishedTrack[] NO_TRACKS = new PublishedTrack[0];
    /** Latched SSRCs at most: a hostile client cannot grow the table. */
    static final int MAX_ROUTES = 64;

    /** SSRC → the layer it carries, or repairs (RTX). */
    record Route(long ssrc, PublishedTrack.Layer layer, boolean rtx) {
    }

    private final String logPrefix;
    private final SsrcOwners.Claims claims;
    private volatile Route[] routes = NO_ROUTES;
    private volatile PublishedTrack[] tracks = NO_TRACKS;
    private volatile ReceiveExtensionIds extensionIds = ReceiveExtensionIds.NONE;

    // Receive thread only.
    private final StageCounter latched = new StageCounter();
    private final StageCounter latchRefused = new StageCounter();
    /** The last SSRC refused because another participant owns it: its packets are dropped without a lookup. */
    private volatile long refusedSsrc = -1;
    private boolean refusalLogged;

    /** A demuxer whose claims no other session shares (tests of one publisher). */
    RtpDemuxer(String logPrefix) {
        this(logPrefix, new SsrcOwners().claimsOf(logPrefix));
    }

    RtpDemuxer(String logPrefix, SsrcOwners.Claims claims) {
        this.logPrefix = logPrefix;
        this.claims = claims;
    }

    /**
     * Control plane: routes what a negotiation published. Routes of tracks that carry on are kept (their latched
     * simulcast SSRCs stay valid); those of tracks that went are dropped.
     *
     * @param tracks the published tracks, in the same order as {@code publications}
     */
    synchronized void update(List<PublicationPlan> publications, List<PublishedTrack> tracks,
                             ReceiveExtensionIds ids) {
        List<Route> next = new ArrayList<>();
        for (Route route : routes) {
            if (tracks.contains(route.layer().track())) {
                next.add(route);
            }
        }
        for (int i = 0; i < publications.size(); i++) {
            PublicationPlan publication = publications.get(i);
            PublishedTrack track = tracks.get(i);
            if (!publication.rids().isEmpty()) {
                continue;
            }
            addIfAbsent(next, new Route(publication.ssrc(), track.layer(0), false));
            for (long rtxSsrc : publication.rtxSsrcs()) {
                addIfAbsent(next, new Route(rtxSsrc, track.layer(0), true));
            }
        }
        for (Route route : routes) {
            if (next.stream().noneMatch(r -> r.ssrc() == route.ssrc())) {
                claims.release(route.ssrc());
            }
        }
        refusedSsrc = -1; // a new negotiation, a new chance: the owner may have left
        this.extensionIds = ids;
        this.tracks = tracks.toArray(PublishedTrack[]::new);
        this.routes = next.toArray(Route[]::new);
    }

    private static void addIfAbsent(List<Route> routes, Route route) {
        if (routes.stream().noneMatch(r -> r.ssrc() == route.ssrc())) {
            routes.add(route);
        }
    }

    /** The published tracks, for the stages after demultiplexing and for RTCP. */
    PublishedTrack[] tracks() {
        return tracks;
    }

    /** Receive thread: the route of a parsed packet, or null when no published layer owns its SSRC. */
    Route route(RtpPacket packet) {
        long ssrc = packet.ssrc();
        for (Route route : routes) {
            if (route.ssrc() == ssrc) {
                return route;
            }
        }
        return latch(packet, ssrc);
    }

    /** Compares the extensions' bytes without decoding them: unknown junk costs no garbage. */
    private Route latch(RtpPacket packet, long ssrc) {
        ReceiveExtensionIds ids = extensionIds;
        if (ids.mid() <= 0) {
            return null;
        }
        if (ssrc == refusedSsrc) {
            latchRefused.increment();
            return null;
        }
        for (PublishedTrack track : tracks) {
            if (!track.simulcast() || !packet.extensionEquals(ids.mid(), track.mid())) {
                continue;
            }
            for (PublishedTrack.Layer layer : track.layers()) {
                boolean media = ids.rid() > 0 && packet.extensionEquals(ids.rid(), layer.rid);
                boolean rtx = !media && ids.repairedRid() > 0 && packet.extensionEquals(ids.repairedRid(), layer.rid);
                if (!media && !rtx) {
                    continue;
                }
                if (media && layer.ssrc() >= 0 && layer.ssrc() != ssrc) {
                    latchRefused.increment(); // the layer has its SSRC: a second one claiming it is not believed
                    return null;
                }
                return add(new Route(ssrc, layer, rtx), track);
            }
        }
        return null;
    }

    private synchronized Route add(Route route, PublishedTrack track) {
        Route[] current = routes;
        if (current.length >= MAX_ROUTES) {
            latchRefused.increment();
            return null;
        }
        if (!claims.claim(route.ssrc())) {
            latchRefused.increment();
            refusedSsrc = route.ssrc();
            if (!refusalLogged) {
                refusalLogged = true;
                LOG.log(Level.INFO, "{0}refused to learn ssrc {1} for {2}: another participant of the room sends"
                        + " with it (dropped and counted from now on)", logPrefix, route.ssrc(), track.mid());
            }
            return null;
        }
        if (!route.rtx()) {
            route.layer().bind(route.ssrc());
        }
        Route[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = route;
        routes = next;
        latched.increment();
        LOG.log(Level.DEBUG, "{0}ssrc {1} is {2} of {3}{4}", logPrefix, route.ssrc(), route.layer(), track.mid(),
                route.rtx() ? " (RTX)" : "");
        return route;
    }

    long latched() {
        return latched.get();
    }

    long latchRefused() {
        return latchRefused.get();
    }
}
