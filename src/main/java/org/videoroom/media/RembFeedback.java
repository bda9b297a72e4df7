package org.videoroom.media;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.BweConfig;
import org.videoroom.bwe.ReceiveSideBandwidthEstimator;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.HeaderExtensionUris;
import org.videoroom.sdp.MediaRole;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * REMB (draft-alvestrand-rmcat-remb-03) for one publisher transport that negotiated {@code goog-remb} and
 * abs-send-time but not transport-wide congestion control. Such a publisher gets no {@link TransportCcFeedback},
 * so its send-side estimator has nothing to raise its rate with; a browser then takes the REMB value as its
 * target (in its first seconds) and as the ceiling of its loss-based estimate. Without it, it stays at the floor.
 *
 * <p>The estimate is {@link ReceiveSideBandwidthEstimator}'s, fed every RTP packet of the transport. A REMB goes
 * out as a compound led by an empty receiver report, listing the media SSRCs of the publisher's tracks: on the
 * first packet (the browser trusts a REMB most in its first two seconds), then every {@link #INTERVAL_NANOS},
 * and as soon as {@link #MIN_DROP_INTERVAL_NANOS} allows when the estimate fell below {@link #DROP_RATIO} of the
 * value last sent (the sender should back off before the queue grows further). The cadence is driven by the
 * packets themselves, as for transport-wide feedback: no packets, nothing new to say.
 *
 * <p>A transport that negotiated transport-cc gets no REMB: its publisher estimates on its own from our
 * transport-wide feedback, and a REMB would only cap it.
 *
 * <p>Thread-safety: {@link #configure} runs on the negotiating thread (under the session's lock), {@link #onRtp}
 * on the transport's receive thread; they share only volatile fields. {@link #stats()} may be called from any
 * thread. The packet path allocates nothing but one stats snapshot per REMB sent.
 */
public final class RembFeedback implements ReceivePipeline.ArrivalObserver {

    /** The steady cadence. */
    static final long INTERVAL_NANOS = 1_000_000_000L;
    /** An estimate below this share of the value last sent is sent at once. */
    static final double DROP_RATIO = 0.97;
    /** A falling estimate is still sent at most this often (each decrease of the controller is one REMB). */
    static final long MIN_DROP_INTERVAL_NANOS = 50_000_000L;
    /** A REMB lists at most 255 SSRCs. */
    static final int MAX_SSRCS = 255;

    /** Where the compound goes: the publisher's transport. */
    @FunctionalInterface
    interface RtcpOutput {
        void sendRtcp(byte[] buf, int off, int len);
    }

    private final long senderSsrc;
    private final BufferPool pool;
    private final RtcpOutput output;
    private final Supplier<PublishedTrack[]> tracks;
    private final ReceiverReport emptyReport;
    private final long[] ssrcs = new long[MAX_SSRCS];

    /** Written before {@link #absSendTimeExtensionId}, which publishes it to the receive thread. */
    private volatile ReceiveSideBandwidthEstimator estimator;
    /** The abs-send-time id of what the publisher sends, or -1 while this transport gets no REMB. */
    private volatile int absSendTimeExtensionId = -1;

    // Receive thread only.
    private boolean sentAny;
    private long lastSentNanos;
    private long lastSentBps;

    // Written by the receive thread, read by stats().
    private volatile long rembsSent;
    private volatile long lastRembBps = -1;
    private volatile ReceiveSideBandwidthEstimator.Stats lastStats;

    /**
     * @param senderSsrc our SSRC on this transport
     * @param tracks     the publisher's tracks now (read when a REMB is written, for their SSRCs)
     */
    RembFeedback(long senderSsrc, BufferPool pool, RtcpOutput output,
                 Supplier<PublishedTrack[]> tracks) {
        this.senderSsrc = senderSsrc;
        this.pool = pool;
        this.output = output;
        this.tracks = tracks;
        this.emptyReport = new ReceiverReport(senderSsrc, List.of());
    }

    /**
     * Takes what an offer negotiated for what the publisher sends: REMB when no published m-line has the
     * transport-wide extension, one offers goog-remb, and abs-send-time has an id. A renegotiation keeps the
     * estimate.
     */
    void configure(NegotiatedSession session) {
        List<NegotiatedMedia> published = session.media(MediaRole.RECEIVE);
        boolean transportCc = published.stream()
                .anyMatch(m -> m.headerExtensionId(HeaderExtensionUris.TRANSPORT_WIDE_CC).isPresent());
        boolean remb = published.stream()
                .anyMatch(m -> m.codecs().stream().anyMatch(c -> c.hasFeedback("goog-remb")));
        int id = published.stream()
                .map(m -> m.headerExtensionId(HeaderExtensionUris.ABS_SEND_TIME))
                .filter(OptionalInt::isPresent)
                .mapToInt(OptionalInt::getAsInt)
                .findFirst().orElse(-1);
        if (!transportCc && remb && id > 0) {
            if (estimator == null) {
                estimator = new ReceiveSideBandwidthEstimator(BweConfig.defaults());
            }
            absSendTimeExtensionId = id;
        } else {
            absSendTimeExtensionId = -1;
        }
    }

    /** Whether this transport gets REMB. */
    boolean active() {
        return absSendTimeExtensionId > 0;
    }

    /** Receive thread: one RTP packet of the publisher (any SSRC, RTX and padding included); sends a due REMB. */
    @Override
    public void onArrival(RtpPacket packet, long now) {
        int id = absSendTimeExtensionId;
        if (id <= 0) {
            return;
        }
        ReceiveSideBandwidthEstimator bwe = estimator;
        long estimate = bwe.onPacket(packet.absSendTime(id), packet.length(), now);
        if (!sentAny) {
            send(bwe, estimate, now);
            return;
        }
        long since = now - lastSentNanos;
        if (since >= INTERVAL_NANOS || since >= MIN_DROP_INTERVAL_NANOS && estimate < lastSentBps * DROP_RATIO) {
            send(bwe, estimate, now);
        }
    }

    private void send(ReceiveSideBandwidthEstimator bwe, long estimate, long now) {
        int count = collectSsrcs();
        if (count == 0) {
            return; // a simulcast layer not latched yet: nothing to name, the next packet tries again
        }
        int reportBytes = emptyReport.marshalSize();
        byte[] buf = pool.take(reportBytes + ReceiverEstimatedMaxBitrate.marshalSize(count) + SrtpSession.MAX_TAIL_ROOM);
        try {
            emptyReport.marshalTo(buf, 0);
            int length = reportBytes
                    + ReceiverEstimatedMaxBitrate.writeTo(buf, reportBytes, senderSsrc, estimate, ssrcs, count);
            output.sendRtcp(buf, 0, length);
        } finally {
            pool.release(buf);
        }
        sentAny = true;
        lastSentNanos = now;
        lastSentBps = estimate;
        rembsSent++;
        lastRembBps = estimate;
        lastStats = bwe.stats();
    }

    /** The media SSRCs (not RTX) of the publisher's layers that have one. */
    private int collectSsrcs() {
        int count = 0;
        for (PublishedTrack track : tracks.get()) {
            for (PublishedTrack.Layer layer : track.layers()) {
                long ssrc = layer.ssrc();
                if (ssrc >= 0 && count < MAX_SSRCS) {
                    ssrcs[count++] = ssrc;
                }
            }
        }
        return count;
    }

    /** A snapshot for the stats resource, or null while this transport gets no REMB. Any thread. */
    Stats stats() {
        ReceiveSideBandwidthEstimator bwe = estimator;
        if (!active() || bwe == null) {
            return null;
        }
        return new Stats(bwe.estimateBps(), lastRembBps, rembsSent, lastStats);
    }

    /**
     * The REMB side of a publisher's uplink.
     *
     * @param estimateBps the receive-side estimate now
     * @param lastRembBps the value of the last REMB sent, -1 before the first
     * @param rembsSent   REMB compounds sent
     * @param estimator   the estimator's detail as of the last REMB (null before the first)
     */
    public record Stats(long estimateBps, long lastRembBps, long rembsSent, ReceiveSideBandwidthEstimator.Stats estimator) {
    }
}
