/**
 * RTP at the byte level (RFC 3550, RFC 8285 header extensions, RFC 4588 retransmission).
 *
 * <ul>
 *   <li>{@link org.videoroom.rtp.PacketClassifier} splits STUN/DTLS/RTP/RTCP arriving on one
 *       port (RFC 7983, RFC 5761).</li>
 *   <li>{@link org.videoroom.rtp.RtpPacket} is a re-pointable view over a packet in a byte array;
 *       it reads and rewrites header fields and extensions in place.</li>
 *   <li>{@link org.videoroom.rtp.SequenceNumbers} and {@link org.videoroom.rtp.SequenceNumberUnwrapper}
 *       handle 16-bit wrap-around.</li>
 *   <li>{@link org.videoroom.rtp.RtpPacketCache} keeps sent packets for NACK answers;
 *       {@link org.videoroom.rtp.RtxPacketizer} turns them into RTX packets.</li>
 *   <li>{@link org.videoroom.rtp.Vp8PayloadDescriptor} is a view over the VP8 payload descriptor
 *       (RFC 7741); {@link org.videoroom.rtp.StreamRewriter} turns simulcast layers into one
 *       continuous stream per subscriber and maps its sequence numbers back for NACKs.</li>
 * </ul>
 *
 * <p>Nothing here allocates per packet or throws on malformed input: problems come back as
 * {@link org.videoroom.rtp.RtpPacket.ParseResult} values, -1 or false. JDK only.
 */
package org.videoroom.rtp;
