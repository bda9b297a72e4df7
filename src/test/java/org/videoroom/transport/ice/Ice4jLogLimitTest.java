package org.videoroom.transport.ice;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ice4jLogLimitTest {

    @Test
    void oneRecordAnIntervalPassesAndSaysHowManyDidNot() {
        AtomicLong clock = new AtomicLong(1_000);
        Ice4jLogLimit limit = new Ice4jLogLimit(60, clock::get);
        assertTrue(limit.isLoggable(new LogRecord(Level.WARNING, "Unexpected Error!")));
        for (int i = 0; i < 1000; i++) {
            assertFalse(limit.isLoggable(new LogRecord(Level.WARNING, "Unexpected Error!")));
        }
        assertEquals(1000, limit.suppressed());
        clock.addAndGet(60);
        LogRecord next = new LogRecord(Level.WARNING, "Unexpected Error!");
        assertTrue(limit.isLoggable(next));
        assertEquals("Unexpected Error! (1000 more like it were not logged)", next.getMessage());
        assertEquals(0, limit.suppressed());
    }

    @Test
    void uninstallLeavesTheJvmWideLoggerAsItWas() {
        Ice4jLogLimit limit = Ice4jLogLimit.install();
        assertSame(limit, Logger.getLogger(Ice4jLogLimit.LOGGER).getFilter());
        Ice4jLogLimit.uninstall(limit);
        assertNull(Logger.getLogger(Ice4jLogLimit.LOGGER).getFilter());
    }
}
