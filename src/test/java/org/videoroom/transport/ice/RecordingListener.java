package org.videoroom.transport.ice;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what an {@link IceTransport} reports, for tests to await. Thread-safe. */
final class RecordingListener implements IceTransport.Listener {

    final CompletableFuture<IceSelectedPair> connected = new CompletableFuture<>();
    final CompletableFuture<IceFailureReason> failed = new CompletableFuture<>();
    final CompletableFuture<Boolean> consentExpired = new CompletableFuture<>();
    private final BlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();

    @Override
    public void onIceConnected(IceSelectedPair selectedPair) {
        connected.complete(selectedPair);
    }

    @Override
    public void onIceFailed(IceFailureReason reason) {
        failed.complete(reason);
    }

    @Override
    public void onIceConsentExpired() {
        consentExpired.complete(true);
    }

    @Override
    public void onPacket(byte[] buf, int off, int len, long arrivalNanos) {
        // The transport reuses buf after we return, so keep a copy.
        packets.add(Arrays.copyOfRange(buf, off, off + len));
    }

    byte[] poll(Duration timeout) throws InterruptedException {
        return packets.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
