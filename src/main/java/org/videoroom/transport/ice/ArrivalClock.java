package org.videoroom.transport.ice;

import java.time.Instant;

/**
 * Turns ice4j's receive time of a datagram (wall clock, taken by its listener thread right after the socket read)
 * into our monotonic {@link System#nanoTime()} scale. The arrival times transport-wide feedback reports must be
 * those of the socket, not of the moment a busy reader thread got to the datagram: a reader that falls behind
 * for a few milliseconds would otherwise show the publisher's congestion control a queue that is not on the path.
 *
 * <p>The offset between the two clocks is measured again every {@link #RECALIBRATE_NANOS}, so a stepped wall
 * clock disturbs at most that long. Not thread-safe: one per reader thread.
 */
final class ArrivalClock {

    static final long RECALIBRATE_NANOS = 1_000_000_000L;

    private long wallMinusMonotonic;
    private long calibratedAt;
    private boolean calibrated;

    /** The monotonic time of {@code received}, or now when ice4j gave none. */
    long toNanos(Instant received) {
        long now = System.nanoTime();
        if (received == null) {
            return now;
        }
        if (!calibrated || now - calibratedAt > RECALIBRATE_NANOS) {
            Instant wall = Instant.now();
            long monotonic = System.nanoTime();
            wallMinusMonotonic = epochNanos(wall) - monotonic;
            calibratedAt = monotonic;
            calibrated = true;
            now = monotonic;
        }
        long arrival = epochNanos(received) - wallMinusMonotonic;
        // Never in the future (clock granularity), never absurdly old (a stepped clock): both would only confuse
        // the estimators downstream.
        return arrival > now || now - arrival > RECALIBRATE_NANOS ? now : arrival;
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
