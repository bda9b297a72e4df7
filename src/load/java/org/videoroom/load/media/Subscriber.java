package org.videoroom.load.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.videoroom.load.ClientLink;
import org.videoroom.media.TransportCcFeedback;
import org.videoroom.rtcp.FullIntraRequest;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtcp.RtcpCompound;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtp.PacketClassifier;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.Vp8PayloadDescriptor;
import org.videoroom.load.session.OfferSdp;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * The receive side of one synthetic participant, on its link's reader thread: decrypts what the server sends,
 * counts every stream ({@link InStream}), measures each packet's added latency from its abs-send-time, and answers
 * like a browser's receiver: transport-wide feedback every 50 ms (the server's estimate of our downlink depends on
 * it), receiver reports every second, NACK for each gap, PLI while a video stream has not shown a keyframe. The
 * server's PLI, FIR and NACK for our own streams go to the {@link Publisher}.
 *
 * <p>Thread-safety: {@link #onDatagram} on the reader thread only; {@link #streams} is replaced whole by the
 * signaling thread after each answer.
 */
public final class Subscriber implements ClientLink.Receiver {

    private static final long RR_INTERVAL_NANOS = 1_000_000_000L;
    private static final long PLI_INTERVAL_NANOS = 1_000_000_000L;
    private static final long PLI_GRACE_NANOS = 500_000_000L;
    private static final int MAX_NACK = 64;
    /** A storm NACK lists this many sequence numbers: more than the server answers per NACK. */
    private static final int STORM_NACK = 200;

    private final SrtpSession srtp;
    private final ClientLink link;
    private final Publisher publisher;
    private final ReceiveTotals totals;
    private final long ourSsrc;
    private final TransportCcFeedback feedback;
    private final RtpPacket rtp = new RtpPacket();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private final RtcpParser rtcpParser = new RtcpParser();
    private final byte[] out = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES + 64 + SrtpSession.MAX_TAIL_ROOM];
    private final int[] missing = new int[MAX_NACK];
    private final Map<Long, Long> pliSentAt = new HashMap<>();
    private volatile Map<Long, InStream> streams = Map.of();
    private volatile Map<Long, InStream> repairs = Map.of();
    private long lastReportNanos;

    private volatile long rtpReceived;
    private volatile long rtcpReceived;
    private volatile long undecryptable;
    private volatile long unknownSsrc;
    private volatile long nacksSent;
    private volatile boolean nackStorm;
    private volatile long stormNacksSent;
    private int stormTick;
    private final int[] storm = new int[STORM_NACK];
    private volatile long plisSent;
    private volatile long feedbackSent;
    private volatile long sendFailures;

    public Subscriber(SrtpSession srtp, ClientLink link, Publisher publisher, ReceiveTotals totals) {
        this.srtp = srtp;
        this.link = link;
        this.publisher = publisher;
        this.totals = totals;
        this.ourSsrc = publisher.audioSsrc();
        this.feedback = new TransportCcFeedback(ourSsrc);
    }

    /** The streams the last answer announced; streams already counted keep their counts. */
    public void streams(List<InStream> announced) {
        Map<Long, InStream> current = streams;
        Map<Long, InStream> next = new HashMap<>();
        Map<Long, InStream> rtx = new HashMap<>();
        for (InStream s : announced) {
            InStream kept = current.get(s.ssrc());
            InStream stream = kept != null ? kept : s;
            if (kept == null) {
                totals.addStream(stream);
            }
            next.put(stream.ssrc(), stream);
            if (stream.rtxSsrc() != 0) {
                rtx.put(stream.rtxSsrc(), stream);
            }
        }
        repairs = Map.copyOf(rtx);
        streams = Map.copyOf(next);
    }

    public List<InStream> currentStreams() {
        return List.copyOf(streams.values());
    }

    @Override
    public void onDatagram(byte[] buf, int off, int len, long arrivalNanos) {
        if (PacketClassifier.looksLikeRtcp(buf, off, len)) {
            onRtcp(buf, off, len);
        } else if (PacketClassifier.looksLikeRtp(buf, off, len)) {
            onRtp(buf, off, len, arrivalNanos);
        }
        if (arrivalNanos - lastReportNanos >= RR_INTERVAL_NANOS) {
            lastReportNanos = arrivalNanos;
            sendReports(arrivalNanos);
        }
    }

    private void onRtp(byte[] buf, int off, int wireLength, long arrivalNanos) {
        int len = srtp.decryptRtp(buf, off, wireLength);
        if (len < 0 || rtp.wrap(buf, off, len) != RtpPacket.ParseResult.OK) {
            undecryptable++;
            return;
        }
        rtpReceived++;
        int twcc = rtp.transportWideCcSequenceNumber(OfferSdp.TRANSPORT_CC_ID);
        if (twcc >= 0) {
            feedback.onPacket(twcc, arrivalNanos);
            while (feedback.feedbackDue(arrivalNanos) || feedback.hasMore()) {
                int n = feedback.writeFeedback(rtp.ssrc(), arrivalNanos, out, 0);
                if (n <= 0) {
                    break;
                }
                sendRtcp(n);
                feedbackSent++;
            }
        }
        int stamp = rtp.absSendTime(OfferSdp.ABS_SEND_TIME_ID);
        long latency = stamp >= 0 ? AbsSendTime.elapsedMicros(stamp, arrivalNanos) : -1;
        long ssrc = rtp.ssrc();
        InStream stream = streams.get(ssrc);
        boolean retransmission = false;
        int sequence = rtp.sequenceNumber();
        if (stream == null) {
            stream = repairs.get(ssrc);
            if (stream == null || rtp.payloadLength() < 2) {
                unknownSsrc++;
                return;
            }
            retransmission = true;
            int p = rtp.payloadOffset();
            sequence = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
        }
        totals.onPacket(wireLength, retransmission ? -1 : latency);
        boolean keyframe = false;
        if (stream.video() && !retransmission && rtp.payloadLength() > 0
                && vp8.wrap(buf, rtp.payloadOffset(), rtp.payloadLength()) == Vp8PayloadDescriptor.ParseResult.OK) {
            keyframe = vp8.isStartOfFrame() && vp8.isKeyframe();
        }
        int gap = stream.onPacket(sequence, rtp.timestamp(), arrivalNanos, wireLength, retransmission, rtp.marker(),
                keyframe);
        if (gap > 0) {
            nack(stream, gap);
        }
        if (nackStorm && stream.video() && !retransmission && (++stormTick & 3) == 0) {
            stormNack(stream);
        }
        if (stream.video() && stream.keyframes() == 0) {
            askForKeyframe(stream, arrivalNanos);
        }
    }

    /** NACKs the {@code gap} sequence numbers just below the new highest (at most {@link #MAX_NACK}). */
    private void nack(InStream stream, int gap) {
        if (!stream.video()) {
            return; // browsers do not NACK Opus: a late audio frame is worth nothing
        }
        int n = Math.min(gap, MAX_NACK);
        long highest = stream.extendedHighest();
        for (int i = 0; i < n; i++) {
            missing[i] = (int) ((highest - n + i) & 0xFFFF);
        }
        int[] lost = Arrays.copyOf(missing, n);
        int length = TransportLayerNack.of(ourSsrc, stream.ssrc(), lost).marshalTo(out, 0);
        sendRtcp(length);
        nacksSent++;
    }

    /** Hostile: NACKs the last {@link #STORM_NACK} packets of the stream, every one of which arrived. */
    private void stormNack(InStream stream) {
        long highest = stream.extendedHighest();
        for (int i = 0; i < STORM_NACK; i++) {
            storm[i] = (int) ((highest - STORM_NACK + 1 + i) & 0xFFFF);
        }
        sendRtcp(TransportLayerNack.of(ourSsrc, stream.ssrc(), storm).marshalTo(out, 0));
        stormNacksSent++;
    }

    /** Hostile: from now on, every fourth video packet received is answered with a NACK of the last 200. */
    public void nackStorm(boolean on) {
        nackStorm = on;
    }

    public long stormNacksSent() {
        return stormNacksSent;
    }

    private void askForKeyframe(InStream stream, long nowNanos) {
        if (nowNanos - stream.firstArrivalNanos() < PLI_GRACE_NANOS) {
            return;
        }
        Long last = pliSentAt.get(stream.ssrc());
        if (last != null && nowNanos - last < PLI_INTERVAL_NANOS) {
            return;
        }
        pliSentAt.put(stream.ssrc(), nowNanos);
        sendRtcp(new PictureLossIndication(ourSsrc, stream.ssrc()).marshalTo(out, 0));
        plisSent++;
    }

    private void sendReports(long nowNanos) {
        List<ReportBlock> blocks = new ArrayList<>();
        for (InStream s : streams.values()) {
            if (s.expected() == 0 || blocks.size() == 31) {
                continue;
            }
            long lost = Math.min(s.lost(), ReportBlock.MAX_CUMULATIVE_LOST);
            long highest = Math.max(0, s.extendedHighest() - 0x10000L) & 0xFFFF_FFFFL;
            blocks.add(new ReportBlock(s.ssrc(), 0, (int) lost, highest, s.jitterUnits() & 0xFFFF_FFFFL, 0, 0));
        }
        List<RtcpPacket> packets = List.of(new ReceiverReport(ourSsrc, blocks));
        sendRtcp(RtcpCompound.marshalTo(packets, out, 0));
    }

    private void onRtcp(byte[] buf, int off, int wireLength) {
        int len = srtp.decryptRtcp(buf, off, wireLength);
        if (len < 0) {
            undecryptable++;
            return;
        }
        rtcpReceived++;
        RtcpParser.Result result = rtcpParser.parse(buf, off, len);
        for (RtcpPacket packet : result.packets()) {
            if (packet instanceof PictureLossIndication pli) {
                publisher.requestKeyframe(pli.mediaSsrc());
            } else if (packet instanceof FullIntraRequest fir) {
                for (FullIntraRequest.Entry e : fir.entries()) {
                    publisher.requestKeyframe(e.ssrc());
                }
            } else if (packet instanceof TransportLayerNack nack) {
                publisher.retransmit(nack.mediaSsrc(), nack.lostSequenceNumbers());
            }
        }
    }

    /** Encrypts {@code out[0, length)} in place (the buffer has tail room) and sends it. */
    private void sendRtcp(int length) {
        int n = srtp.encryptRtcp(out, 0, length);
        if (n > 0) {
            try {
                link.send(out, 0, n);
            } catch (IOException e) {
                sendFailures++; // the link closed at the end of the run
            }
        }
    }

    public long sendFailures() {
        return sendFailures;
    }

    public long rtpReceived() {
        return rtpReceived;
    }

    public long rtcpReceived() {
        return rtcpReceived;
    }

    public long undecryptable() {
        return undecryptable;
    }

    public long unknownSsrc() {
        return unknownSsrc;
    }

    public long nacksSent() {
        return nacksSent;
    }

    public long plisSent() {
        return plisSent;
    }

    public long feedbackSent() {
        return feedbackSent;
    }
}
