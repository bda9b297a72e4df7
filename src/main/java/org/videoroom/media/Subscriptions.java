package org.videoroom.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;

/**
 * What one subscriber receives: its {@link Subscription}s by the MID each was negotiated on, kept in step with
 * the negotiation plans, and published as an array for the packet path and RTCP.
 *
 * <p>Thread-safety: {@link #apply} and {@link #close} on the control plane, under the session's lock; the
 * readers ({@link #all}, {@link #bySsrc}, {@link #stats}) from any thread, through a volatile array.
 */
final class Subscriptions {

    private static final Subscription[] NONE = new Subscription[0];

    private final Map<String, Subscription> byMid = new LinkedHashMap<>();
    private volatile Subscription[] all = NONE;

    /**
     * Ends what the plan ends, keeps what carries on and creates the fresh ones, which start receiving their
     * track's packets before this returns.
     *
     * @return the fresh subscriptions
     */
    List<Subscription> apply(NegotiationPlan plan, Function<SubscriptionPlan, Subscription> create) {
        for (String mid : plan.ended()) {
            end(byMid.remove(mid));
        }
        Map<String, Subscription> next = new LinkedHashMap<>();
        List<Subscription> started = new ArrayList<>();
        for (SubscriptionPlan planned : plan.subscriptions()) {
            Subscription subscription = planned.fresh() ? create.apply(planned) : byMid.get(planned.mid());
            next.put(planned.mid(), subscription);
            if (planned.fresh()) {
                started.add(subscription);
            }
        }
        byMid.clear();
        byMid.putAll(next);
        all = next.values().toArray(Subscription[]::new);
        for (Subscription subscription : started) {
            subscription.track().add(subscription);
        }
        return started;
    }

    /** Ends every subscription. */
    void close() {
        for (Subscription subscription : byMid.values()) {
            end(subscription);
        }
        byMid.clear();
        all = NONE;
    }

    private static void end(Subscription subscription) {
        subscription.track().remove(subscription);
        subscription.close();
    }

    /** The current subscriptions; the array is never modified. */
    Subscription[] all() {
        return all;
    }

    int size() {
        return all.length;
    }

    /** The subscription the subscriber receives with this SSRC, or null. */
    Subscription bySsrc(long ssrc) {
        for (Subscription subscription : all) {
            if (subscription.ssrc() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    List<ParticipantMediaStats.SubscriptionStats> stats() {
        List<ParticipantMediaStats.SubscriptionStats> out = new ArrayList<>();
        long now = System.nanoTime();
        for (Subscription subscription : all) {
            PublishedTrack track = subscription.track();
            List<Long> bitrates = new ArrayList<>(track.layers().length);
            for (PublishedTrack.Layer layer : track.layers()) {
                bitrates.add(layer.active(now) ? layer.bitrate.bps(now) : 0L);
            }
            out.add(new ParticipantMediaStats.SubscriptionStats(track.info().id().value(),
                    track.kind().name().toLowerCase(Locale.ROOT), track.layers().length,
                    subscription.currentLayer(), subscription.targetLayer(), subscription.layerSwitches(),
                    subscription.forwarded(), subscription.retransmitted(), subscription.probes(), bitrates));
        }
        return out;
    }
}
