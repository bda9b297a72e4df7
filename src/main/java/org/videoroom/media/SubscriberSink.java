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
 * <p>Thread-safety: {@link #sendRtp} is called from the subscriber's send queue drain only, one call at a time;
 * {@link #sendRtcp} from any thread.
 */
interface SubscriberSink {

    /** Identifies the subscriber in logs. */
    String id();

    /**
     * Sends one RTP packet (at offset 0), on the subscriber's send queue drain. {@code buf} has
     * {@link SrtpSession#MAX_TAIL_ROOM} free bytes after the packet (for the SRTP tag) and is the caller's again
     * once this returns, so an implementation must not keep it. It may rewrite the packet in place (the
     * transport-wide sequence number, the encryption).
     */
    void sendRtp(byte[] buf, int len);

    /** Sends one compound RTCP packet made of {@code packets}. */
    void sendRtcp(List<? extends RtcpPacket> packets);
}
