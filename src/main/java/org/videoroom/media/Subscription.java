package org.videoroom.media;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.videoroom.buffer.BufferPool;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtxPacketizer;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * One subscriber's reception of one published track, on the MID the subscriber negotiated for it. It rewrites
 * what differs between the two negotiations (payload type, header extension ids; MID and anything the subscriber
 * did not negotiate is stripped, since the subscriber demultiplexes by the SSRC its answer announced) and sends
 * each packet to the {@link SubscriberSink} (the subscriber's transport, which encrypts it once for that
 * subscriber).
 *
 * <p>Thread-safety: {@link #forward} runs on the publisher's receive thread, {@link #retransmit} on the
 * subscriber's; the only shared state is immutable or counters.
 */
final class Subscription {

    /** Payload types are 7 bits. */
    private static final int PAYLOAD_TYPES = 128;

    private final SubscriberSink subscriber;
    private final PublishedTrack track;
    private final String mid;
    private final int[] payloadTypeMap;
    private final HeaderExtensionIdMap extensionIdMap;
    /** RFC 4588 retransmission for subscribers that negotiated RTX; null: resend the original packet. */
    private final RtxPacketizer rtx;
    private final double lossPercent;
    private final BufferPool pool;
    private final ForwardingCounters counters;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();

    /**
     * @param payloadTypeMap for each publisher payload type, the subscriber's, or -1 to drop packets of that type
     * @param rtx            builds RTX packets (subscriber payload types, RTX SSRC) when the subscriber negotiated
     *                       RTX; only {@link #retransmit}'s thread uses it. Null: retransmit the original packet.
     */
    Subscription(SubscriberSink subscriber, PublishedTrack track, String mid, int[] payloadTypeMap,
                 HeaderExtensionIdMap extensionIdMap, RtxPacketizer rtx, double lossPercent, BufferPool pool,
                 ForwardingCounters counters) {
        if (payloadTypeMap.length != PAYLOAD_TYPES) {
            throw new IllegalArgumentException("a payload type map has 128 entries");
        }
        this.subscriber = subscriber;
        this.track = track;
        this.mid = mid;
        this.payloadTypeMap = payloadTypeMap.clone();
        this.extensionIdMap = extensionIdMap;
        this.rtx = rtx;
        this.lossPercent = lossPercent;
        this.pool = pool;
        this.counters = counters;
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

    long ssrc() {
        return track.ssrc();
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

    /** Sends a copy of a publisher's packet; {@code scratch} is the caller's reusable view. */
    void forward(RtpPacket original, RtpPacket scratch) {
        if (lossPercent > 0 && ThreadLocalRandom.current().nextDouble(100) < lossPercent) {
            counters.rtpLossInjected.increment();
            return;
        }
        if (send(original, scratch)) {
            forwarded.increment();
            counters.rtpForwarded.increment();
        } else {
            counters.notForwardable.increment();
        }
    }

    /** Resends a packet from the track's cache after the subscriber's NACK; false when it could not. */
    boolean retransmit(int sequenceNumber, RtpPacket scratch) {
        byte[] buf = pool.take(BufferPool.MAX_PACKET_BYTES + SrtpSession.MAX_TAIL_ROOM);
        int length = track.cache().get(sequenceNumber, buf, 0);
        if (length < 0) {
            pool.release(buf);
            counters.retransmitMisses.increment();
            return false;
        }
        if (scratch.wrap(buf, 0, length) != RtpPacket.ParseResult.OK || !rewrite(scratch)) {
            pool.release(buf);
            counters.notForwardable.increment();
            return false;
        }
        if (rtx != null) {
            boolean sent = retransmitAsRtx(scratch);
            pool.release(buf);
            return sent;
        }
        subscriber.sendRtp(buf, length);
        retransmitted.increment();
        counters.retransmissions.increment();
        return true;
    }

    /** RFC 4588 §4: the original's header with the RTX SSRC, PT and sequence number, then the OSN, then the payload. */
    private boolean retransmitAsRtx(RtpPacket rewritten) {
        byte[] buf = pool.take(rewritten.length() + RtxPacketizer.OSN_BYTES + SrtpSession.MAX_TAIL_ROOM);
        int length = rtx.packetize(rewritten, buf, 0);
        if (length < 0) {
            pool.release(buf);
            counters.notForwardable.increment();
            return false;
        }
        subscriber.sendRtp(buf, length);
        retransmitted.increment();
        counters.retransmissions.increment();
        return true;
    }

    private boolean send(RtpPacket original, RtpPacket scratch) {
        int length = original.length();
        byte[] buf = pool.take(length + SrtpSession.MAX_TAIL_ROOM);
        original.copyTo(buf, 0);
        if (scratch.wrap(buf, 0, length) != RtpPacket.ParseResult.OK || !rewrite(scratch)) {
            pool.release(buf);
            return false;
        }
        subscriber.sendRtp(buf, length);
        return true;
    }

    private boolean rewrite(RtpPacket packet) {
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
