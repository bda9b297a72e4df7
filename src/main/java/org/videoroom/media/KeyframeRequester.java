package org.videoroom.media;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Rate-limits keyframe requests to one publisher's video track: new subscribers, subscribers' own PLI/FIR and
 * subscribers whose transport just connected all ask, and the publisher must not be flooded (each keyframe costs
 * it bandwidth). A request within the interval of the last one that was sent is absorbed.
 *
 * <p>Thread-safe (lock-free).
 */
final class KeyframeRequester {

    private final long minIntervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong lastSentNanos = new AtomicLong(Long.MIN_VALUE);

    KeyframeRequester(long minIntervalNanos, LongSupplier nanoClock) {
        this.minIntervalNanos = minIntervalNanos;
        this.nanoClock = nanoClock;
    }

    /** True when a request should go out now (and records it as sent). */
    boolean shouldSend() {
        long now = nanoClock.getAsLong();
        long last = lastSentNanos.get();
        if (last != Long.MIN_VALUE && now - last < minIntervalNanos) {
            return false;
        }
        return lastSentNanos.compareAndSet(last, now);
    }
}
