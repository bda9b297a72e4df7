package org.videoroom.transport.ice;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Rate-limits the WARNING that ice4j logs, with a stack trace, for every STUN datagram its decoder throws on: a
 * malformed message on a connected pair (the fuzz tests found truncated attributes that do it) is dropped by ice4j,
 * but the log line would come once per datagram, as fast as a client sends them. One record per interval passes;
 * the rest are counted. Installed on ice4j's logger by the application and removed when it stops (the logger is
 * JVM-wide and must not keep this class, and with it the deployment, alive).
 */
public final class Ice4jLogLimit implements Filter {

    /** The logger of ice4j's {@code NetAccessManager}, which reports the stack's "Unexpected Error!". */
    public static final String LOGGER = "org.ice4j.stack.NetAccessManager";

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong lastPassed;
    private final LongAdder suppressed = new LongAdder();

    public Ice4jLogLimit(long intervalNanos, LongSupplier nanoTime) {
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.lastPassed = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        long now = nanoTime.getAsLong();
        long last = lastPassed.get();
        if (now - last >= intervalNanos && lastPassed.compareAndSet(last, now)) {
            long skipped = suppressed.sumThenReset();
            if (skipped > 0) {
                record.setMessage(record.getMessage() + " (" + skipped + " more like it were not logged)");
            }
            return true;
        }
        suppressed.increment();
        return false;
    }

    /** Records not logged since the last one that was. */
    public long suppressed() {
        return suppressed.sum();
    }

    /** Puts a limit of one record a minute on ice4j's logger; returns it, for {@link #uninstall}. */
    public static Ice4jLogLimit install() {
        Ice4jLogLimit limit = new Ice4jLogLimit(60_000_000_000L, System::nanoTime);
        Logger.getLogger(LOGGER).setFilter(limit);
        return limit;
    }

    public static void uninstall(Ice4jLogLimit limit) {
        Logger logger = Logger.getLogger(LOGGER);
        if (logger.getFilter() == limit) {
            logger.setFilter(null);
        }
    }
}
