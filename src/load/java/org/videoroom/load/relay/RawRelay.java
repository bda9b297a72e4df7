package org.videoroom.load.relay;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.videoroom.rtp.PacketClassifier;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * The raw-limit baseline the SFU is measured against: the least a forwarder of encrypted media must do. One UDP
 * port, one thread; each datagram from a registered participant is decrypted once, and each packet of a forwarded
 * SSRC is encrypted and sent once per other member of its room. No ICE, DTLS, RTCP, rewriting, history, pacing or
 * bandwidth estimation: keys are given at registration (the load tool holds both ends), and members stay.
 *
 * <p>What the packet path still allocates is the JDK's: {@link DatagramChannel#receive} returns the source as an
 * {@link InetSocketAddress}, a new one (with its {@code InetAddress}) whenever the source differs from the
 * previous datagram's, so about one per datagram once several publishers interleave. There is no other way to
 * learn the source on one unconnected channel. The SFU's ice4j path allocates at least as much per datagram, so
 * the comparison stays fair; the resulting GC runs on other threads and is not in {@link #cpuNanos}. The heap
 * buffers cost the JDK one copy through its cached direct buffer each way, a copy the relay would otherwise make
 * itself, since {@link SrtpSession} works on arrays.
 *
 * <p>Thread-safety: {@link #addParticipant}, {@link #start} and {@link #close} from any thread (registration may
 * go on while media flows); counters and {@link #cpuNanos} from any thread.
 */
public final class RawRelay implements AutoCloseable {

    /** Larger datagrams arrive truncated, fail to authenticate and are dropped. */
    private static final int MAX_DATAGRAM = 2048;
    private static final long JOIN_MILLIS = 2000;

    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Guards registration and start; the relay thread only reads {@link #members} and each room's array. */
    private final Object lock = new Object();
    private final Map<String, Room> rooms = new HashMap<>();
    private final List<SrtpSession> sessions = new ArrayList<>();
    private volatile SourceTable<Member> members = SourceTable.empty();
    private volatile Thread thread;
    /** The relay thread's CPU time, taken by itself as it ends (the MXBean has none for a dead thread); or -1. */
    private volatile long finalCpuNanos = -1;

    // Written by the relay thread alone.
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private static final class Room {
        volatile Member[] members = new Member[0];
    }

    private record Member(InetSocketAddress source, SrtpSession srtp, IntPredicate forwardedSsrcs, Room room) {
    }

    static final int RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

    /** Binds the relay's one port on {@code bind} (port 0: any free one). */
    public RawRelay(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        try {
            // As large as the SFU's socket (ice4j.harvest.udp.receive-buffer-size): bursts of keyframes from many
            // publishers at once overflow the default 208 KiB, and the baseline would lose what the SFU keeps.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(bind);
            address = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Registers a participant by the source address of its datagrams. The relay decrypts what it sends and
     * encrypts what it gets with {@code keys} in the server's role; {@code forwardedSsrcs} picks which of its
     * streams the others get (called on the relay thread, so it must be cheap and must not allocate).
     *
     * @throws IllegalArgumentException if {@code source} is registered already
     * @throws IllegalStateException    if the relay is closed
     */
    public void addParticipant(String room, InetSocketAddress source, SrtpKeyingMaterial keys,
                               IntPredicate forwardedSsrcs) {
        synchronized (lock) {
            if (closed.get()) {
                throw new IllegalStateException("relay closed");
            }
            if (members.get(source) != null) {
                throw new IllegalArgumentException("already registered: " + source);
            }
            Room r = rooms.computeIfAbsent(room, name -> new Room());
            SrtpSession srtp = SrtpSession.forServer(keys, SrtpConfig.DEFAULT);
            Member member = new Member(source, srtp, forwardedSsrcs, r);
            sessions.add(srtp);
            // Into its room first: once the sender is known, its room already includes it.
            Member[] current = r.members;
            Member[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = member;
            r.members = next;
            members = members.with(source, member);
        }
    }

    /**
     * Starts the relay thread.
     *
     * @throws IllegalStateException if started before, or closed
     */
    public void start() {
        synchronized (lock) {
            if (closed.get() || thread != null) {
                throw new IllegalStateException(closed.get() ? "relay closed" : "relay started already");
            }
            Thread t = new Thread(this::run, "raw-relay-" + address.getPort());
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    private void run() {
        byte[] in = new byte[MAX_DATAGRAM];
        byte[] out = new byte[MAX_DATAGRAM + SrtpSession.MAX_TAIL_ROOM];
        ByteBuffer inBuffer = ByteBuffer.wrap(in);
        ByteBuffer outBuffer = ByteBuffer.wrap(out);
        try {
            while (true) {
                inBuffer.clear();
                SocketAddress source;
                try {
                    source = channel.receive(inBuffer);
                } catch (ClosedChannelException e) {
                    return; // close(), which AsynchronousCloseException also means
                } catch (IOException e) {
                    count(dropped);
                    continue;
                }
                count(received);
                try {
                    relay(source, in, inBuffer.position(), out, outBuffer);
                } catch (ClosedChannelException e) {
                    return;
                } catch (RuntimeException e) {
                    count(dropped); // e.g. a participant's predicate: counted, and the others go on
                }
            }
        } finally {
            finalCpuNanos = Math.max(0, threads.getCurrentThreadCpuTime());
        }
    }

    private void relay(SocketAddress source, byte[] in, int len, byte[] out, ByteBuffer outBuffer)
            throws ClosedChannelException {
        Member from = members.get(source);
        // Unknown sender, or not RTP: RTCP (RFC 5761 §4 packet types 192..223) is dropped, the relay has no RTCP logic.
        if (from == null || !PacketClassifier.looksLikeRtp(in, 0, len)) {
            count(dropped);
            return;
        }
        int plain = from.srtp().decryptRtp(in, 0, len);
        if (plain < 0) {
            count(dropped);
            return;
        }
        int ssrc = ((in[8] & 0xFF) << 24) | ((in[9] & 0xFF) << 16) | ((in[10] & 0xFF) << 8) | (in[11] & 0xFF);
        if (!from.forwardedSsrcs().test(ssrc)) {
            count(dropped);
            return;
        }
        for (Member to : from.room().members) {
            if (to == from) {
                continue;
            }
            System.arraycopy(in, 0, out, 0, plain);
            int n = to.srtp().encryptRtp(out, 0, plain);
            if (n < 0) {
                count(dropped);
                continue;
            }
            outBuffer.clear().limit(n);
            try {
                channel.send(outBuffer, to.source());
                count(forwarded);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                count(dropped);
            }
        }
    }

    /** One writer: a release store publishes the count without a locked read-modify-write per packet. */
    private static void count(AtomicLong counter) {
        counter.setRelease(counter.getPlain() + 1);
    }

    /** Datagrams received, whatever became of them. */
    public long received() {
        return received.get();
    }

    /** Datagrams sent to subscribers. */
    public long forwarded() {
        return forwarded.get();
    }

    /**
     * Datagrams received that went nowhere (unknown sender, not RTP, failed to decrypt, stream not forwarded,
     * a receive error), plus copies that failed to encrypt or send.
     */
    public long dropped() {
        return dropped.get();
    }

    /** CPU time of the relay's thread so far, the relay's whole cost; kept after {@link #close}. */
    public long cpuNanos() {
        long done = finalCpuNanos;
        if (done >= 0) {
            return done;
        }
        Thread t = thread;
        if (t == null) {
            return 0;
        }
        long now = threads.getThreadCpuTime(t.threadId());
        return now >= 0 ? now : Math.max(0, finalCpuNanos); // -1: it has just ended
    }

    /** Stops the relay thread, frees the port and the SRTP sessions; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close(); // wakes the blocked receive
        } catch (IOException e) {
            // freed anyway
        }
        Thread t;
        List<SrtpSession> toClose;
        synchronized (lock) {
            t = thread;
            toClose = List.copyOf(sessions);
        }
        if (t != null) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SrtpSession s : toClose) {
            s.close();
        }
    }
}
