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
     * The least of up to ten measured runs (it stops at the first that allocated nothing), after a warm-up: class
     * loading, first calls, code that runs before C2 has compiled it with escape analysis (on two busy cores that
     * took more than three runs of 2,000 packets) and the odd JIT event (which allocates a few bytes on the measured
     * thread) do not count, while a real per-iteration allocation shows in every run.
     */
    public static long bytesAllocatedBy(Runnable task) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        task.run();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 10 && least > 0; run++) {
            long before = bean.getThreadAllocatedBytes(thread);
            task.run();
            least = Math.min(least, bean.getThreadAllocatedBytes(thread) - before);
        }
        return least;
    }
}
