package org.videoroom.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a {@link PeerTransport} reports, for tests to await. Packets are copied, since the
 * transport reuses its receive buffer once a callback returns. Thread-safe.
 */
final class RecordingPeerListener implements PeerTransport.Listener {

    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<String> failed = new CompletableFuture<>();
    final AtomicInteger connectedCalls = new AtomicInteger();
    final AtomicInteger failedCalls = new AtomicInteger();
    private final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();

    @Override
    public void onTransportConnected() {
        connectedCalls.incrementAndGet();
        connected.complete(null);
    }

    @Override
    public void onTransportFailed(String reason) {
        failedCalls.incrementAndGet();
        failed.complete(reason);
    }

    @Override
    public void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
        rtp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        rtcp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    byte[] pollRtp(Duration timeout) throws InterruptedException {
        return rtp.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    byte[] pollRtcp(Duration timeout) throws InterruptedException {
        return rtcp.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Packets delivered and not yet polled. */
    int pendingPackets() {
        return rtp.size() + rtcp.size();
    }
}
