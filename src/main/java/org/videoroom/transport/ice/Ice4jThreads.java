package org.videoroom.transport.ice;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the thread pools ice4j keeps in static fields of its own classes, when the application that ships ice4j
 * ends.
 *
 * <p>ice4j creates its STUN retransmission timers, agent timers and task pools once per class loader and never
 * shuts them down: it expects to live as long as the JVM. Inside a WAR that is not so. After an undeploy their
 * idle threads linger for up to a minute, and while they do, each one's context class loader keeps the whole
 * undeployed application in memory. ice4j is inside our WAR, so nothing but this deployment uses these pools,
 * and the owner of the deployment's media (the application's media service, after its last {@link IceServer}
 * closed) may end them. They cannot be created again in this class loader: call this only when it is going away.
 *
 * <p>The fields are found by name: an ice4j upgrade that renames one is logged, and the redeploy integration test
 * finds the thread it leaves.
 */
public final class Ice4jThreads {

    private static final System.Logger LOG = System.getLogger(Ice4jThreads.class.getName());

    /** A static field of an ice4j class that holds one of its pools. */
    record Pool(String className, String field) {
    }

    static final List<Pool> POOLS = List.of(
            new Pool("org.ice4j.stack.StunClientTransaction", "retransmissionTimer"),
            new Pool("org.ice4j.stack.StunClientTransaction", "retransmissionExecutor"),
            new Pool("org.ice4j.stack.NetAccessManager", "messageProcessingExecutor"),
            new Pool("org.ice4j.stack.StunStack", "tasksScheduler"),
            new Pool("org.ice4j.ice.Agent", "agentTasksScheduler"),
            new Pool("org.ice4j.ice.Agent", "agentTasksExecutor"),
            new Pool("org.ice4j.ice.harvest.CandidateHarvesterSet", "threadPool"));

    private Ice4jThreads() {
    }

    /**
     * Whether ice4j came with a deployment's own class loader (a WAR), so that ending this deployment ends every
     * user of its pools. In a plain JVM (the application class loader: tests, an embedding) another server may
     * be created after this one closes, and the pools must stay.
     */
    public static boolean ownedByADeployment() {
        return org.ice4j.ice.Agent.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    }

    /**
     * Shuts every pool down and waits up to {@code timeoutMillis} in all for their threads to end.
     *
     * @return the pools that were shut down
     */
    public static int shutDown(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int ended = 0;
        for (Pool pool : POOLS) {
            ExecutorService executor = executor(pool);
            if (executor == null) {
                continue;
            }
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.log(Level.WARNING, "ice4j pool {0}.{1} still has threads after shutdown", pool.className(),
                            pool.field());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ended;
            }
            ended++;
        }
        return ended;
    }

    private static ExecutorService executor(Pool pool) {
        try {
            Class<?> type = Class.forName(pool.className(), false, Ice4jThreads.class.getClassLoader());
            Field field = type.getDeclaredField(pool.field());
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new NoSuchFieldException(pool.field() + " is not static");
            }
            field.setAccessible(true);
            return field.get(null) instanceof ExecutorService executor ? executor : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "ice4j pool {0}.{1} not found (ice4j changed?); its threads may outlive the"
                    + " application: {2}", pool.className(), pool.field(), e.toString());
            return null;
        }
    }
}
