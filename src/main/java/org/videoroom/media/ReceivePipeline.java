package org.videoroom.media;

import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtxPacketizer;

/**
 * One publisher transport's RTP receive path, after SRTP (the transport decrypts): {@link #onRtp} reads top to
 * bottom as its stages. Each stage counts what it drops, so a packet that did not reach a track can be told
 * apart from one that never came.
 * <ol>
 *   <li><b>parse</b>: RFC 3550 header and RFC 8285 extensions, a view over the transport's buffer (no copy);</li>
 *   <li><b>arrival observers</b>: per-packet stages that need every packet with its arrival time, before anything
 *       is dropped: the transport-wide sequence number recorder ({@link TransportCcRecorder}), and whatever
 *       estimates the uplink next to it;</li>
 *   <li><b>demux</b> by SSRC, or MID/RID for a simulcast layer seen for the first time ({@link RtpDemuxer});</li>
 *   <li><b>RTX repair</b>: a retransmission becomes its original packet again (RFC 4588 §4) and goes on only
 *       when the server asked for it ({@link RepairRequests}); padding-only probes and unsolicited copies,
 *       which have served congestion control above, end here;</li>
 *   <li>the <b>published track</b> ({@link PublishedTrack#onRtp}): receive statistics for the publisher's
 *       receiver reports, layer bitrate and frame height, then the router's fan-out to the subscriptions.</li>
 * </ol>
 *
 * <p>Thread-safety: the transport's receive thread only (one per transport); nothing here allocates or locks.
 * The counters are single-writer ({@link StageCounter}) and may be read from any thread
 * ({@link ReceiveStats}).
 */
final class ReceivePipeline {

    /** A stage that sees every parsed packet with its arrival time, on the receive thread, before the demux. */
    interface ArrivalObserver {
        /** Must not keep {@code packet}: the view and its buffer are reused for the next packet. */
        void onArrival(RtpPacket packet, long arrivalNanos);
    }

    private final RtpDemuxer demuxer;
    private final ArrivalObserver[] observers;
    private final ForwardingCounters counters;
    private final RtpPacket view = new RtpPacket();

    private final StageCounter received = new StageCounter();
    private final StageCounter malformed = new StageCounter();
    private final StageCounter unknownSsrc = new StageCounter();
    private final StageCounter rtxRepaired = new StageCounter();
    private final StageCounter rtxUnrepairable = new StageCounter();
    private final StageCounter rtxUnsolicited = new StageCounter();
    private final StageCounter delivered = new StageCounter();

    ReceivePipeline(RtpDemuxer demuxer, ForwardingCounters counters, ArrivalObserver... observers) {
        this.demuxer = demuxer;
        this.counters = counters;
        this.observers = observers.clone();
    }

    /** Receive thread: one decrypted RTP packet that reached the socket at {@code arrivalNanos}. */
    void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
        RtpPacket packet = view;
        if (packet.wrap(buf, off, len) != RtpPacket.ParseResult.OK) {
            malformed.increment();
            counters.unroutableDropped.increment();
            return;
        }
        received.increment();
        for (ArrivalObserver observer : observers) {
            observer.onArrival(packet, arrivalNanos);
        }
        RtpDemuxer.Route route = demuxer.route(packet);
        if (route == null) {
            unknownSsrc.increment();
            counters.unroutableDropped.increment();
            return;
        }
        PublishedTrack.Layer layer = route.layer();
        if (route.rtx()) {
            if (!repair(packet, layer)) {
                rtxUnrepairable.increment();
                return;
            }
            if (!layer.solicited(packet.sequenceNumber(), arrivalNanos)) {
                rtxUnsolicited.increment();
                counters.rtxUnsolicited.increment();
                return;
            }
            rtxRepaired.increment();
            counters.rtxRepaired.increment();
        } else {
            counters.rtpReceived.increment();
            counters.rtpReceivedBytes.add(packet.length());
        }
        delivered.increment();
        layer.track().onRtp(layer, packet);
    }

    /** The original packet back from its RTX packet, in place; false for what cannot be repaired. */
    private boolean repair(RtpPacket packet, PublishedTrack.Layer layer) {
        int originalPayloadType = layer.track().originalPayloadType(packet.payloadType());
        long ssrc = layer.ssrc();
        if (originalPayloadType < 0 || ssrc < 0 || packet.payloadLength() <= RtxPacketizer.OSN_BYTES
                || !RtxPacketizer.depacketizeInPlace(packet, ssrc, originalPayloadType)) {
            return false;
        }
        return true;
    }

    ReceiveStats stats() {
        return new ReceiveStats(received.get(), malformed.get(), unknownSsrc.get(), demuxer.latched(),
                demuxer.latchRefused(), rtxRepaired.get(), rtxUnrepairable.get(), rtxUnsolicited.get(),
                delivered.get());
    }
}
