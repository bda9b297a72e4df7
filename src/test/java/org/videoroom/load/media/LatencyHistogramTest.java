package org.videoroom.load.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Quantiles are the upper edge of the bucket of {@link LatencyHistogram#BUCKET_MICROS} the rank falls in. */
class LatencyHistogramTest {

    private static final double EDGE = LatencyHistogram.BUCKET_MICROS / 1000.0;

    private final LatencyHistogram histogram = new LatencyHistogram();

    @Test
    void anEmptyHistogramReadsZero() {
        assertEquals(0, histogram.count());
        assertEquals(0.0, histogram.quantileMillis(0.5));
        assertEquals(0.0, histogram.quantileMillis(0.99));
    }

    @Test
    void quantilesOfOneToAHundredMilliseconds() {
        for (int ms = 100; ms >= 1; ms--) {
            histogram.record(ms * 1_000L);
        }

        assertEquals(100, histogram.count());
        assertEquals(1 + EDGE, histogram.quantileMillis(0.0), 1e-9, "the lowest sample's bucket");
        assertEquals(50 + EDGE, histogram.quantileMillis(0.50), 1e-9);
        assertEquals(90 + EDGE, histogram.quantileMillis(0.90), 1e-9);
        assertEquals(99 + EDGE, histogram.quantileMillis(0.99), 1e-9);
        assertEquals(100 + EDGE, histogram.quantileMillis(1.0), 1e-9);
    }

    @Test
    void aQuantileIsTheUpperEdgeOfItsBucket() {
        histogram.record(0);
        histogram.record(19);
        histogram.record(20);

        assertEquals(0.020, histogram.quantileMillis(0.5), 1e-9, "0 and 19 µs share the first bucket");
        assertEquals(0.040, histogram.quantileMillis(1.0), 1e-9);
    }

    @Test
    void negativeLatenciesGoToTheFirstBucketAndHugeOnesToTheLast() {
        histogram.record(-5_000);
        histogram.record(10_000_000);

        assertEquals(2, histogram.count());
        assertEquals(EDGE, histogram.quantileMillis(0.5), 1e-9);
        assertEquals(LatencyHistogram.MAX_MICROS / 1000.0 + EDGE, histogram.quantileMillis(1.0), 1e-9,
                "everything beyond the range in the last bucket");
    }

    @Test
    void drainIntoAddsToTheTotalAndEmptiesThisOne() {
        LatencyHistogram total = new LatencyHistogram();
        total.record(1_000);
        histogram.record(3_000);
        histogram.record(3_000);

        histogram.drainInto(total);

        assertEquals(0, histogram.count());
        assertEquals(0.0, histogram.quantileMillis(0.5));
        assertEquals(3, total.count());
        assertEquals(1 + EDGE, total.quantileMillis(0.3), 1e-9);
        assertEquals(3 + EDGE, total.quantileMillis(0.5), 1e-9);

        histogram.drainInto(total);
        assertEquals(3, total.count(), "draining an empty histogram adds nothing");
    }

    @Test
    void clearEmptiesIt() {
        histogram.record(1_000);
        histogram.record(400_000);

        histogram.clear();

        assertEquals(0, histogram.count());
        assertEquals(0.0, histogram.quantileMillis(0.99));
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        histogram.record(i % 200);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }

        assertEquals(40_000, histogram.count());
        assertTrue(histogram.quantileMillis(1.0) <= 0.2 + 1e-9);
    }
}
