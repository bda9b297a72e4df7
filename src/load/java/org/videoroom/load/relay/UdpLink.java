package org.videoroom.load.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.videoroom.load.ClientLink;

/**
 * A synthetic participant's plain UDP path to the raw relay: one socket on a loopback address, connected to the
 * relay's port (so the kernel drops datagrams from anyone else), and one reader thread.
 *
 * <p>Thread-safety: {@link #send} from any thread (the channel serializes writes); the rest from any thread.
 */
public final class UdpLink implements ClientLink {

    private static final int MAX_DATAGRAM = 2048;
    private static final long JOIN_MILLIS = 1000;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Thread reader;
    private volatile long receiverFailures;

    static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

    /** Binds {@code bindAddress}:0 and connects to {@code relay}. */
    public UdpLink(String bindAddress, InetSocketAddress relay) throws IOException {
        channel = DatagramChannel.open();
        try {
            // A subscriber gets every other participant's streams; the default 208 KiB drops keyframe bursts.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.connect(relay);
            local = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The source address the relay sees, to register the participant by. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** @throws IllegalStateException on a second call */
    @Override
    public void start(Receiver receiver) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("started already");
        }
        Thread t = new Thread(() -> read(receiver), "relay-link-" + local.getPort());
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    private void read(Receiver receiver) {
        byte[] buf = new byte[MAX_DATAGRAM];
        ByteBuffer buffer = ByteBuffer.wrap(buf);
        while (true) {
            buffer.clear();
            try {
                channel.read(buffer);
            } catch (PortUnreachableException e) {
                continue; // an ICMP error for an earlier send (the relay not up yet, or gone): not fatal
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
                continue;
            }
            try {
                receiver.onDatagram(buf, 0, buffer.position(), System.nanoTime());
            } catch (RuntimeException e) {
                receiverFailures++; // one bad datagram must not end the participant's reception
            }
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        channel.write(ByteBuffer.wrap(buf, off, len));
    }

    /** Datagrams whose receiver threw; they are skipped, not fatal. */
    public long receiverFailures() {
        return receiverFailures;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // freed anyway
        }
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
