package org.videoroom.media;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.videoroom.buffer.BufferPool;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtpPacketCache;
import org.videoroom.rtp.RtxPacketizer;
import org.videoroom.rtp.StreamRewriter;
import org.videoroom.rtp.Vp8PayloadDescriptor;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * One subscriber's reception of one published track, on the MID the subscriber negotiated for it: the consumer.
 * Its send pipeline reads top to bottom in {@link #send}:
 * <ol>
 *   <li><b>layer selector</b>: of a simulcast track only the current layer, and the target layer while a switch
 *       waits for its keyframe, get past {@link #offer} (the rest is never copied);</li>
 *   <li><b>stream rewriter</b>: one server-chosen SSRC with continuous sequence numbers, timestamps and VP8
 *       picture ids across layer switches ({@link StreamRewriter});</li>
 *   <li><b>payload type and header extension rewrite</b> to the subscriber's negotiation (MID and anything the
 *       subscriber did not negotiate is stripped);</li>
 *   <li><b>packet history</b> of the rewritten stream, for the subscriber's NACKs;</li>
 *   <li>the subscriber's transport ({@link SubscriberSink}): transport-wide sequence number, SRTP, send.</li>
 * </ol>
 *
 * <p>Thread-safety: {@link #offer} runs on the publisher's receive thread and only copies the packet into a pooled
 * buffer for the subscriber's {@link SendQueue}; everything after it ({@link #send}, {@link #retransmit},
 * {@link #relaySenderReport}, layer changes) runs on that queue's drain, one at a time, so the rewriter, the
 * history and the RTX packetizer need no lock. The target layer is a volatile field any thread may set.
 */
final class Subscription implements SendQueue.Sender {

    /** Payload types are 7 bits. */
    private static final int PAYLOAD_TYPES = 128;
    /** How long rewritten packets stay retransmittable for this subscriber. */
    static final long HISTORY_MAX_AGE_NANOS = 2_000_000_000L;
    static final int HISTORY_CAPACITY_PACKETS = 1024;
    /** Distinct sequence numbers one NACK packet gets answered for at most. */
    static final int MAX_NACKED_PER_FEEDBACK = 128;
    /**
     * The retransmission budget: each byte forwarded earns one byte of retransmission, so NACKs can at most
     * double what a subscriber receives (real loss asks for a few percent), however many it sends; the credit
     * starts at {@link #RETRANSMIT_CREDIT_START_BYTES} for the first seconds' losses and holds at most
     * {@link #RETRANSMIT_CREDIT_MAX_BYTES}, about two seconds of a 1 Mbit/s stream.
     */
    static final long RETRANSMIT_CREDIT_START_BYTES = 64 * 1024;
    static final long RETRANSMIT_CREDIT_MAX_BYTES = 256 * 1024;

    private final SubscriberSink subscriber;
    private final SendQueue queue;
    private final PublishedTrack track;
    private final String mid;
    private final long ssrc;
    private final int[] payloadTypeMap;
    /** Publisher payload types that carry VP8 (their packets get the VP8 descriptor rewritten). */
    private final boolean[] vp8PayloadTypes;
    private final HeaderExtensionIdMap extensionIdMap;
    /** RFC 4588 retransmission for subscribers that negotiated RTX; null: resend the original packet. */
    private final RtxPacketizer rtx;
    private final double lossPercent;
    private final BufferPool pool;
    private final ForwardingCounters counters;
    private final LongSupplier nanoClock;

    // Drain only.
    private final StreamRewriter rewriter;
    private final RtpPacketCache history;
    /** False where the subscriber negotiated no NACK: nobody will ask, so no copy of each packet is kept. */
    private final boolean keepHistory;
    private final RtpPacket view = new RtpPacket();
    private final RtpPacket retransmitView = new RtpPacket();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private int rewriterTarget = -1;
    private long forwardedOctets;
    private long retransmitCredit = RETRANSMIT_CREDIT_START_BYTES;
    /** The newest sequence number sent on the rewritten stream, or -1. */
    private int lastSequenceNumber = -1;
    private int probeCursor;
    /** Drain: the sequence numbers seen in the NACK being handled (cleared after each). */
    private final java.util.BitSet nacked = new java.util.BitSet(1 << 16);

    // Read by the publisher's receive thread (pre-filter) and stats; written by the drain or the allocator.
    private volatile int currentLayer = -1;
    private volatile int pendingLayer = -1;
    private volatile int targetLayer;
    private volatile boolean paused;
    /** Set on resume after a pause: the drain restarts the rewritten stream at the next keyframe. */
    private volatile boolean resyncNeeded;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder layerSwitches = new LongAdder();
    private final LongAdder probes = new LongAdder();
    /** Probes cycle over the last eight packets sent. */
    private static final int PROBE_SPREAD_MASK = 7;

    /**
     * @param ssrc           the SSRC the subscriber's answer announced for this track (server-chosen)
     * @param payloadTypeMap for each publisher payload type, the subscriber's, or -1 to drop packets of that type
     * @param rtx            builds RTX packets (subscriber payload types, RTX SSRC) when the subscriber negotiated
     *                       RTX. Null: retransmit the original packet.
     * @param keepHistory    keep what was sent for NACKs and probes (false when the subscriber negotiated no NACK)
     */
    Subscription(SubscriberSink subscriber, SendQueue queue, PublishedTrack track, String mid, long ssrc,
                 int[] payloadTypeMap, boolean[] vp8PayloadTypes, HeaderExtensionIdMap extensionIdMap,
                 RtxPacketizer rtx, boolean keepHistory, double lossPercent, BufferPool pool,
                 ForwardingCounters counters,
                 LongSupplier nanoClock) {
        if (payloadTypeMap.length != PAYLOAD_TYPES || vp8PayloadTypes.length != PAYLOAD_TYPES) {
            throw new IllegalArgumentException("a payload type map has 128 entries");
        }
        this.subscriber = subscriber;
        this.queue = queue;
        this.track = track;
        this.mid = mid;
        this.ssrc = ssrc;
        this.payloadTypeMap = payloadTypeMap.clone();
        this.vp8PayloadTypes = vp8PayloadTypes.clone();
        this.extensionIdMap = extensionIdMap;
        this.rtx = rtx;
        this.lossPercent = lossPercent;
        this.pool = pool;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.rewriter = new StreamRewriter(ssrc, track.clockRate());
        this.history = new RtpPacketCache(pool, HISTORY_CAPACITY_PACKETS, HISTORY_MAX_AGE_NANOS, nanoClock);
        this.keepHistory = keepHistory;
        // Until an allocator says otherwise, the best layer.
        this.targetLayer = track.layers().length - 1;
        this.pendingLayer = targetLayer;
    }

    SubscriberSink subscriber() {
        return subscriber;
    }

    PublishedTrack track() {
        return track;
    }

    String mid() {
        return mid;
    }

    /** The SSRC the subscriber receives this track with. */
    long ssrc() {
        return ssrc;
    }

    /** The RTX SSRC retransmissions go out with, or -1 when the subscriber did not negotiate RTX. */
    long rtxSsrc() {
        return rtx == null ? -1 : rtx.rtxSsrc();
    }

    long forwarded() {
        return forwarded.sum();
    }

    long retransmitted() {
        return retransmitted.sum();
    }

    int currentLayer() {
        return currentLayer;
    }

    int targetLayer() {
        return paused ? -1 : targetLayer;
    }

    long layerSwitches() {
        return layerSwitches.sum();
    }

    /** Packets held for retransmission (tests check buffer accounting with it). */
    int historySize() {
        return history.stats().size();
    }

    /**
     * Selects the layer to forward (-1: none, the subscriber's link or view has no room for it). Any thread; the
     * switch itself happens on the drain, at the next keyframe of that layer.
     */
    void selectLayer(int layer) {
        if (layer < 0) {
            paused = true;
            pendingLayer = -1;
            return;
        }
        int clamped = Math.min(layer, track.layers().length - 1);
        boolean wasPaused = paused;
        if (wasPaused) {
            resyncNeeded = true;
        }
        paused = false;
        if (clamped != targetLayer || wasPaused) {
            targetLayer = clamped;
            pendingLayer = clamped == currentLayer && !wasPaused ? -1 : clamped;
            track.layer(clamped).requestKeyframe();
        }
    }

    // ---- publisher's receive thread ----------------------------------------------------------------------------

    /** Hands a copy of a publisher's packet to the subscriber's send queue, if its layer is wanted. */
    void offer(PublishedTrack.Layer layer, RtpPacket original) {
        if (paused || layer.index != currentLayer && layer.index != pendingLayer) {
            return;
        }
        int length = original.length();
        byte[] buf = pool.take(length + SrtpSession.MAX_TAIL_ROOM);
        original.copyTo(buf, 0);
        queue.offer(this, buf, length);
    }

    // ---- the subscriber's drain --------------------------------------------------------------------------------

    /** Drain: the send pipeline for one packet offered above. */
    @Override
    public void send(byte[] buf, int len) {
        if (view.wrap(buf, 0, len) != RtpPacket.ParseResult.OK) {
            counters.notForwardable.increment();
            return;
        }
        PublishedTrack.Layer layer = track.layerBySsrc(view.ssrc());
        if (layer == null || paused) {
            return;
        }
        if (resyncNeeded) {
            resyncNeeded = false;
            rewriter.resync();
            rewriterTarget = -1;
        }
        followTarget();
        int payloadType = view.payloadType();
        Vp8PayloadDescriptor descriptor = null;
        if (vp8PayloadTypes[payloadType]) {
            descriptor = vp8;
            descriptor.wrap(buf, view.payloadOffset(), view.payloadLength());
        }
        if (payloadTypeMap[payloadType] < 0) {
            // A format the subscriber cannot decode: taken out of its numbering, so it never NACKs the hole.
            rewriter.skip(view, descriptor);
            counters.notForwardable.increment();
            return;
        }
        if (!rewriter.rewrite(view, descriptor, nanoClock.getAsLong())) {
            if (rewriter.switchPending()) {
                PublishedTrack.Layer target = track.layerBySsrc(rewriter.targetSource());
                if (target != null) {
                    target.requestKeyframe();
                }
            }
            return;
        }
        if (currentLayer != layer.index) {
            currentLayer = layer.index;
            if (pendingLayer == layer.index) {
                pendingLayer = -1;
            }
            layerSwitches.increment();
        }
        if (!rewriteForSubscriber(view)) {
            counters.notForwardable.increment();
            return;
        }
        if (keepHistory) {
            history.put(view);
        }
        lastSequenceNumber = view.sequenceNumber();
        if (lossPercent > 0 && ThreadLocalRandom.current().nextDouble(100) < lossPercent) {
            // Test-only: lost on the way to the subscriber, after the history kept it (NACK → retransmission).
            counters.rtpLossInjected.increment();
            return;
        }
        subscriber.sendRtp(buf, len);
        retransmitCredit = Math.min(RETRANSMIT_CREDIT_MAX_BYTES, retransmitCredit + len);
        forwardedOctets += view.payloadLength();
        forwarded.increment();
        counters.rtpForwarded.increment();
        counters.rtpForwardedBytes.add(len);
    }

    /** Points the rewriter at the target layer once that layer's SSRC is known. */
    private void followTarget() {
        int target = targetLayer;
        if (target == rewriterTarget) {
            return;
        }
        long targetSsrc = track.layer(target).ssrc();
        if (targetSsrc < 0) {
            return; // a simulcast layer not seen yet: keep forwarding the current one
        }
        rewriter.switchTo(targetSsrc);
        rewriterTarget = target;
    }

    /**
     * Drain: resends packets of the rewritten stream after the subscriber's NACK, within its retransmission
     * budget; those the history never had (lost on the publisher's leg) are asked for upstream, by the layer and
     * sequence number they came with.
     */
    void retransmit(int[] sequenceNumbers) {
        List<Integer> missed = null;
        long missedSource = -1;
        int handled = 0;
        for (int sequenceNumber : sequenceNumbers) {
            // A NACK may list a number many times, or thousands of them (one 1.4 KB packet can): each distinct
            // number is answered once, and at most MAX_NACKED_PER_FEEDBACK of them.
            if (nacked.get(sequenceNumber)) {
                counters.nackEntriesIgnored.increment();
                continue;
            }
            if (handled == MAX_NACKED_PER_FEEDBACK) {
                counters.nackEntriesIgnored.increment();
                continue;
            }
            nacked.set(sequenceNumber);
            handled++;
            if (retransmitOne(sequenceNumber)) {
                continue;
            }
            long source = rewriter.sourceSsrc(sequenceNumber);
            int sourceSequenceNumber = rewriter.sourceSequenceNumber(sequenceNumber);
            if (source < 0 || sourceSequenceNumber < 0) {
                continue;
            }
            if (missed != null && source != missedSource) {
                upstream(missedSource, missed);
                missed = null;
            }
            if (missed == null) {
                missed = new ArrayList<>();
                missedSource = source;
            }
            missed.add(sourceSequenceNumber);
        }
        if (missed != null) {
            upstream(missedSource, missed);
        }
        for (int sequenceNumber : sequenceNumbers) {
            nacked.clear(sequenceNumber);
        }
    }

    private void upstream(long sourceSsrc, List<Integer> sequenceNumbers) {
        PublishedTrack.Layer layer = track.layerBySsrc(sourceSsrc);
        if (layer != null) {
            counters.nacksSuppressed.add(layer.requestRetransmission(sequenceNumbers));
        }
    }

    /** False when the history does not have it; a packet beyond the budget counts as had (and denied). */
    private boolean retransmitOne(int sequenceNumber) {
        byte[] buf = pool.take(BufferPool.MAX_PACKET_BYTES + RtxPacketizer.OSN_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            int length = history.get(sequenceNumber, buf, 0);
            if (length < 0) {
                counters.retransmitMisses.increment();
                return false;
            }
            if (retransmitView.wrap(buf, 0, length) != RtpPacket.ParseResult.OK) {
                counters.notForwardable.increment();
                return false;
            }
            if (retransmitCredit < length) {
                counters.retransmissionsDenied.increment();
                return true;
            }
            retransmitCredit -= length;
            if (rtx == null) {
                subscriber.sendRtp(buf, length);
            } else if (sendAsRtx(retransmitView) < 0) {
                counters.notForwardable.increment();
                return false;
            }
            retransmitted.increment();
            counters.retransmissions.increment();
            return true;
        } finally {
            pool.release(buf);
        }
    }

    /**
     * RFC 4588 §4: the original's header with the RTX SSRC, PT and sequence number, then the OSN, then the
     * payload. Returns the bytes sent, or -1 when the packet cannot be carried as RTX.
     */
    private int sendAsRtx(RtpPacket rewritten) {
        byte[] buf = pool.take(rewritten.length() + RtxPacketizer.OSN_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            int length = rtx.packetize(rewritten, buf, 0);
            if (length >= 0) {
                subscriber.sendRtp(buf, length);
            }
            return length;
        } finally {
            pool.release(buf);
        }
    }

    /**
     * Drain: the publisher's sender report for one layer, relayed when that layer is the one forwarded, on the
     * rewritten stream's SSRC and timeline (so lip sync keeps working across layer switches), with this
     * subscriber's own packet and octet counts.
     */
    void relaySenderReport(SenderReport sr) {
        long timestamp = rewriter.outTimestamp(sr.senderSsrc(), sr.rtpTimestamp());
        if (timestamp < 0) {
            return;
        }
        long packets = forwarded.sum() & 0xFFFF_FFFFL;
        subscriber.sendRtcp(List.of(new SenderReport(ssrc, sr.ntpTimestamp(), timestamp, packets,
                forwardedOctets & 0xFFFF_FFFFL, List.of())));
        counters.senderReportsForwarded.increment();
    }

    /**
     * Drain: one probe packet for the subscriber's bandwidth estimate: a recent packet resent as RTX, which the
     * subscriber discards as a duplicate but which counts in its transport-wide feedback like any other (what
     * libwebrtc does with RTX "payload padding"). Returns the bytes sent, 0 when this subscription cannot probe
     * (no RTX negotiated, nothing sent yet).
     */
    int probe() {
        if (rtx == null || lastSequenceNumber < 0 || paused) {
            return 0;
        }
        int sequenceNumber = (lastSequenceNumber - (probeCursor++ & PROBE_SPREAD_MASK)) & 0xFFFF;
        byte[] buf = pool.take(BufferPool.MAX_PACKET_BYTES + RtxPacketizer.OSN_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            int length = history.get(sequenceNumber, buf, 0);
            if (length < 0 || retransmitView.wrap(buf, 0, length) != RtpPacket.ParseResult.OK) {
                return 0;
            }
            int sent = sendAsRtx(retransmitView);
            if (sent < 0) {
                return 0;
            }
            probes.increment();
            return sent;
        } finally {
            pool.release(buf);
        }
    }

    long probes() {
        return probes.sum();
    }

    /** Any thread: relays a sender report of the forwarded layer on the subscriber's drain. */
    void relay(SenderReport sr) {
        queue.execute(() -> relaySenderReport(sr));
    }

    /** The subscription ended (any thread): its history goes back to the pool. */
    void close() {
        history.close();
    }

    private boolean rewriteForSubscriber(RtpPacket packet) {
        int payloadType = payloadTypeMap[packet.payloadType()];
        if (payloadType < 0) {
            return false;
        }
        packet.setPayloadType(payloadType);
        return packet.rewriteExtensionIds(extensionIdMap);
    }

    @Override
    public String toString() {
        return "Subscription[" + track.info().id() + " -> " + subscriber.id() + " mid " + mid + "]";
    }
}
