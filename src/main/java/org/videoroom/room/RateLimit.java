package org.videoroom.room;

import java.util.function.LongSupplier;

/**
 * A token bucket: bursts of up to {@code burst} actions, then {@code perSecond} on average. One per connection
 * and kind of message, so a client that floods the room's chat or state is told to slow down while everyone
 * else's messages go on; one per room for {@link RoomPassword}'s guesses.
 *
 * <p>Not thread-safe: a signaling session calls it from its socket's one thread at a time, a room password under
 * its own lock.
 */
public final class RateLimit {

    private final double burst;
    private final double perNano;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    public RateLimit(int burst, double perSecond, LongSupplier nanoTime) {
        if (burst < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("burst >= 1 and a positive rate, got " + burst + ", " + perSecond);
        }
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives back the token of an action that turned out not to count (at most up to the burst). */
    public void refund() {
        tokens = Math.min(burst, tokens + 1);
    }
}
