package org.videoroom.transport.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;

/** Records what a {@link DtlsServerTransport} reports. */
final class RecordingListener implements DtlsServerTransport.Listener {
    final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
    final CompletableFuture<DtlsException> failed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void onDtlsConnected(SrtpProfile profile, SrtpKeyingMaterial keyingMaterial) {
        calls.incrementAndGet();
        if (profile != keyingMaterial.profile()) {
            connected.completeExceptionally(new AssertionError("profile " + profile + " vs " + keyingMaterial));
        }
        connected.complete(keyingMaterial);
    }

    @Override
    public void onDtlsFailed(DtlsException cause) {
        calls.incrementAndGet();
        failed.complete(cause);
    }

    @Override
    public void onDtlsClosed() {
        calls.incrementAndGet();
        closed.complete(null);
    }
}
