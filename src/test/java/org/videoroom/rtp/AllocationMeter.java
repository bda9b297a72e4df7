package org.videoroom.rtp;

import java.lang.management.ManagementFactory;

/**
 * Test helper: bytes allocated by the current thread while running a task, via the HotSpot
 * extension of {@link java.lang.management.ThreadMXBean}.
 */
public final class AllocationMeter {

    private AllocationMeter() {
    }

    /**
     * The least of three measured runs, after a warm-up: class loading, first calls and the odd JIT event (which
     * allocates a few bytes on the measured thread) do not count, while a real per-iteration allocation shows in
     * every run.
     */
    public static long bytesAllocatedBy(Runnable task) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        task.run();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 3 && least > 0; run++) {
            long before = bean.getThreadAllocatedBytes(thread);
            task.run();
            least = Math.min(least, bean.getThreadAllocatedBytes(thread) - before);
        }
        return least;
    }
}
