package org.videoroom.media;

/**
 * One publisher transport's receive pipeline counters (a snapshot), stage by stage: a packet that did not reach
 * a track shows where it ended.
 *
 * @param received        RTP packets that parsed
 * @param malformed       packets that did not parse as RTP
 * @param unknownSsrc     packets of an SSRC no published layer owns (nor could latch)
 * @param latched         simulcast SSRCs learnt from the mid/rid header extensions
 * @param latchRefused    SSRCs refused: a second one claiming a layer that has its SSRC, one another participant
 *                        of the room sends with, or the route table full
 * @param rtxRepaired     RTX packets restored to their original
 * @param rtxUnrepairable RTX packets dropped: padding-only probes, an RTX payload type that repairs nothing, or
 *                        a layer whose SSRC is not known yet
 * @param rtxUnsolicited  repaired RTX packets dropped because the server had not asked for them (or had been
 *                        answered already): probe padding made of old packets, or injected copies
 * @param delivered       packets handed to a published track
 */
public record ReceiveStats(long received, long malformed, long unknownSsrc, long latched, long latchRefused,
                           long rtxRepaired, long rtxUnrepairable, long rtxUnsolicited, long delivered) {
}
