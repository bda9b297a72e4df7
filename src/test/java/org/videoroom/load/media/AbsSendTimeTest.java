package org.videoroom.load.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** abs-send-time: 24 bits of 6.18 fixed-point seconds, wrapping every 64 s, on {@code nanoTime}. */
class AbsSendTimeTest {

    private static final long SECOND = 1_000_000_000L;
    /** One step of the 6.18 clock, 2^-18 s, in microseconds. */
    private static final double TICK_MICROS = 1e6 / (1 << 18);

    @ParameterizedTest(name = "{0} ns → {1}")
    @CsvSource({
            "0,                    0",
            "1000000000,           262144",     // 1 s = 1 << 18
            "500000000,            131072",     // half a second
            "3814,                 0",          // just under one tick
            "3815,                 1",          // just over 2^-18 s
            "63999999999,          16777215",   // the last value before the wrap
            "64000000000,          0",          // 2^24 ticks = 64 s: wraps
            "65000000000,          262144",
            "-1000000000,          16515072",   // before 0: 2^24 - 2^18
            "9223372036854775807,  1272650",   // Long.MAX_VALUE: no overflow
    })
    void ofIsTheLow24BitsOfSixPointEighteenSeconds(long nanoTime, int expected) {
        assertEquals(expected, AbsSendTime.of(nanoTime));
    }

    @Test
    void ofRepeatsEvery64Seconds() {
        Random random = new Random(1);
        for (int i = 0; i < 1_000; i++) {
            long t = random.nextLong() >>> 2;
            assertEquals(AbsSendTime.of(t), AbsSendTime.of(t + 64 * SECOND), "at " + t);
        }
    }

    @ParameterizedTest(name = "stamped at {0} ns, {1} ns later")
    @CsvSource({
            "63990000000,  20000000",      // 10 ms before the wrap, read 10 ms after it
            "63999999000,  2000",          // across the wrap by a few µs
            "127999000000, 5000000000",
            "0,            31000000000",   // nearly the 32 s the difference can tell
            "123456789,    0",
    })
    void elapsedMicrosIsRightAcrossTheWrap(long stampedAt, long elapsedNanos) {
        long micros = AbsSendTime.elapsedMicros(AbsSendTime.of(stampedAt), stampedAt + elapsedNanos);

        assertWithinOneTick(elapsedNanos, micros);
    }

    @Test
    void elapsedMicrosIsWithinOneTickForAnyStartAndDelay() {
        Random random = new Random(2);
        for (int i = 0; i < 100_000; i++) {
            long stampedAt = random.nextLong() >> 1;
            long elapsed = (long) (random.nextDouble() * 31 * SECOND);
            assertWithinOneTick(elapsed, AbsSendTime.elapsedMicros(AbsSendTime.of(stampedAt), stampedAt + elapsed));
        }
    }

    @Test
    void aStampFromTheFutureReadsZero() {
        long now = 10 * SECOND;

        assertEquals(0, AbsSendTime.elapsedMicros(AbsSendTime.of(now + 5_000_000), now));
    }

    /**
     * Both ends are truncated to a tick of 3.81 µs, and the difference to whole microseconds: the result is at
     * most one tick above the truth and less than one tick and 1 µs below it.
     */
    private static void assertWithinOneTick(long elapsedNanos, long micros) {
        double truth = elapsedNanos / 1_000.0;
        assertTrue(micros <= truth + TICK_MICROS && micros > truth - TICK_MICROS - 1,
                micros + " µs for " + truth + " µs");
    }
}
