package org.videoroom.media;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.Vp8PayloadDescriptor;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.NegotiatedMedia;

/**
 * A track one participant sends to the room: the producer, fan-out point of the router. It has one
 * {@link Layer} per encoding: a single one for audio and plain video, one per rid for simulcast (lowest first, as
 * the publisher listed them). Each packet arrives decrypted once, is counted for the publisher's receiver reports
 * and the layer's bitrate, and is offered to every subscription, which takes only the layers it forwards.
 *
 * <p>Thread-safety: {@link #onRtp} runs on the publisher's receive thread only; subscriptions are added and
 * removed from signaling threads through a copy-on-write array, so the packet path iterates without locks or
 * allocation. Layer SSRCs learnt from the rid header extension are published through volatile fields.
 */
final class PublishedTrack implements AutoCloseable {

    private static final Subscription[] NONE = new Subscription[0];
    /** A layer that sent nothing for this long is inactive (the publisher paused it, or its encoder is limited). */
    static final long LAYER_INACTIVE_NANOS = 1_500_000_000L;

    /** One encoding of the track. */
    final class Layer {
        final int index;
        /** The rid (RFC 8851) for simulcast, null otherwise. */
        final String rid;
        final KeyframeRequester keyframes;
        final BitrateMeter bitrate = new BitrateMeter();
        private final RepairRequests repairs = new RepairRequests();
        private volatile long ssrc = -1;
        private volatile ReceiveStatistics statistics;
        private volatile long lastPacketNanos = Long.MIN_VALUE;
        /** The frame height of its last keyframe (VP8), 0 before one. */
        private volatile int height;

        Layer(int index, String rid, long ssrc) {
            this.index = index;
            this.rid = rid;
            this.keyframes = new KeyframeRequester(config.keyframeRequestInterval().toNanos(), nanoClock);
            if (ssrc >= 0) {
                bind(ssrc);
            }
        }

        /** The layer's SSRC, or -1 while a simulcast layer has not been seen yet. */
        long ssrc() {
            return ssrc;
        }

        PublishedTrack track() {
            return PublishedTrack.this;
        }

        /** Receive thread (or negotiation, before any packet): the SSRC this layer arrives with. */
        void bind(long layerSsrc) {
            statistics = new ReceiveStatistics(layerSsrc, clockRate);
            ssrc = layerSsrc;
        }

        /** The frame height of this layer's last keyframe, 0 when not known (not VP8, or none seen yet). */
        int height() {
            return height;
        }

        /** Whether the publisher sends this layer now. */
        boolean active(long nowNanos) {
            long last = lastPacketNanos;
            return last != Long.MIN_VALUE && nowNanos - last < LAYER_INACTIVE_NANOS;
        }

        /** Asks the publisher for a keyframe of this layer, unless one was asked for very recently. */
        void requestKeyframe() {
            long layerSsrc = ssrc;
            if (info.kind() == MediaKind.VIDEO && !closed && layerSsrc >= 0 && publisher != null
                    && publisher.isConnected()
                    && keyframes.shouldSend()) {
                publisher.sendKeyframeRequest(layerSsrc);
            }
        }

        /**
         * Asks the publisher to resend packets of this layer that a subscriber lost on the way to us, except those
         * asked for a moment ago or beyond the layer's budget ({@link RepairRequests}).
         *
         * @return how many of the sequence numbers were not asked for
         */
        int requestRetransmission(List<Integer> sequenceNumbers) {
            long layerSsrc = ssrc;
            if (closed || layerSsrc < 0 || publisher == null || !publisher.isConnected()) {
                return 0;
            }
            List<Integer> ask = admitRepairRequests(sequenceNumbers);
            if (!ask.isEmpty()) {
                publisher.sendNack(layerSsrc, ask);
            }
            return sequenceNumbers.size() - ask.size();
        }

        /** Of these lost sequence numbers, those to ask the publisher for, now recorded as asked. */
        List<Integer> admitRepairRequests(List<Integer> sequenceNumbers) {
            long now = nanoClock.getAsLong();
            List<Integer> ask = new java.util.ArrayList<>(sequenceNumbers.size());
            for (int sequenceNumber : sequenceNumbers) {
                if (repairs.request(sequenceNumber, now) == RepairRequests.Decision.ASK) {
                    ask.add(sequenceNumber);
                }
            }
            return ask;
        }

        /** Receive thread: whether a repaired packet answers one of our requests (then forwarded, once). */
        boolean solicited(int sequenceNumber, long nowNanos) {
            return repairs.answer(sequenceNumber, nowNanos);
        }

        ReportBlock reportBlock(long nowNanos) {
            ReceiveStatistics s = statistics;
            return s == null ? null : s.reportBlock(nowNanos);
        }

        void onSenderReport(long ntpTimestamp, long nowNanos) {
            ReceiveStatistics s = statistics;
            if (s != null) {
                s.onSenderReport(ntpTimestamp, nowNanos);
            }
        }

