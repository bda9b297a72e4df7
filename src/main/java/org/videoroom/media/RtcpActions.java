package org.videoroom.media;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtcp.TransportWideCc;

/**
 * What one participant's RTCP makes us do. As a publisher it sends sender reports, which feed its layers'
 * receiver statistics and are relayed to whoever forwards that layer; as a subscriber it asks for keyframes
 * (passed upstream, rate-limited per layer), for retransmissions and reports on our sending (its estimate).
 * Work on a subscription's state goes to the subscriber's send queue, which owns it.
 *
 * <p>Thread-safety: called on the participant's transport receive thread only.
 */
final class RtcpActions implements RtcpTerminator.Listener {

    private final Supplier<PublishedTrack[]> published;
    private final Subscriptions subscriptions;
    private final SendQueue queue;
    private final DownlinkController downlink;
    private final ForwardingCounters counters;
    private final LongSupplier nanoClock;

    RtcpActions(Supplier<PublishedTrack[]> published, Subscriptions subscriptions, SendQueue queue,
                DownlinkController downlink, ForwardingCounters counters, LongSupplier nanoClock) {
        this.published = published;
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.downlink = downlink;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onSenderReport(SenderReport sr) {
        for (PublishedTrack track : published.get()) {
            PublishedTrack.Layer layer = track.layerBySsrc(sr.senderSsrc());
            if (layer == null) {
                continue;
            }
            layer.onSenderReport(sr.ntpTimestamp(), nanoClock.getAsLong());
            for (Subscription subscription : track.subscriptions()) {
                if (subscription.currentLayer() == layer.index) {
                    subscription.relay(sr);
                }
            }
            return;
        }
    }

    /** A keyframe of the layer the subscriber gets, or is about to. */
    @Override
    public void onKeyframeRequest(long mediaSsrc) {
        Subscription subscription = subscriptions.bySsrc(mediaSsrc);
        if (subscription != null) {
            int layer = subscription.currentLayer() >= 0 ? subscription.currentLayer() : subscription.targetLayer();
            if (layer >= 0) {
                subscription.track().layer(layer).requestKeyframe();
            }
        }
    }

    @Override
    public void onNack(TransportLayerNack nack) {
        counters.nacksReceived.increment();
        Subscription subscription = subscriptions.bySsrc(nack.mediaSsrc());
        if (subscription != null) {
            int[] lost = nack.lostSequenceNumbers();
            queue.execute(() -> subscription.retransmit(lost));
        }
    }

    @Override
    public void onTransportFeedback(TransportWideCc feedback) {
        queue.execute(() -> downlink.onTransportFeedback(feedback));
    }

    @Override
    public void onRemb(ReceiverEstimatedMaxBitrate remb) {
        long bps = remb.bitrateBps();
        queue.execute(() -> downlink.onRemb(bps));
    }
}
