package org.videoroom.buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pool of {@code byte[]} buffers for packets, in a few size tiers.
 *
 * <p>The packet path takes a buffer per received datagram and hands it from stage to stage; whoever
 * drops the packet (or finishes sending it) releases the buffer. Reusing arrays keeps the garbage
 * collector out of the per-packet path. Requests up to {@link #LARGEST_TIER_BYTES} are served from
 * the smallest tier that fits ({@link #TIER_SIZES_BYTES}); larger requests get a plain, unpooled
 * array, and releasing one simply lets it go.
 *
 * <p>Packet layout. A packet kept in a pool buffer starts {@link #HEAD_ROOM_BYTES} into the array and
 * leaves {@link #TAIL_ROOM_BYTES} free after its end, so that later stages can grow it in place: the
 * RTX packetizer prepends the 2-byte original sequence number by shifting the header into the head
 * room (RFC 4588 §4), and SRTP/SRTCP encryption appends the authentication tag (10 bytes for
 * AES_CM_128_HMAC_SHA1_80, 16 for AEAD_AES_128_GCM) plus the 4-byte SRTCP index (RFC 3711 §3.4)
 * into the tail room. {@link #bufferSizeFor(int)} gives the array size for a packet of a given
 * length.
 *
 * <p>Debug mode records every outstanding buffer (with the stack of its {@code take}), detects a
 * buffer released twice or one that never came from this pool, counts both and refuses to pool
 * them, and overwrites released buffers with {@link #DEBUG_POISON} so that a use after release
 * shows up as garbage instead of silently reading the next owner's data. It costs a lock and an
 * allocation per take; use it in tests. Without debug mode a double release cannot be detected
 * and would hand the same array to two owners later.
 *
 * <p>Neither {@link #take} nor {@link #release} throws on the packet path (only a negative size,
 * which is a programming error, is rejected).
 *
 * <p>Thread-safety: all methods are safe to call from any thread. Counters are {@link LongAdder}s,
 * so {@link #stats()} is a consistent-enough snapshot, not an atomic one.
 */
public final class BufferPool {

    /** Free bytes before a packet, for prepending an RTX original sequence number (RFC 4588 §4). */
    public static final int HEAD_ROOM_BYTES = 16;

    /** Free bytes after a packet, for an SRTP/SRTCP authentication or GCM tag and the SRTCP index. */
    public static final int TAIL_ROOM_BYTES = 32;

    /**
     * Largest RTP/RTCP datagram we expect on the wire: WebRTC stacks keep packets below a 1500-byte
     * Ethernet MTU minus IP/UDP headers, so this bounds a receive buffer's packet area.
     */
    public static final int MAX_PACKET_BYTES = 1500;

    /**
     * Array sizes of the pooled tiers, ascending: small for audio and RTCP (an Opus packet is well
     * under 200 bytes); MTU-sized video packets, 1600 being {@code bufferSizeFor(MAX_PACKET_BYTES)}
     * (1548) rounded up; and a large tier for oversized control messages such as DTLS flights.
     */
    private static final int[] TIERS = {256, 1600, 8192};

    /** The pooled tier sizes in bytes, ascending (a copy; 256, 1600 and 8192). */
    public static final List<Integer> TIER_SIZES_BYTES = Arrays.stream(TIERS).boxed().toList();

    /** Requests above this many bytes are plain-allocated and never pooled. */
    public static final int LARGEST_TIER_BYTES = TIERS[TIERS.length - 1];

    /** Default number of free buffers kept per tier; releases beyond it are left to the GC. */
    public static final int DEFAULT_MAX_FREE_PER_TIER = 1024;

    /** Byte written over a released buffer in debug mode. */
    public static final byte DEBUG_POISON = (byte) 0xA5;

    private final Tier[] tiers;
    private final DebugTracker debug;

    private final LongAdder taken = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder allocated = new LongAdder();
    private final LongAdder outstanding = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final LongAdder doubleReleases = new LongAdder();
    private final LongAdder foreignReleases = new LongAdder();

    /** A pool with {@link #DEFAULT_MAX_FREE_PER_TIER} and debug mode off. */
    public BufferPool() {
        this(DEFAULT_MAX_FREE_PER_TIER, false);
    }

    /**
     * @param maxFreePerTier how many released buffers each tier keeps for reuse (at least 1)
     * @param debug          whether to track outstanding buffers and catch double or foreign releases
     * @throws IllegalArgumentException if {@code maxFreePerTier < 1}
     */
    public BufferPool(int maxFreePerTier, boolean debug) {
        if (maxFreePerTier < 1) {
            throw new IllegalArgumentException("maxFreePerTier must be >= 1: " + maxFreePerTier);
        }
        this.tiers = new Tier[TIERS.length];
        for (int i = 0; i < TIERS.length; i++) {
            tiers[i] = new Tier(TIERS[i], maxFreePerTier);
        }
        this.debug = debug ? new DebugTracker() : null;
    }

    /** The array size needed to hold a packet of {@code packetLength} bytes with head and tail room. */
    public static int bufferSizeFor(int packetLength) {
        return HEAD_ROOM_BYTES + packetLength + TAIL_ROOM_BYTES;
    }

    /**
     * Takes a buffer of at least {@code minSize} bytes. Its content is unspecified (a reused array
     * keeps old bytes). The caller owns it until it calls {@link #release}.
     *
     * @throws IllegalArgumentException if {@code minSize} is negative (a caller bug)
     */
    public byte[] take(int minSize) {
        if (minSize < 0) {
            throw new IllegalArgumentException("negative buffer size: " + minSize);
        }
        Tier tier = tierFor(minSize);
        byte[] buf = tier == null ? null : tier.free.poll();
        if (buf == null) {
            buf = new byte[tier == null ? minSize : tier.size];
            allocated.increment();
        }
        taken.increment();
        outstanding.increment();
        if (debug != null) {
            debug.onTake(buf);
        }
        return buf;
    }

    /**
     * Returns a buffer to the pool. The caller must not touch it afterwards. In debug mode a buffer
     * that is not outstanding is counted as a double or foreign release and ignored; a {@code null}
     * is always counted as foreign. Never throws.
     */
    public void release(byte[] buf) {
        if (buf == null) {
            foreignReleases.increment();
            return;
        }
        if (debug != null) {
            DebugTracker.Check check = debug.onRelease(buf);
            if (check == DebugTracker.Check.DOUBLE) {
                doubleReleases.increment();
                return;
            }
            if (check == DebugTracker.Check.FOREIGN) {
                foreignReleases.increment();
                return;
            }
            Arrays.fill(buf, DEBUG_POISON);
        }
        released.increment();
        outstanding.decrement();
        Tier tier = tierOfExactSize(buf.length);
        if (tier != null && !tier.free.offer(buf)) {
            discarded.increment();
        }
    }

    /** Whether this pool runs in debug mode. */
    public boolean isDebug() {
        return debug != null;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(taken.sum(), released.sum(), allocated.sum(), outstanding.sum(), discarded.sum(),
                doubleReleases.sum(), foreignReleases.sum());
    }

    /**
     * Detail for debugging: free buffers per tier and, in debug mode, where each outstanding
     * buffer was taken (empty otherwise). Allocates; not for the packet path.
     */
    public DebugState debugState() {
        Map<Integer, Integer> free = new LinkedHashMap<>();
        for (Tier tier : tiers) {
            free.put(tier.size, tier.free.size());
        }
        List<StackTraceElement[]> sites = debug == null ? List.of() : debug.outstandingTakeSites();
        return new DebugState(debug != null, Map.copyOf(free), sites);
    }

    private Tier tierFor(int size) {
        for (Tier tier : tiers) {
            if (size <= tier.size) {
                return tier;
            }
        }
        return null;
    }

    private Tier tierOfExactSize(int size) {
        for (Tier tier : tiers) {
            if (size == tier.size) {
                return tier;
            }
        }
        return null;
    }

    /**
     * Counter snapshot.
     *
     * @param taken           buffers handed out by {@link #take}
     * @param released        buffers accepted back by {@link #release}
     * @param allocated       arrays created because no free one fitted (pooled tiers and oversized)
     * @param outstanding     taken but not yet released; should return to its baseline when idle
     * @param discarded       released buffers dropped because their tier was full
     * @param doubleReleases  releases of a buffer already released (debug mode only)
     * @param foreignReleases releases of {@code null} or (debug mode) of a buffer not from this pool
     */
    public record Stats(long taken, long released, long allocated, long outstanding, long discarded,
                        long doubleReleases, long foreignReleases) {
    }

    /**
     * Debugging detail.
     *
     * @param debugEnabled         whether debug tracking is on
     * @param freeByTierBytes      free buffers kept per tier size
     * @param outstandingTakeSites the {@code take} stack of every outstanding buffer (debug mode)
     */
    public record DebugState(boolean debugEnabled, Map<Integer, Integer> freeByTierBytes,
                             List<StackTraceElement[]> outstandingTakeSites) {
    }

    /** One size tier: a bounded queue of free arrays (ArrayBlockingQueue allocates nothing per offer). */
    private static final class Tier {
        final int size;
        final ArrayBlockingQueue<byte[]> free;

        Tier(int size, int capacity) {
            this.size = size;
            this.free = new ArrayBlockingQueue<>(capacity);
        }
    }

    /**
     * Debug bookkeeping. Arrays compare by identity, so they are safe keys. Released arrays are held
     * weakly: a plain-allocated one released twice is still recognised as long as it is reachable.
     */
    private static final class DebugTracker {
        enum Check { OK, DOUBLE, FOREIGN }

        private final Map<byte[], Throwable> outstanding = new IdentityHashMap<>();
        private final Map<byte[], Boolean> released = new WeakHashMap<>();

        synchronized void onTake(byte[] buf) {
            released.remove(buf);
            outstanding.put(buf, new Throwable("buffer taken here"));
        }

        synchronized Check onRelease(byte[] buf) {
            if (outstanding.remove(buf) != null) {
                released.put(buf, Boolean.TRUE);
                return Check.OK;
            }
            return released.containsKey(buf) ? Check.DOUBLE : Check.FOREIGN;
        }

        synchronized List<StackTraceElement[]> outstandingTakeSites() {
            List<StackTraceElement[]> sites = new ArrayList<>(outstanding.size());
            for (Throwable t : outstanding.values()) {
                sites.add(t.getStackTrace());
            }
            return List.copyOf(sites);
        }
    }
}
