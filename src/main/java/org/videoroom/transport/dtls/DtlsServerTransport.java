package org.videoroom.transport.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;

/**
 * The DTLS server side of one participant's DTLS-SRTP association (RFC 5764): the SFU answers
 * {@code a=setup:passive}, the browser connects, and the result is the SRTP keying material.
 *
 * <h2>Wiring</h2>
 * The caller demultiplexes DTLS datagrams (first byte 20..63, RFC 7983 §7) from the participant's
 * ICE 5-tuple and hands them to {@link #receive}; this class copies them into a bounded queue and
 * returns at once. Records to send leave through the {@link Sender}. Bouncy Castle's handshake
 * blocks, so {@link #start()} runs it as one task on the caller's {@link Executor}; that task ends
 * with the handshake, but holds its thread for up to {@link DtlsConfig#handshakeTimeout()}, so the
 * executor should not be a serial one that other work of the participant waits on. Datagrams
 * arriving later (a client retransmitting its last flight because our Finished was lost, a
 * close_notify, ignored application data) are processed by short tasks on the same executor, so
 * no thread stays parked for the life of the connection.
 *
 * <h2>Outcome</h2>
 * Exactly one of {@link Listener#onDtlsConnected} or {@link Listener#onDtlsFailed} is called for a
 * started handshake unless {@link #close()} comes first; {@link Listener#onDtlsClosed} follows a
 * connection when the peer sends close_notify. Once {@link #close()} has returned no callback
 * starts. Callbacks run on an executor thread; a listener that throws is logged and otherwise
 * ignored.
 *
 * <p>Set the remote fingerprint(s) from the peer's SDP before the client's certificate arrives,
 * in practice before {@link #start()}.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe. {@link #receive} may be called from the demultiplexer thread concurrently with
 * everything else; {@link #close()} from any thread. The {@link Sender} is called from executor
 * threads and from the thread calling {@link #close()} (for the close_notify), never concurrently
 * with itself after the handshake; it must not block.
 */
public final class DtlsServerTransport implements AutoCloseable {
    /** Datagrams longer than this are dropped on arrival; no DTLS record of a WebRTC peer is. */
    public static final int MAX_DATAGRAM_BYTES = 2048;

    /** Where DTLS records go: normally the participant's ICE socket. Must not block; must not throw. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] buf, int off, int len);
    }

    /** The handshake's outcome and the connection's end. */
    public interface Listener {
        /**
         * The handshake completed: the client's certificate matched its fingerprint and SRTP keys
         * were exported. {@code profile} is {@code keyingMaterial.profile()}.
         */
        void onDtlsConnected(SrtpProfile profile, SrtpKeyingMaterial keyingMaterial);

        /** The handshake failed or the peer sent a fatal alert; no keys (or no more keys) exist. */
        void onDtlsFailed(DtlsException cause);

        /** The peer closed the connection with close_notify. */
        void onDtlsClosed();
    }

    private static final System.Logger LOGGER = System.getLogger(DtlsServerTransport.class.getName());
    /** Bouncy Castle's receive wait when draining datagrams after the handshake. */
    private static final int DRAIN_WAIT_MILLIS = 1;

    private final DtlsConfig config;
    private final Listener listener;
    private final Executor executor;
    private final String logPrefix;
    private final DatagramQueue datagrams;
    private final DtlsSrtpServer server;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong datagramsReceived = new AtomicLong();
    private final AtomicLong oversizedDropped = new AtomicLong();
    private final AtomicLong applicationDataIgnored = new AtomicLong();
    /** Serializes record-layer use after the handshake: the drain task and close(). */
    private final Object recordLock = new Object();

    private volatile List<Fingerprint> remoteFingerprints = List.of();
    private volatile DtlsTransportState state = DtlsTransportState.NEW;
    private volatile DTLSTransport connection;

