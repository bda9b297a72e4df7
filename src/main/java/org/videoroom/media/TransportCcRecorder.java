package org.videoroom.media;

import java.util.function.LongConsumer;
import org.videoroom.rtp.RtpPacket;

/**
 * The arrival stage of transport-wide congestion control: every packet's transport-wide sequence number and
 * arrival time go to {@link TransportCcFeedback}, and the feedback goes out when it is due. It comes before
 * demultiplexing because every packet counts for the sender's estimate: RTX, padding probes and packets of
 * SSRCs we drop included.
 *
 * <p>Thread-safety: {@link #onArrival} on the publisher's receive thread only; the extension id may be set from
 * any thread (each negotiation).
 */
final class TransportCcRecorder implements ReceivePipeline.ArrivalObserver {

    private final TransportCcFeedback feedback;
    private final LongConsumer feedbackDue;
    /** The transport-wide sequence number's header extension id in what the publisher sends, or -1. */
    private volatile int extensionId = -1;

    /** @param feedbackDue sends the due feedback (on the receive thread), given the time */
    TransportCcRecorder(TransportCcFeedback feedback, LongConsumer feedbackDue) {
        this.feedback = feedback;
        this.feedbackDue = feedbackDue;
    }

    void extensionId(int id) {
        extensionId = id;
    }

    @Override
    public void onArrival(RtpPacket packet, long arrivalNanos) {
        int id = extensionId;
        if (id <= 0) {
            return;
        }
        int sequenceNumber = packet.transportWideCcSequenceNumber(id);
        if (sequenceNumber >= 0) {
            feedback.onPacket(sequenceNumber, arrivalNanos);
            if (feedback.feedbackDue(arrivalNanos)) {
                feedbackDue.accept(arrivalNanos);
            }
        }
    }
}
