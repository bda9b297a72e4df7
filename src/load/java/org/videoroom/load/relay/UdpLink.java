package org.videoroom.load.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.videoroom.load.ClientLink;

/**
 * A synthetic participant's plain UDP path to the raw relay: one socket on a loopback address, connected to the
 * relay's port, and one reader thread.
 *
 * <p>Thread-safety: {@link #send} from any thread (the channel serializes writes).
 */
public final class UdpLink implements ClientLink {

    private static final int MAX_DATAGRAM = 2048;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private volatile Thread reader;

    public UdpLink(String bindAddress, InetSocketAddress relay) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(bindAddress, 0));
        channel.connect(relay);
        local = (InetSocketAddress) channel.getLocalAddress();
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void start(Receiver receiver) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[MAX_DATAGRAM];
            ByteBuffer buffer = ByteBuffer.wrap(buf);
            while (channel.isOpen()) {
                buffer.clear();
                try {
                    channel.read(buffer);
                } catch (IOException e) {
                    return;
                }
                receiver.onDatagram(buf, 0, buffer.position(), System.nanoTime());
            }
        }, "relay-link-" + local.getPort());
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        channel.write(ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        Thread t = reader;
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
