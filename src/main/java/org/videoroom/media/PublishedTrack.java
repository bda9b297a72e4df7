package org.videoroom.media;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.videoroom.buffer.BufferPool;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtpPacketCache;
import org.videoroom.room.MediaKind;
import org.videoroom.room.TrackInfo;
import org.videoroom.sdp.NegotiatedMedia;

/**
 * A track one participant sends to the room, identified on the wire by its SSRC: the fan-out point. Each packet
 * arrives decrypted once, is counted for the publisher's receiver reports, kept in a packet cache (for NACKs from
 * any subscriber) and handed to every subscription, which copies, rewrites and encrypts it for its subscriber.
 *
 * <p>Thread-safety: {@link #onRtp} runs on the publisher's receive thread only (it owns {@link #scratch});
 * subscriptions are added and removed from signaling threads through a copy-on-write array, so the packet path
 * iterates without locks or allocation.
 */
final class PublishedTrack implements AutoCloseable {

    private static final Subscription[] NONE = new Subscription[0];
    /**
     * How long packets stay retransmittable. A loaded subscriber NACKs late (its RTT estimate grows), and a late
     * retransmission can still complete a frame that would otherwise wait for the next keyframe.
     */
    static final long CACHE_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final TrackInfo info;
    private final String mid;
    private final long ssrc;
    private final PeerSession publisher;
    private final NegotiatedMedia publisherMedia;
    private final ReceiveStatistics statistics;
    private final RtpPacketCache cache;
    private final KeyframeRequester keyframes;
    private final LongSupplier nanoClock;
    private final RtpPacket scratch = new RtpPacket();
    private volatile Subscription[] subscriptions = NONE;
    private volatile boolean closed;

    PublishedTrack(TrackInfo info, String mid, long ssrc, int clockRate, PeerSession publisher,
                   NegotiatedMedia publisherMedia, BufferPool pool, MediaConfig config, LongSupplier nanoClock) {
        this.info = info;
        this.mid = mid;
        this.ssrc = ssrc;
        this.publisher = publisher;
        this.publisherMedia = publisherMedia;
        this.nanoClock = nanoClock;
        this.statistics = new ReceiveStatistics(ssrc, clockRate);
        this.cache = new RtpPacketCache(pool, RtpPacketCache.DEFAULT_CAPACITY_PACKETS, CACHE_MAX_AGE_NANOS,
                nanoClock);
        this.keyframes = new KeyframeRequester(config.keyframeRequestInterval().toNanos(), nanoClock);
    }

    TrackInfo info() {
        return info;
    }

    String mid() {
        return mid;
    }

    long ssrc() {
        return ssrc;
    }

    MediaKind kind() {
        return info.kind();
    }

    PeerSession publisher() {
        return publisher;
    }

    /** The publisher's negotiation of this track's m-line: payload types and header extension ids. */
    NegotiatedMedia publisherMedia() {
        return publisherMedia;
    }

    RtpPacketCache cache() {
        return cache;
    }

    Subscription[] subscriptions() {
        return subscriptions;
    }

    /** Publisher's receive thread: one decrypted packet of this track. */
    void onRtp(RtpPacket packet) {
        if (closed) {
            return;
        }
        statistics.onPacket(packet.sequenceNumber(), packet.timestamp(), nanoClock.getAsLong());
        cache.put(packet);
        for (Subscription subscription : subscriptions) {
            subscription.forward(packet, scratch);
        }
    }

    void onSenderReport(long ntpTimestamp) {
        statistics.onSenderReport(ntpTimestamp, nanoClock.getAsLong());
    }

    ReportBlock reportBlock() {
        return statistics.reportBlock(nanoClock.getAsLong());
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

    /**
     * Asks the publisher for a keyframe, unless one was asked for very recently. A publisher not connected yet is
     * not asked (and the rate limit not spent): its first frame is a keyframe anyway.
     */
    void requestKeyframe() {
        if (info.kind() == MediaKind.VIDEO && !closed && publisher.isConnected() && keyframes.shouldSend()) {
            publisher.sendKeyframeRequest(ssrc);
        }
    }

    /** Asks the publisher to resend packets a subscriber lost and the cache does not hold. */
    void requestRetransmission(List<Integer> sequenceNumbers) {
        if (!closed && publisher.isConnected()) {
            publisher.sendNack(ssrc, sequenceNumbers);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscriptions = NONE;
        cache.close();
    }

    @Override
    public String toString() {
        return "PublishedTrack[" + info.id() + " ssrc " + ssrc + "]";
    }
}
