package org.videoroom.media;

import java.util.List;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * Where a {@link Subscription} sends what it forwards: the subscriber's end of the connection. In production that
 * is the subscriber's {@link PeerSession} (whose transport encrypts and sends); the interface exists so that the
 * forwarding rules (payload type and header extension rewriting, retransmission, loss injection) can be tested
 * without ICE, DTLS and SRTP.
 *
 * <p>Thread-safety: implementations must be thread-safe, since the publisher's receive thread forwards while the
 * subscriber's own receive thread retransmits and relays.
 */
interface SubscriberSink {

    /** Identifies the subscriber in logs. */
    String id();

    /**
     * Sends one RTP packet, taking ownership of {@code buf}: a buffer of the engine's pool, with
     * {@link SrtpSession#MAX_TAIL_ROOM} free bytes after the packet (for the SRTP tag), that the sink returns to
     * the pool once the packet is sent or dropped. The caller must not touch it after this call.
     */
    void sendRtp(byte[] buf, int len);

    /** Sends one compound RTCP packet made of {@code packets}. */
    void sendRtcp(List<? extends RtcpPacket> packets);
}
