/**
 * RTCP messages (RFC 3550 §6, RFC 4585, RFC 5104, REMB) as immutable values, with one parser for
 * compound packets ({@link org.videoroom.rtcp.RtcpParser}) and one builder
 * ({@link org.videoroom.rtcp.RtcpCompound}).
 *
 * <p>Each wire message has its own class implementing the sealed
 * {@link org.videoroom.rtcp.RtcpPacket}; unknown types become
 * {@link org.videoroom.rtcp.RawRtcpPacket}. RTCP is control-rate traffic, so parsing allocates;
 * forwarding feedback without objects uses the static in-place helpers of
 * {@link org.videoroom.rtcp.RtcpHeader} and {@link org.videoroom.rtcp.RtcpFeedback}.
 *
 * <p>Parsing never throws; building throws {@link org.videoroom.rtcp.RtcpException} for values
 * that do not fit the wire format. JDK only.
 */
package org.videoroom.rtcp;
