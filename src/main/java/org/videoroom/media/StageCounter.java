package org.videoroom.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter of one pipeline stage, written by the one thread that runs the stage and read by anyone (the stats
 * resource). With a single writer no read-modify-write needs to be atomic, so an increment is a plain add and an
 * opaque store: no lock, no fence, no {@code LongAdder} cells on the packet path, and readers never see a torn
 * value, at worst one a few packets old.
 *
 * <p>Thread-safety: {@link #increment} from the owning thread only; {@link #get} from any.
 */
final class StageCounter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(StageCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VALUE
    private long value;

    void increment() {
        VALUE.setOpaque(this, (long) VALUE.get(this) + 1);
    }

    long get() {
        return (long) VALUE.getOpaque(this);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
