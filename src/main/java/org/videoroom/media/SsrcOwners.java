package org.videoroom.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which session of a room sends with which SSRC. RFC 3550 §8 wants SSRCs unique within an RTP session, and the
 * room is one: a publisher that claimed an SSRC another participant already sends with (subscribers only see
 * server-chosen SSRCs, but a publisher's own getStats shows its SSRCs, and they can be guessed) would have its media taken for theirs by whatever keys streams by
 * SSRC further on (recording, a cascaded server, stats), so the second claim is refused.
 *
 * <p>Thread-safe; claims are made by the control plane (negotiation) and, once per simulcast layer, by a
 * receive thread latching a layer's SSRC, so the map sees a handful of writes per participant.
 */
final class SsrcOwners {

    private final Map<Long, Claims> owners = new ConcurrentHashMap<>();

    /** The claims of one session: what it claims is released with {@link Claims#releaseAll}. */
    Claims claimsOf(String owner) {
        return new Claims(owner);
    }

    /** One session's view of the room's SSRCs. */
    final class Claims {
        private final String owner;

        private Claims(String owner) {
            this.owner = owner;
        }

        /** True when the SSRC is now this session's (or already was); false when another session sends with it. */
        boolean claim(long ssrc) {
            Claims previous = owners.putIfAbsent(ssrc, this);
            return previous == null || previous == this;
        }

        /** Whether another session of the room sends with this SSRC. */
        boolean takenByOther(long ssrc) {
            Claims current = owners.get(ssrc);
            return current != null && current != this;
        }

        void release(long ssrc) {
            owners.remove(ssrc, this);
        }

        void releaseAll() {
            owners.values().removeIf(claims -> claims == this);
        }

        @Override
        public String toString() {
            return "Claims[" + owner + "]";
        }
    }
}