        @Override
        public String toString() {
            return "layer " + index + (rid == null ? "" : " rid " + rid) + " ssrc " + ssrc;
        }
    }

    private final TrackInfo info;
    private final String mid;
    private final PeerSession publisher;
    private final NegotiatedMedia publisherMedia;
    private final MediaConfig config;
    private final LongSupplier nanoClock;
    private final int clockRate;
    private final Layer[] layers;
    /** For each RTX payload type of the publisher's m-line, the payload type it repairs (-1 for the rest). */
    private final int[] originalByRtx;
    private final boolean[] vp8PayloadTypes;
    private volatile Subscription[] subscriptions = NONE;
    private volatile boolean closed;

    /**
     * @param rids  the simulcast rids, lowest layer first; empty for one layer
     * @param ssrc  the SSRC of the single layer when the offer announced it, -1 otherwise
     */
    PublishedTrack(TrackInfo info, String mid, List<String> rids, long ssrc, int clockRate, PeerSession publisher,
                   NegotiatedMedia publisherMedia, MediaConfig config, LongSupplier nanoClock) {
        this.info = info;
        this.mid = mid;
        this.publisher = publisher;
        this.publisherMedia = publisherMedia;
        this.config = config;
        this.nanoClock = nanoClock;
        this.clockRate = clockRate;
        if (rids.isEmpty()) {
            this.layers = new Layer[] {new Layer(0, null, ssrc)};
        } else {
            this.layers = new Layer[rids.size()];
            for (int i = 0; i < rids.size(); i++) {
                layers[i] = new Layer(i, rids.get(i), -1);
            }
        }
        this.vp8PayloadTypes = Negotiator.vp8PayloadTypes(publisherMedia);
        this.originalByRtx = new int[128];
        Arrays.fill(originalByRtx, -1);
        publisherMedia.codecs().forEach(c -> c.rtxPayloadType().ifPresent(rtx -> originalByRtx[rtx] = c.payloadType()));
    }

    TrackInfo info() {
        return info;
    }

    String mid() {
        return mid;
    }

    MediaKind kind() {
        return info.kind();
    }

    PeerSession publisher() {
        return publisher;
    }

    int clockRate() {
        return clockRate;
    }

    /** The publisher's negotiation of this track's m-line: payload types and header extension ids. */
    NegotiatedMedia publisherMedia() {
        return publisherMedia;
    }

    /** Lowest first. */
    Layer[] layers() {
        return layers;
    }

    Layer layer(int index) {
        return layers[index];
    }

    /** The layer with this rid, or null. */
    Layer layerByRid(String rid) {
        for (Layer layer : layers) {
            if (rid.equals(layer.rid)) {
                return layer;
            }
        }
        return null;
    }

    /** The layer whose SSRC this is, or null. */
    Layer layerBySsrc(long ssrc) {
        for (Layer layer : layers) {
            if (layer.ssrc == ssrc) {
                return layer;
            }
        }
        return null;
    }

    /** The payload type an RTX payload type repairs, or -1. */
    int originalPayloadType(int rtxPayloadType) {
        return originalByRtx[rtxPayloadType & 0x7F];
    }

    boolean simulcast() {
        return layers.length > 1 || layers[0].rid != null;
    }

    Subscription[] subscriptions() {
        return subscriptions;
    }

    /** Publisher's receive thread: one decrypted packet of one of this track's layers. */
    void onRtp(Layer layer, RtpPacket packet) {
        if (closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        ReceiveStatistics statistics = layer.statistics;
        if (statistics != null) {
            statistics.onPacket(packet.sequenceNumber(), packet.timestamp(), now);
        }
        layer.lastPacketNanos = now;
        layer.bitrate.add(packet.length(), now);
        if (vp8PayloadTypes[packet.payloadType()]) {
            int frameHeight = Vp8PayloadDescriptor.keyframeHeight(packet.buffer(), packet.payloadOffset(),
                    packet.payloadLength());
            if (frameHeight > 0) {
                layer.height = frameHeight;
            }
        }
        for (Subscription subscription : subscriptions) {
            subscription.offer(layer, packet);
        }
    }

    synchronized void add(Subscription subscription) {
        if (closed) {
            return;
        }
        Subscription[] current = subscriptions;
        Subscription[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = subscription;
        subscriptions = next;
    }

    synchronized void remove(Subscription subscription) {
        subscriptions = Arrays.stream(subscriptions).filter(s -> s != subscription).toArray(Subscription[]::new);
    }

    /** Asks for a keyframe of every layer (a new subscriber, whatever layer it starts on, needs one soon). */
    void requestKeyframe() {
        for (Layer layer : layers) {
            layer.requestKeyframe();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscriptions = NONE;
    }

    @Override
    public String toString() {
        return "PublishedTrack[" + info.id() + ", " + layers.length + " layer(s)]";
    }
}
