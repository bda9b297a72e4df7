package org.videoroom.load.relay;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import org.videoroom.rtp.PacketClassifier;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * The raw-limit baseline the SFU is measured against: the least a forwarder of encrypted media must do. One UDP
 * port, one thread; each datagram from a registered participant is decrypted once, and each packet of a forwarded
 * SSRC is encrypted and sent once per other member of its room. No ICE, DTLS, RTCP, rewriting, history, pacing or
 * bandwidth estimation: keys are given at registration (the load tool holds both ends), and the rooms are fixed.
 *
 * <p>What the JDK allocates per datagram is left: {@link DatagramChannel#receive} returns a new
 * {@link InetSocketAddress} for the source. The SFU's ice4j path allocates at least as much, so the comparison
 * stays fair.
 *
 * <p>Thread-safety: register participants before {@link #start}; counters and {@link #cpuNanos} from any thread.
 */
public final class RawRelay implements AutoCloseable {

    private static final int MAX_DATAGRAM = 2048;

    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final Map<SocketAddress, Member> members = new ConcurrentHashMap<>();
    private final Map<String, List<Member>> rooms = new ConcurrentHashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile Thread thread;
    private volatile boolean running = true;

    private volatile long received;
    private volatile long forwarded;
    private volatile long dropped;

    private record Member(String room, InetSocketAddress address, SrtpSession srtp, IntPredicate forwarded) {
    }

    /** Binds the relay's one port on {@code bind} (port 0: any free one). */
    public RawRelay(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(bind);
        address = (InetSocketAddress) channel.getLocalAddress();
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Registers a participant by its source address. The relay decrypts what it sends and encrypts what it gets
     * with {@code keys} in the server's role; {@code forwardedSsrcs} picks which of its streams the others get.
     */
    public void addParticipant(String room, InetSocketAddress source, SrtpKeyingMaterial keys,
                               IntPredicate forwardedSsrcs) {
        Member member = new Member(room, source, SrtpSession.forServer(keys, SrtpConfig.DEFAULT), forwardedSsrcs);
        members.put(source, member);
        rooms.computeIfAbsent(room, r -> new ArrayList<>()).add(member);
    }

    public void start() {
        Thread t = new Thread(this::loop, "raw-relay");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        byte[] in = new byte[MAX_DATAGRAM];
        byte[] out = new byte[MAX_DATAGRAM + SrtpSession.MAX_TAIL_ROOM];
        ByteBuffer inBuffer = ByteBuffer.wrap(in);
        ByteBuffer outBuffer = ByteBuffer.wrap(out);
        while (running) {
            SocketAddress source;
            inBuffer.clear();
            try {
                source = channel.receive(inBuffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                dropped++;
                continue;
            }
            received++;
            int len = inBuffer.position();
            Member from = members.get(source);
            if (from == null || !PacketClassifier.looksLikeRtp(in, 0, len)) {
                dropped++; // unknown sender, or RTCP: the relay has no RTCP logic
                continue;
            }
            int plain = from.srtp().decryptRtp(in, 0, len);
            if (plain < 0) {
                dropped++;
                continue;
            }
            int ssrc = ((in[8] & 0xFF) << 24) | ((in[9] & 0xFF) << 16) | ((in[10] & 0xFF) << 8) | (in[11] & 0xFF);
            if (!from.forwarded().test(ssrc)) {
                dropped++;
                continue;
            }
            for (Member to : rooms.get(from.room())) {
                if (to == from) {
                    continue;
                }
                System.arraycopy(in, 0, out, 0, plain);
                int n = to.srtp().encryptRtp(out, 0, plain);
                if (n < 0) {
                    dropped++;
                    continue;
                }
                outBuffer.clear().limit(n);
                try {
                    channel.send(outBuffer, to.address());
                    forwarded++;
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    dropped++;
                }
            }
        }
    }

    public long received() {
        return received;
    }

    public long forwarded() {
        return forwarded;
    }

    public long dropped() {
        return dropped;
    }

    /** CPU time of the relay's thread so far: the relay's whole cost. */
    public long cpuNanos() {
        Thread t = thread;
        return t == null ? 0 : Math.max(0, threads.getThreadCpuTime(t.threadId()));
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Member m : members.values()) {
            m.srtp().close();
        }
    }
}
