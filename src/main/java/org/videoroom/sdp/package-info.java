/**
 * Session descriptions for unified-plan WebRTC: a typed model, a parser, a writer and the answer
 * builder the SFU uses.
 *
 * <p>Flow: the browser always offers. {@link org.videoroom.sdp.SdpParser#parse(String)} turns
 * its offer into a {@link org.videoroom.sdp.SessionDescription}; {@link
 * org.videoroom.sdp.AnswerBuilder#answer} builds the answer under a {@link
 * org.videoroom.sdp.CodecPolicy} and summarises what was agreed as a {@link
 * org.videoroom.sdp.NegotiatedSession} for the packet path; {@link
 * org.videoroom.sdp.SdpWriter#write} serialises the answer.
 *
 * <p>Specifications: SDP RFC 8866, offer/answer RFC 3264, JSEP RFC 8829 (now RFC 9429), SDP for
 * ICE RFC 8839, DTLS fingerprints and setup RFC 8122 / RFC 5763, BUNDLE RFC 9143 (which obsoletes
 * RFC 8843), msid RFC 8830, RTP header extensions RFC 8285, RTCP feedback RFC 4585, RTX RFC 4588,
 * RID RFC 8851, simulcast RFC 8853, source attributes RFC 5576.
 *
 * <p>Three of its value types are the only ones of their kind in the server: {@link
 * org.videoroom.sdp.MediaKind} (the room's track kinds too), {@link org.videoroom.sdp.Fingerprint}
 * (what DTLS checks certificates against) and {@link org.videoroom.sdp.IceCandidate} (what ICE
 * takes and gives). Room, media and transport import them; nothing here imports those layers
 * ({@code LayeringTest}).
 *
 * <p>Everything here is pure JDK. The model types are immutable records and safe to share between
 * threads; the parser, writer and answer builder keep no state between calls.
 */
package org.videoroom.sdp;
