package org.videoroom.bwe;

/**
 * The rate at which the receiver got our packets: bytes reported received whose arrival times lie
 * in the last {@link #WINDOW_MICROS} of the receiver's clock, divided by the time they span.
 * Arrival time, not send time, is used on purpose: at a bottleneck it measures what the path
 * delivered, which is what a decrease should aim below.
 *
 * <p>Samples live in a preallocated ring; recording allocates nothing. An arrival older than the
 * window is ignored; one more than {@link #MAX_BACKWARD_JUMP_MICROS} behind the newest (a receiver
 * clock reset, or hostile feedback) restarts the estimate.
 *
 * <p>Thread-safety: not thread-safe; confined to the estimator's thread.
 */
final class AcknowledgedBitrateEstimator {

    static final long WINDOW_MICROS = 500_000;
    /** The estimate is reported once the samples span at least this much. */
    static final long MIN_SPAN_MICROS = 150_000;
    static final long MAX_BACKWARD_JUMP_MICROS = 3_000_000;
    static final long UNKNOWN = -1;

    private final int capacity;
    private final long[] arrivals;
    private final int[] sizes;
    private int head;
    private int count;
    private long bytesInWindow;
    private long newestArrival = Long.MIN_VALUE;
    private long resets;

    AcknowledgedBitrateEstimator(int capacity) {
        this.capacity = capacity;
        this.arrivals = new long[capacity];
        this.sizes = new int[capacity];
    }

    /** Records a packet that arrived at {@code arrivalMicros} on the receiver's clock. */
    void onPacketReceived(long arrivalMicros, int sizeBytes) {
        if (count > 0 && arrivalMicros < newestArrival - MAX_BACKWARD_JUMP_MICROS) {
            resets++;
            reset();
        }
        if (count > 0 && arrivalMicros < newestArrival - WINDOW_MICROS) {
            return;
        }
        if (count == capacity) {
            evictOldest();
        }
        int tail = (head + count) % capacity;
        arrivals[tail] = arrivalMicros;
        sizes[tail] = sizeBytes;
        count++;
        bytesInWindow += sizeBytes;
        if (arrivalMicros > newestArrival) {
            newestArrival = arrivalMicros;
            while (count > 0 && arrivals[head] < newestArrival - WINDOW_MICROS) {
                evictOldest();
            }
        }
    }

    /**
     * The acknowledged rate in bits per second, or {@link #UNKNOWN} while the samples span less
     * than {@link #MIN_SPAN_MICROS}. The oldest sample's bytes are left out: n packets span n-1 gaps.
     */
    long bitrateBps() {
        if (count < 2) {
            return UNKNOWN;
        }
        long oldest = arrivals[head];
        long span = newestArrival - oldest;
        if (span < MIN_SPAN_MICROS) {
            return UNKNOWN;
        }
        return (bytesInWindow - sizes[head]) * 8 * 1_000_000 / span;
    }

    long resets() {
        return resets;
    }

    private void evictOldest() {
        bytesInWindow -= sizes[head];
        head = (head + 1) % capacity;
        count--;
    }

    private void reset() {
        head = 0;
        count = 0;
        bytesInWindow = 0;
        newestArrival = Long.MIN_VALUE;
    }
}
