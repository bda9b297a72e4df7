package org.videoroom.signaling;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many signaling sockets are open, in all and per client address, and the caps on both. Every socket holds a
 * participant slot, a media session and an ICE agent once it negotiates, so one client must not open them by the
 * thousand. Behind a reverse proxy every client has the proxy's address: raise or switch off the per-address cap
 * there ({@code 0} = no cap).
 *
 * <p>Thread-safe; an address's count is removed when it drops to zero, so the map holds only addresses with open
 * sockets.
 */
public final class ConnectionLimits {

    /** Why a socket was refused. */
    public enum Refusal {
        SERVER_FULL("the server has its maximum number of connections"),
        ADDRESS_FULL("too many connections from your address");

        private final String message;

        Refusal(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** One open socket's share of the counts; {@link #release()} once, when it closes (again is harmless). */
    public final class Lease {
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(String address) {
            this.address = address;
        }

        public void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            total.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    /** The outcome of {@link #acquire}: a lease, or why there is none. */
    public record Admission(Lease lease, Refusal refusal) {
        public boolean admitted() {
            return lease != null;
        }
    }

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refusedServerFull = new LongAdder();
    private final LongAdder refusedAddressFull = new LongAdder();

    /**
     * @param maxTotal      open sockets at most, 0 = no cap
     * @param maxPerAddress open sockets per client address at most, 0 = no cap
     */
    public ConnectionLimits(int maxTotal, int maxPerAddress) {
        if (maxTotal < 0 || maxPerAddress < 0) {
            throw new IllegalArgumentException("limits are 0 (none) or positive: " + maxTotal + ", " + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts a socket that just opened, or refuses it.
     *
     * @param address the client's address, or null when the container did not tell it (only the total applies)
     */
    public Admission acquire(String address) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            refusedServerFull.increment();
            return new Admission(null, Refusal.SERVER_FULL);
        }
        if (address != null) {
            boolean[] full = {false};
            perAddress.compute(address, (a, n) -> {
                AtomicInteger count = n != null ? n : new AtomicInteger();
                if (maxPerAddress > 0 && count.get() >= maxPerAddress) {
                    full[0] = true;
                } else {
                    count.incrementAndGet();
                }
                return count.get() == 0 ? null : count;
            });
            if (full[0]) {
                total.decrementAndGet();
                refusedAddressFull.increment();
                return new Admission(null, Refusal.ADDRESS_FULL);
            }
        }
        return new Admission(new Lease(address), null);
    }

    public int open() {
        return total.get();
    }

    /** Open sockets from one address. */
    public int open(String address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }

    public long refused(Refusal refusal) {
        return (refusal == Refusal.SERVER_FULL ? refusedServerFull : refusedAddressFull).sum();
    }
}
