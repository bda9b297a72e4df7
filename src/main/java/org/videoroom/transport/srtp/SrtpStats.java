package org.videoroom.transport.srtp;

import java.util.Map;

/**
 * Snapshot of an {@link SrtpSession}'s counters, one {@link Direction} per transform.
 *
 * @param rtpDecrypt  SRTP packets received from the peer
 * @param rtpEncrypt  RTP packets protected for the peer
 * @param rtcpDecrypt SRTCP packets received from the peer
 * @param rtcpEncrypt RTCP packets protected for the peer
 */
public record SrtpStats(Direction rtpDecrypt, Direction rtpEncrypt, Direction rtcpDecrypt, Direction rtcpEncrypt) {

    /**
     * Counters of one transform.
     *
     * @param packets         packets by outcome ({@link SrtpStatus#OK} counts successes); every status is present
     * @param contexts        per-SSRC contexts currently held
     * @param contextsEvicted contexts dropped because the SSRC bound was reached
     */
    public record Direction(Map<SrtpStatus, Long> packets, int contexts, long contextsEvicted) {
        public Direction {
            packets = Map.copyOf(packets);
        }

        /** Packets that ended with {@code status}. */
        public long count(SrtpStatus status) {
            return packets.getOrDefault(status, 0L);
        }
    }
}
