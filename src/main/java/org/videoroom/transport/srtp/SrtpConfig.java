package org.videoroom.transport.srtp;

/**
 * Limits of one {@link SrtpSession}.
 *
 * @param maxSsrcsPerDirection how many per-SSRC crypto contexts each of the four directions (SRTP
 *                             decrypt, SRTP encrypt, SRTCP decrypt, SRTCP encrypt) keeps; beyond it
 *                             the least recently used context is dropped. The encrypt side of a
 *                             subscriber carries every forwarded stream of the room, so this must
 *                             exceed the largest room's SSRC count (media + RTX, all layers); the
 *                             decrypt side only ever holds SSRCs that authenticated.
 */
public record SrtpConfig(int maxSsrcsPerDirection) {
    /** Upper bound on {@link #maxSsrcsPerDirection()}, to keep the tables' arrays modest. */
    public static final int MAX_SSRCS_LIMIT = 1 << 16;

    /** 1024 per direction, as Jitsi Videobridge bounds its SRTP transformers. */
    public static final SrtpConfig DEFAULT = new SrtpConfig(1024);

    public SrtpConfig {
        if (maxSsrcsPerDirection < 1 || maxSsrcsPerDirection > MAX_SSRCS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxSsrcsPerDirection must be in [1, " + MAX_SSRCS_LIMIT + "]: " + maxSsrcsPerDirection);
        }
    }
}