    /**
     * @param certificate the SFU's certificate (shared by all transports)
     * @param config      timeouts, MTU and SRTP profiles
     * @param sender      where outgoing records go
     * @param listener    told the outcome
     * @param executor    runs the blocking handshake and the later datagram processing
     * @param logPrefix   prepended to log lines, e.g. {@code "[room r1 participant p7] "}
     */
    public DtlsServerTransport(DtlsCertificate certificate, DtlsConfig config, Sender sender, Listener listener,
                               Executor executor, String logPrefix) {
        Objects.requireNonNull(certificate, "certificate");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.logPrefix = Objects.requireNonNull(logPrefix, "logPrefix");
        this.datagrams = new DatagramQueue(config.receiveQueueCapacity(), config.mtu(),
                Objects.requireNonNull(sender, "sender"), LOGGER, logPrefix);
        this.server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), certificate, config,
                () -> remoteFingerprints, LOGGER, logPrefix);
    }

    /**
     * Sets the fingerprints of the peer's {@code a=fingerprint} attributes (RFC 8122 allows
     * several). The client's certificate must match one of those of the strongest hash function.
     *
     * @throws DtlsException with {@link DtlsException.Reason#INVALID_FINGERPRINT} for a hash function other
     *                       than the SHA family
     */
    public void setRemoteFingerprints(Collection<Fingerprint> fingerprints) {
        List<Fingerprint> copy = List.copyOf(fingerprints);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one fingerprint is needed");
        }
        for (Fingerprint fingerprint : copy) {
            if (!DtlsSrtpServer.supported(fingerprint)) {
                throw new DtlsException(DtlsException.Reason.INVALID_FINGERPRINT,
                        "unsupported hash function " + fingerprint.hashFunction());
            }
        }
        this.remoteFingerprints = copy;
    }

    /** Shorthand for a single {@code a=fingerprint}. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        setRemoteFingerprints(List.of(fingerprint));
    }

    /**
     * Starts the handshake on the executor; the handshake timeout counts from here.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("DTLS transport already started or closed");
        }
        state = DtlsTransportState.CONNECTING;
        datagrams.setDeadline(System.nanoTime() + config.handshakeTimeout().toNanos());
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            fail(new DtlsException(DtlsException.Reason.HANDSHAKE_FAILED, "executor rejected the handshake", e));
        }
    }

    /**
     * Takes one DTLS datagram from the network; copies it and returns without blocking. Datagrams
     * arriving before {@link #start()} are kept (up to the queue capacity) for the handshake.
     */
    public void receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        datagramsReceived.incrementAndGet();
        if (len > MAX_DATAGRAM_BYTES) {
            oversizedDropped.incrementAndGet();
            return;
        }
        if (datagrams.offer(buf, off, len) && state == DtlsTransportState.CONNECTED) {
            scheduleDrain();
        }
    }

    public DtlsTransportState state() {
        return state;
    }

    public DtlsStats stats() {
        return new DtlsStats(datagramsReceived.get(), datagrams.dropped() + oversizedDropped.get(),
                applicationDataIgnored.get());
    }

    /**
     * Ends the association: sends close_notify if connected, stops a running handshake (its
     * thread returns within milliseconds) and drops queued datagrams. No listener call follows.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DtlsTransportState.CLOSED;
        // Under the lock, so a handshake completing right now either sees closed and closes its
        // connection itself, or has published it and it is closed here.
        synchronized (recordLock) {
            DTLSTransport established = connection;
            if (established != null) {
                closeQuietly(established);
            }
        }
        datagrams.close();
    }

    private void runHandshake() {
        DTLSTransport established;
        try {
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            // The 5-tuple already passed ICE connectivity checks (RFC 8445 §7), the
            // return-routability proof a HelloVerifyRequest cookie (RFC 6347 §4.2.1) would give;
            // skipping it saves a round trip.
            protocol.setVerifyRequests(false);
            established = protocol.accept(server, datagrams);
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                fail(classify(e));
            }
            return;
        }
        datagrams.clearDeadline();
        SrtpKeyingMaterial keys = server.keyingMaterial();
        synchronized (recordLock) {
            if (closed.get()) {
                closeQuietly(established);
                return;
            }
            connection = established;
            state = DtlsTransportState.CONNECTED;
        }
        LOGGER.log(System.Logger.Level.DEBUG, () -> logPrefix + "DTLS connected, " + keys.profile());
        if (!closed.get()) {
            notifyListener(() -> listener.onDtlsConnected(keys.profile(), keys));
        }
        // Datagrams that arrived while the handshake was finishing saw no CONNECTED state.
        if (!datagrams.isEmpty()) {
            scheduleDrain();
        }
    }

    private DtlsException classify(Exception e) {
        if (datagrams.deadlinePassed() || e instanceof TlsTimeoutException) {
            return new DtlsException(DtlsException.Reason.HANDSHAKE_TIMEOUT,
                    "no DTLS handshake within " + config.handshakeTimeout(), e);
        }
        DtlsException own = server.failure();
        if (own != null) {
            own.addSuppressed(e);
            return own;
        }
        if (e instanceof TlsFatalAlertReceived) {
            return new DtlsException(DtlsException.Reason.ALERT_RECEIVED, "peer sent a fatal alert", e);
        }
        return new DtlsException(DtlsException.Reason.HANDSHAKE_FAILED, "DTLS handshake failed", e);
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                LOGGER.log(System.Logger.Level.DEBUG, () -> logPrefix + "executor rejected DTLS drain", e);
            }
        }
    }

    /**
     * Runs queued datagrams through the record layer: Bouncy Castle answers retransmitted client
     * flights and handles alerts inside {@code receive}; application data comes back and is dropped.
     */
    private void drain() {
        byte[] scratch = new byte[MAX_DATAGRAM_BYTES];
        do {
            while (!datagrams.isEmpty() && !closed.get()) {
                DTLSTransport established = connection;
                try {
                    int length;
                    synchronized (recordLock) {
                        length = established.receive(scratch, 0, scratch.length, DRAIN_WAIT_MILLIS);
                    }
                    if (length >= 0) {
                        applicationDataIgnored.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    if (!closed.get() && !server.closeNotifyReceived()) {
                        fail(e instanceof TlsFatalAlertReceived
                                ? new DtlsException(DtlsException.Reason.ALERT_RECEIVED, "peer sent a fatal alert", e)
                                : new DtlsException(DtlsException.Reason.HANDSHAKE_FAILED, "DTLS record layer failed", e));
                        return;
                    }
                }
                if (server.closeNotifyReceived()) {
                    peerClosed();
                    return;
                }
            }
            drainScheduled.set(false);
            // A datagram offered after the loop's last isEmpty() but before the flag cleared found
            // the flag set and scheduled nothing; take it now.
        } while (!datagrams.isEmpty() && !closed.get() && drainScheduled.compareAndSet(false, true));
    }

    private void peerClosed() {
        if (closed.compareAndSet(false, true)) {
            state = DtlsTransportState.CLOSED;
            datagrams.close();
            notifyListener(listener::onDtlsClosed);
        }
    }

    private void fail(DtlsException cause) {
        if (closed.compareAndSet(false, true)) {
            state = DtlsTransportState.FAILED;
            datagrams.close();
            LOGGER.log(System.Logger.Level.INFO, () -> logPrefix + "DTLS failed: " + cause.reason() + ": "
                    + cause.getMessage());
            notifyListener(() -> listener.onDtlsFailed(cause));
        }
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, () -> logPrefix + "DTLS listener threw", e);
        }
    }

    private void closeQuietly(DTLSTransport established) {
        try {
            established.close();
        } catch (IOException | RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, () -> logPrefix + "DTLS close failed", e);
        }
    }
}
