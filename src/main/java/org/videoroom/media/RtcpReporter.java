package org.videoroom.media;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.buffer.BufferPool;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtcp.RtcpCompound;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * The RTCP we send one participant about what it publishes: receiver reports, transport-wide feedback,
 * NACKs and keyframe requests. Each compound leads with a receiver report (an empty one when there is nothing
 * to report), which keeps it valid with or without reduced-size RTCP (RFC 5506 §3).
 *
 * <p>Thread-safety: {@link #transportCcFeedback} on the receive thread only (it drains the receive thread's
 * {@link TransportCcFeedback}); everything else from any thread.
 */
final class RtcpReporter {

    /** RFC 3550 §6.4.2: at most 31 report blocks fit one receiver report. */
    static final int MAX_REPORT_BLOCKS = 31;

    /** Encrypts and sends one compound RTCP packet (the transport). */
    interface Wire {
        void sendRtcp(byte[] buf, int off, int len);
    }

    private final long localSsrc;
    private final TransportCcFeedback transportCc;
    private final BufferPool pool;
    private final ForwardingCounters counters;
    private final Wire wire;
    /** Leads every transport-wide feedback compound; immutable, marshalled without allocating. */
    private final ReceiverReport emptyReport;

    RtcpReporter(long localSsrc, TransportCcFeedback transportCc, BufferPool pool, ForwardingCounters counters,
                 Wire wire) {
        this.localSsrc = localSsrc;
        this.transportCc = transportCc;
        this.pool = pool;
        this.counters = counters;
        this.wire = wire;
        this.emptyReport = new ReceiverReport(localSsrc, List.of());
    }

    /** Marshals and sends one compound packet made of {@code packets}. */
    void send(List<? extends RtcpPacket> packets) {
        int size = RtcpCompound.marshalSize(packets);
        byte[] buf = pool.take(size + SrtpSession.MAX_TAIL_ROOM);
        try {
            int length = RtcpCompound.marshalTo(packets, buf, 0);
            wire.sendRtcp(buf, 0, length);
        } finally {
            pool.release(buf);
        }
    }

    /** A NACK for packets of one of the participant's streams that never reached us. */
    void nack(long mediaSsrc, List<Integer> lost) {
        send(List.of(emptyReport, TransportLayerNack.of(localSsrc, mediaSsrc, lost)));
        counters.nacksSent.increment();
    }

    /** A PLI for one of the participant's streams (rate limiting is the layer's business). */
    void keyframeRequest(long mediaSsrc) {
        send(List.of(emptyReport, new PictureLossIndication(localSsrc, mediaSsrc)));
        counters.keyframeRequests.increment();
    }

    /**
     * Receiver reports for the layers of its tracks that sent anything, at most one compound's worth; each block's
     * loss and jitter also go to {@code uplink}.
     */
    void receiverReports(PublishedTrack[] tracks, long nowNanos, UplinkQuality uplink) {
        List<ReportBlock> blocks = new ArrayList<>();
        for (PublishedTrack track : tracks) {
            for (PublishedTrack.Layer layer : track.layers()) {
                ReportBlock block = layer.reportBlock(nowNanos);
                if (block != null && blocks.size() < MAX_REPORT_BLOCKS) {
                    blocks.add(block);
                    uplink.add(block.fractionLost(), block.interarrivalJitter() * 1000.0 / track.clockRate());
                }
            }
        }
        if (!blocks.isEmpty()) {
            send(List.of(new ReceiverReport(localSsrc, blocks)));
            counters.receiverReportsSent.increment();
        }
    }

    /** Receive thread: the due transport-wide feedback, as many packets as it takes; allocates nothing. */
    void transportCcFeedback(PublishedTrack[] tracks, long nowNanos) {
        long mediaSsrc = tracks.length > 0 ? Math.max(0, tracks[0].layer(0).ssrc()) : 0;
        int reportBytes = emptyReport.marshalSize();
        byte[] buf = pool.take(reportBytes + TransportCcFeedback.MAX_FEEDBACK_BYTES + SrtpSession.MAX_TAIL_ROOM);
        try {
            do {
                int length = transportCc.writeFeedback(mediaSsrc, nowNanos, buf, reportBytes);
                if (length == 0) {
                    return;
                }
                emptyReport.marshalTo(buf, 0);
                wire.sendRtcp(buf, 0, reportBytes + length);
                counters.transportCcFeedbackSent.increment();
            } while (transportCc.hasMore());
        } finally {
            pool.release(buf);
        }
    }
}
