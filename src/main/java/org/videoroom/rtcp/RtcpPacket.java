package org.videoroom.rtcp;

/**
 * One RTCP packet of a compound packet (RFC 3550 §6.1), as a value. {@link RtcpParser} produces
 * these from received bytes; the SFU builds them to send, and {@link RtcpCompound} concatenates
 * them.
 *
 * <p>RTCP runs at control rate (a few packets per second per stream), so these are small immutable
 * records allocated per packet. The forwarding path that must not allocate uses the in-place
 * helpers in {@link RtcpHeader} and {@link RtcpFeedback} instead.
 *
 * <p>Thread-safety: all implementations are immutable.
 */
public sealed interface RtcpPacket
        permits SenderReport, ReceiverReport, SourceDescription, Goodbye, PictureLossIndication,
        FullIntraRequest, TransportLayerNack, TransportWideCc, ReceiverEstimatedMaxBitrate, RawRtcpPacket {

    /** The RTCP packet type (PT) this packet is sent with, e.g. {@link RtcpHeader#PT_SR}. */
    int packetType();

    /** Bytes {@link #marshalTo} writes: header included, a multiple of 4. */
    int marshalSize();

    /**
     * Writes the packet at {@code buf[off..]} and returns {@link #marshalSize()}.
     *
     * @throws RtcpException if the packet does not fit
     */
    int marshalTo(byte[] buf, int off);

    /** The packet in a new array. */
    default byte[] marshal() {
        byte[] buf = new byte[marshalSize()];
        marshalTo(buf, 0);
        return buf;
    }
}
