package org.videoroom.media;

import org.videoroom.rtcp.FullIntraRequest;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtcp.TransportWideCc;

/**
 * RTCP termination for one participant's transport: each decrypted compound packet is parsed once and every
 * message goes to the {@link Listener} method of its type. A forwarding server terminates RTCP rather than
 * relaying it: what a subscriber reports is about the stream we sent it, what a publisher reports is about
 * ours, so each message is turned into our own action (a keyframe request upstream, a retransmission, an
 * estimate) instead of being passed on.
 *
 * <p>Thread-safety: {@link #onRtcp} on the transport's receive thread only (the listener is called there); the
 * counters are single-writer and may be read from any thread.
 */
final class RtcpTerminator {

    /** What the messages of one compound packet ask for; called on the receive thread, must not block. */
    interface Listener {
        /** A publisher's sender report (RFC 3550 §6.4.1). */
        default void onSenderReport(SenderReport report) {
        }

        /** A receiver report (RFC 3550 §6.4.2) about what we send. */
        default void onReceiverReport(ReceiverReport report) {
        }

        /** Generic NACK (RFC 4585 §6.2.1): packets of one of our streams that did not arrive. */
        default void onNack(TransportLayerNack nack) {
        }

        /** PLI (RFC 4585 §6.3.1) or one FIR entry (RFC 5104 §4.3.1): a keyframe of the stream with this SSRC. */
        default void onKeyframeRequest(long mediaSsrc) {
        }

        /** Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb). */
        default void onRemb(ReceiverEstimatedMaxBitrate remb) {
        }

        /** Transport-wide congestion control feedback on what we sent. */
        default void onTransportFeedback(TransportWideCc feedback) {
        }
    }

    private final RtcpParser parser = new RtcpParser();
    private final Listener listener;

    private final StageCounter compounds = new StageCounter();
    private final StageCounter malformed = new StageCounter();
    private final StageCounter senderReports = new StageCounter();
    private final StageCounter receiverReports = new StageCounter();
    private final StageCounter nacks = new StageCounter();
    private final StageCounter keyframeRequests = new StageCounter();
    private final StageCounter rembs = new StageCounter();
    private final StageCounter transportFeedback = new StageCounter();
    private final StageCounter ignored = new StageCounter();

    RtcpTerminator(Listener listener) {
        this.listener = listener;
    }

    /** Receive thread: one decrypted compound RTCP packet. */
    void onRtcp(byte[] buf, int off, int len) {
        RtcpParser.Result result = parser.parse(buf, off, len);
        compounds.increment();
        if (!result.isOk()) {
            // The packets before the problem still count; the walk stopped or skipped the bad ones.
            malformed.increment();
        }
        for (RtcpPacket packet : result.packets()) {
            switch (packet) {
                case SenderReport sr -> {
                    senderReports.increment();
                    listener.onSenderReport(sr);
                }
                case ReceiverReport rr -> {
                    receiverReports.increment();
                    listener.onReceiverReport(rr);
                }
                case TransportLayerNack nack -> {
                    nacks.increment();
                    listener.onNack(nack);
                }
                case PictureLossIndication pli -> {
                    keyframeRequests.increment();
                    listener.onKeyframeRequest(pli.mediaSsrc());
                }
                case FullIntraRequest fir -> {
                    for (FullIntraRequest.Entry entry : fir.entries()) {
                        keyframeRequests.increment();
                        listener.onKeyframeRequest(entry.ssrc());
                    }
                }
                case ReceiverEstimatedMaxBitrate remb -> {
                    rembs.increment();
                    listener.onRemb(remb);
                }
                case TransportWideCc feedback -> {
                    transportFeedback.increment();
                    listener.onTransportFeedback(feedback);
                }
                default -> ignored.increment(); // SDES, BYE, APP, XR, feedback types we do not use
            }
        }
    }

    RtcpStats stats() {
        return new RtcpStats(compounds.get(), malformed.get(), senderReports.get(), receiverReports.get(),
                nacks.get(), keyframeRequests.get(), rembs.get(), transportFeedback.get(), ignored.get());
    }
}
