package org.videoroom.rtp;

import java.lang.management.ManagementFactory;

/**
 * Test helper: bytes allocated by the current thread while running a task, via the HotSpot
 * extension of {@link java.lang.management.ThreadMXBean}.
 */
final class AllocationMeter {

    private AllocationMeter() {
    }

    static long bytesAllocatedBy(Runnable task) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        task.run(); // warm up: class loading and first-call allocations do not count
        long before = bean.getThreadAllocatedBytes(thread);
        task.run();
        return bean.getThreadAllocatedBytes(thread) - before;
    }
}
