package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalClockTest {

    private final ArrivalClock clock = new ArrivalClock();

    @Test
    void aDatagramReadTwentyMillisecondsAgoArrivedTwentyMillisecondsAgo() {
        long before = System.nanoTime();
        long arrival = clock.toNanos(Instant.now().minusMillis(20));
        long after = System.nanoTime();
        // Wall and monotonic clocks are read a few microseconds apart; allow 2 ms either side.
        assertTrue(arrival >= before - 22_000_000 && arrival <= after - 18_000_000,
                "arrival " + (after - arrival) / 1e6 + " ms before now");
    }

    @Test
    void noReceiveTimeMeansNow() {
        long before = System.nanoTime();
        long arrival = clock.toNanos(null);
        assertTrue(arrival >= before && arrival <= System.nanoTime());
    }

    @Test
    void aTimeInTheFutureOrFarInThePastIsTakenAsNow() {
        long before = System.nanoTime();
        assertTrue(clock.toNanos(Instant.now().plusSeconds(5)) >= before, "future");
        assertTrue(clock.toNanos(Instant.now().minusSeconds(60)) >= before, "a stepped clock");
    }

    @Test
    void successiveDatagramsKeepTheirSpacing() {
        Instant first = Instant.now().minusMillis(50);
        Instant second = first.plusNanos(3_250_000);
        long a = clock.toNanos(first);
        long b = clock.toNanos(second);
        assertTrue(Math.abs((b - a) - 3_250_000) < 1_000, "spacing " + (b - a));
    }
}
