package org.videoroom.media;

import java.util.function.LongSupplier;
import org.videoroom.rtp.RtpPacket;

/**
 * The transport-wide sequence number stage of a subscriber's send pipeline: every RTP packet towards it gets our
 * own number (each transport numbers what it sends; the publishers' numbers mean nothing on this link) and is
 * recorded for the estimate, which the subscriber's feedback on those numbers drives.
 *
 * <p>Thread-safety: {@link #stamp} on the subscriber's send queue drain only; the extension id may be set from
 * any thread (each negotiation).
 */
final class TransportCcStamp {

    private final DownlinkController downlink;
    private final LongSupplier nanoClock;
    private final RtpPacket view = new RtpPacket();
    private int next;
    /** The extension's id in what the subscriber receives from us, or -1. */
    private volatile int extensionId = -1;

    TransportCcStamp(DownlinkController downlink, LongSupplier nanoClock, int firstSequenceNumber) {
        this.downlink = downlink;
        this.nanoClock = nanoClock;
        this.next = firstSequenceNumber & 0xFFFF;
    }

    void extensionId(int id) {
        extensionId = id;
    }

    /** Drain: stamps one outgoing packet at offset 0 in place, when the subscriber negotiated the extension. */
    void stamp(byte[] buf, int len) {
        int id = extensionId;
        if (id > 0 && view.wrap(buf, 0, len) == RtpPacket.ParseResult.OK) {
            int sequenceNumber = next;
            if (view.setTransportWideCcSequenceNumber(id, sequenceNumber)) {
                next = (sequenceNumber + 1) & 0xFFFF;
                downlink.onPacketSent(sequenceNumber, len, nanoClock.getAsLong());
            }
        }
    }
}
