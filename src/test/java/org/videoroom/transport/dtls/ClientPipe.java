package org.videoroom.transport.dtls;

import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bouncycastle.tls.DatagramTransport;

/**
 * The test client's end of an in-memory datagram link: what the server's {@link
 * DtlsServerTransport.Sender} emits lands in {@link #deliver}, and what the client sends goes to
 * {@code toServer} (normally {@link DtlsServerTransport#receive}). No sockets.
 */
final class ClientPipe implements DatagramTransport {
    private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    private volatile Consumer<byte[]> toServer;

    void connectTo(Consumer<byte[]> toServer) {
        this.toServer = toServer;
    }

    /** Used as the server's Sender. */
    void deliver(byte[] buf, int off, int len) {
        inbound.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public int getReceiveLimit() {
        return DtlsServerTransport.MAX_DATAGRAM_BYTES;
    }

    @Override
    public int getSendLimit() {
        return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        try {
            byte[] datagram = inbound.poll(Math.max(waitMillis, 1), TimeUnit.MILLISECONDS);
            if (datagram == null) {
                return -1;
            }
            int length = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, length);
            return length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        toServer.accept(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {
    }
}
