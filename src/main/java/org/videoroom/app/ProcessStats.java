package org.videoroom.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What the server process holds now: live threads, open file descriptors (sockets included; -1 where the JVM cannot
 * tell) and heap in use. A soak compares these before and after hours of joins and leaves.
 */
record ProcessStats(int threads, long openFileDescriptors, long heapUsedBytes, long heapMaxBytes) {

    /** @param collect run a garbage collection first, so the heap figure is what is still reachable */
    static ProcessStats now(boolean collect) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        if (collect) {
            memory.gc();
        }
        return new ProcessStats(ManagementFactory.getThreadMXBean().getThreadCount(), countOpenFileDescriptors(),
                memory.getHeapMemoryUsage().getUsed(), memory.getHeapMemoryUsage().getMax());
    }

    /**
     * Through the platform MBean server, not {@code com.sun.management}'s interface: WildFly's module system does not
     * show that JDK module to deployments.
     */
    private static long countOpenFileDescriptors() {
        try {
            Object count = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "OpenFileDescriptorCount");
            return count instanceof Number number ? number.longValue() : -1;
        } catch (JMException | RuntimeException e) {
            return -1;
        }
    }
}
