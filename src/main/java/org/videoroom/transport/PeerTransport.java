package org.videoroom.transport;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.videoroom.rtp.PacketClassifier;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.dtls.DtlsException;
import org.videoroom.transport.dtls.DtlsServerTransport;
import org.videoroom.transport.dtls.DtlsTransportState;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.transport.ice.IceFailureReason;
import org.videoroom.transport.ice.IceSelectedPair;
import org.videoroom.transport.ice.IceSendStatus;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.ice.IceTransport;
import org.videoroom.transport.ice.RemoteCandidateResult;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * One participant's WebRTC transport: ICE (the shared UDP port) → DTLS handshake → SRTP/SRTCP, with the RFC 7983
 * demultiplexing of what arrives on the selected pair. Received RTP and RTCP are decrypted once, in place in the
 * ICE receive buffer, and handed to the {@link Listener} before the buffer is reused. SRTP and SRTCP that overtake
 * the keys (the browser may send the moment its handshake ends, before our handshake thread has installed them) are
 * held, boundedly, and delivered in arrival order just before the next datagram. Outgoing packets are
 * encrypted in place in the caller's buffer, which must have {@link SrtpSession#MAX_TAIL_ROOM} free bytes after
 * the packet.
 *
 * <p>An ICE restart ({@link #prepareIceRestart}, {@link #restartIce}) replaces the ICE transport and keeps DTLS and
 * SRTP: the browser's new credentials get a new agent (and local ufrag) on the same shared port, the old agent is
 * closed when the new one starts (ice4j routes a known remote address to its session, so a restart from the same
 * address could not reach a new agent while the old one lives), and packets flow again once the new pair is
 * selected.
 *
 * <p>Thread-safety: the receive path runs on the current ICE transport's reader thread; {@link #sendRtp} and
 * {@link #sendRtcp} may be called from any thread (the SRTP session serializes each direction); control methods
 * are thread-safe. Lifecycle events arrive on the event executor.
 */
public final class PeerTransport implements AutoCloseable {

    /** Decrypted packets and lifecycle events of one transport. */
    public interface Listener {
        /** ICE, DTLS and SRTP are up: media may flow both ways. */
        void onTransportConnected();

        /** An ICE restart connected: media flows again over the new pair, under the same DTLS session. */
        default void onIceRestarted() {
        }

        /** The transport is gone for good (ICE failed, consent expired, DTLS failed or closed). */
        void onTransportFailed(String reason);

        /**
         * A decrypted RTP packet that reached the socket at {@code arrivalNanos} ({@link System#nanoTime()});
         * the bytes are valid only until this returns.
         */
        void onRtp(byte[] buf, int off, int len, long arrivalNanos);

        /** A decrypted (compound) RTCP packet; the bytes are valid only until this returns. */
        void onRtcp(byte[] buf, int off, int len);
    }

    /**
     * Counters of the demux and SRTP stages; a snapshot. {@code beforeKeysDropped} counts SRTP/SRTCP that never met
     * keys: it arrived after DTLS failed, or while the early-packet buffer was full.
     */
    public record Stats(long rtpReceived, long rtcpReceived, long dtlsReceived, long unknownDropped,
                        long beforeKeysDropped, long srtpDropped, long srtcpDropped, long rtpSent, long rtcpSent,
                        long sendDropped) {
    }

    private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());
    /** SRTP/SRTCP datagrams held for the keys; a burst of a few milliseconds of video fits. */
    private static final int EARLY_PACKETS_MAX = 64;
    /** The ICE reader's receive buffer size: no datagram it hands over is longer. */
    private static final int EARLY_PACKET_MAX_BYTES = 1500;

    // Created here.
    /** The current ICE transport; replaced by an ICE restart (under this object's lock). */
    private volatile IceTransport ice;
    /** Prepared for an ICE restart whose answer is being written, not started yet; guarded by this. */
    private IceTransport restarting;
    private final IceServer iceServer;
    private final String id;
    private final Executor eventExecutor;
    private final LongAdder iceRestarts = new LongAdder();
    private final Object receiveLock = new Object();
    private final DtlsServerTransport dtls;
    private final Listener listener;
    private final SrtpConfig srtpConfig;
    private final String logPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile SrtpSession srtp;
    /** Reader thread only. */
    private final EarlyPacketBuffer early = new EarlyPacketBuffer(EARLY_PACKETS_MAX, EARLY_PACKET_MAX_BYTES);

    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder dtlsReceived = new LongAdder();
    private final LongAdder unknownDropped = new LongAdder();
    private final LongAdder beforeKeysDropped = new LongAdder();
    private final LongAdder srtpDropped = new LongAdder();
    private final LongAdder srtcpDropped = new LongAdder();
    private final LongAdder rtpSent = new LongAdder();
    private final LongAdder rtcpSent = new LongAdder();
    private final LongAdder sendDropped = new LongAdder();

    /**
     * @param id             identifies the transport in logs and to ICE (e.g. the participant id)
     * @param eventExecutor  runs lifecycle callbacks
     * @param handshakes     runs the blocking DTLS handshake (a thread for up to the handshake timeout) and the
     *                       short record-layer tasks after it; bounded by the owner, since every connected
     *                       participant takes a thread from it for a while
     */
    public PeerTransport(String id, IceServer iceServer, DtlsCertificate certificate, DtlsConfig dtlsConfig,
                         SrtpConfig srtpConfig, Executor eventExecutor, Executor handshakes, Listener listener) {
        this.listener = listener;
        this.srtpConfig = srtpConfig;
        this.logPrefix = "[" + id + "] ";
        this.iceServer = iceServer;
        this.id = id;
        this.eventExecutor = eventExecutor;
        this.ice = newIce();
        try {
            this.dtls = new DtlsServerTransport(certificate, dtlsConfig, this::sendDtls, new DtlsEvents(),
                    handshakes, logPrefix);
        } catch (RuntimeException e) {
            ice.close();
            throw e;
        }
    }

    public String localUfrag() {
        return ice.localUfrag();
    }

    public String localPassword() {
        return ice.localPassword();
    }

    public List<IceCandidate> localCandidates() {
        return ice.localCandidates();
    }

    public boolean isConnected() {
        return srtp != null && !failed.get();
    }

    /** The candidate pair ICE selected, once it has. */
    public java.util.Optional<IceSelectedPair> selectedPair() {
        return ice.selectedPair();
    }

    /**
     * Starts ICE with the browser's credentials; the DTLS server, which will accept only a certificate matching
     * one of {@code remoteFingerprints}, starts when ICE connects. Called once, with the first offer.
     *
     * <p>Until ICE has selected a pair, nobody has shown that they own the address they signalled, so an offer
     * alone costs no handshake thread; DTLS records that overtake our own ICE verdict wait in the DTLS queue.
     */
    public void start(String remoteUfrag, String remotePassword, Collection<Fingerprint> remoteFingerprints) {
        dtls.setRemoteFingerprints(remoteFingerprints);
        ice.start(remoteUfrag, remotePassword);
    }

    /** The local ICE parameters of a prepared restart, for its answer. */
    public record IceRestart(String localUfrag, String localPassword, List<IceCandidate> localCandidates) {
    }

    /**
     * Creates the ICE transport of an ICE restart, with fresh local credentials for the answer; the current one
     * goes on until {@link #restartIce}. A restart prepared earlier and not started is dropped.
     */
    public synchronized IceRestart prepareIceRestart() {
        if (closed.get()) {
            throw new IllegalStateException("the transport is closed");
        }
        abandonIceRestart();
        restarting = newIce();
        return new IceRestart(restarting.localUfrag(), restarting.localPassword(), restarting.localCandidates());
    }

    /** Drops a prepared restart (its offer was refused); the current ICE transport is untouched. */
    public synchronized void abandonIceRestart() {
        if (restarting != null) {
            restarting.close();
            restarting = null;
        }
    }

    /**
     * Switches to the prepared ICE transport with the browser's new credentials; DTLS and SRTP go on over the pair
     * it selects. Until then nothing can be sent (and is counted as dropped).
     */
    public void restartIce(String remoteUfrag, String remotePassword) {
        IceTransport old;
        IceTransport next;
        synchronized (this) {
            if (restarting == null || closed.get()) {
                abandonIceRestart();
                throw new IllegalStateException(closed.get() ? "the transport is closed" : "no ICE restart prepared");
            }
            old = ice;
            next = restarting;
            ice = next;
            restarting = null;
        }
        iceRestarts.increment();
        LOG.log(Level.INFO, "{0}ICE restart: new local ufrag {1}", logPrefix, next.localUfrag());
        old.close();
        next.start(remoteUfrag, remotePassword);
    }

    /** ICE restarts so far. */
    public long iceRestarts() {
        return iceRestarts.sum();
    }

    /** Whether the DTLS handshake has begun (it does once ICE connects). */
    public boolean dtlsStarted() {
        return dtls.state() != DtlsTransportState.NEW;
    }

    /** A trickled candidate ({@code candidate:…} value); "" ends the remote candidates. */
    public RemoteCandidateResult addRemoteCandidate(String candidate) {
        IceTransport ice = this.ice;
        if (candidate.isEmpty()) {
            ice.endOfRemoteCandidates();
            return RemoteCandidateResult.ACCEPTED;
        }
        return ice.addRemoteCandidate(candidate);
    }

    /** Encrypts in place and sends; drops (and counts) when not connected. */
    public void sendRtp(byte[] buf, int off, int len) {
        SrtpSession session = srtp;
        if (session == null) {
            sendDropped.increment();
            return;
        }
        int protectedLength = session.encryptRtp(buf, off, len);
        if (protectedLength < 0 || ice.send(buf, off, protectedLength) != IceSendStatus.SENT) {
            sendDropped.increment();
            return;
        }
        rtpSent.increment();
    }

    /** Encrypts a compound RTCP packet in place and sends; drops (and counts) when not connected. */
    public void sendRtcp(byte[] buf, int off, int len) {
        SrtpSession session = srtp;
        if (session == null) {
            sendDropped.increment();
            return;
        }
        int protectedLength = session.encryptRtcp(buf, off, len);
        if (protectedLength < 0 || ice.send(buf, off, protectedLength) != IceSendStatus.SENT) {
            sendDropped.increment();
            return;
        }
        rtcpSent.increment();
    }

    public Stats stats() {
        return new Stats(rtpReceived.sum(), rtcpReceived.sum(), dtlsReceived.sum(), unknownDropped.sum(),
                beforeKeysDropped.sum(), srtpDropped.sum(), srtcpDropped.sum(), rtpSent.sum(), rtcpSent.sum(),
                sendDropped.sum());
    }

    /** Idempotent; closes DTLS, SRTP and ICE (which frees the shared port's ufrag). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        failed.set(true);
        try {
            dtls.close();
        } finally {
            try {
                SrtpSession session = srtp;
                if (session != null) {
                    session.close();
                }
            } finally {
                // Under the lock, so that a restart cannot swap in an agent that nobody closes.
                synchronized (this) {
                    ice.close();
                    abandonIceRestart();
                }
            }
        }
    }

    /** RFC 7983 §7: the first byte tells DTLS (20..63) from RTP/RTCP (128..191); STUN never gets here. */
    private void onDatagram(byte[] buf, int off, int len, long arrivalNanos) {
        if (PacketClassifier.looksLikeDtls(buf, off, len)) {
            dtlsReceived.increment();
            dtls.receive(buf, off, len);
            return;
        }
        boolean rtcp = PacketClassifier.looksLikeRtcp(buf, off, len);
        if (!rtcp && !PacketClassifier.looksLikeRtp(buf, off, len)) {
            unknownDropped.increment();
            return;
        }
        SrtpSession session = srtp;
        if (session == null) {
            holdUntilKeys(buf, off, len, arrivalNanos);
            return;
        }
        if (!early.isEmpty()) {
            // Keys arrived after these did; they go first, so the listener sees arrival order.
            try {
                for (int i = 0; i < early.size(); i++) {
                    byte[] held = early.data(i);
                    int heldLength = early.length(i);
                    unprotect(session, held, 0, heldLength, PacketClassifier.looksLikeRtcp(held, 0, heldLength),
                            early.arrivalNanos(i));
                }
            } finally {
                // Even if the listener threw: a held packet is offered once, never twice.
                early.clear();
            }
        }
        unprotect(session, buf, off, len, rtcp, arrivalNanos);
    }

    /** SRTP/SRTCP before the keys: held while the handshake may still complete (see {@link EarlyPacketBuffer}). */
    private void holdUntilKeys(byte[] buf, int off, int len, long arrivalNanos) {
        if (failed.get()) {
            // No keys will come: drop this and anything still held.
            beforeKeysDropped.add(early.clear() + 1);
        } else if (!early.offer(buf, off, len, arrivalNanos)) {
            beforeKeysDropped.increment();
        }
    }

    /** Decrypts an SRTP or SRTCP datagram in place and hands it to the listener. */
    private void unprotect(SrtpSession session, byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
        if (rtcp) {
            int plain = session.decryptRtcp(buf, off, len);
            if (plain < 0) {
                srtcpDropped.increment();
                return;
            }
            rtcpReceived.increment();
            listener.onRtcp(buf, off, plain);
        } else {
            int plain = session.decryptRtp(buf, off, len);
            if (plain < 0) {
                srtpDropped.increment();
                return;
            }
            rtpReceived.increment();
            listener.onRtp(buf, off, plain, arrivalNanos);
        }
    }

    private void sendDtls(byte[] buf, int off, int len) {
        ice.send(buf, off, len);
    }

    private IceTransport newIce() {
        IceEvents events = new IceEvents();
        IceTransport transport = iceServer.createTransport(id, events, eventExecutor);
        events.source = transport;
        return transport;
    }

    private void fail(String reason) {
        if (failed.compareAndSet(false, true) && !closed.get()) {
            LOG.log(Level.INFO, "{0}transport failed: {1}", logPrefix, reason);
            listener.onTransportFailed(reason);
        }
    }

    /** One ICE transport's events; those of a transport an ICE restart replaced are ignored. */
    private final class IceEvents implements IceTransport.Listener {
        /** Set right after the transport is created, before it is started (nothing arrives earlier). */
        volatile IceTransport source;

        private boolean current() {
            return source == ice;
        }

        @Override
        public void onIceConnected(IceSelectedPair selectedPair) {
            LOG.log(Level.DEBUG, "{0}ICE connected: {1}", logPrefix, selectedPair);
            if (closed.get() || !current()) {
                return;
            }
            if (dtls.state() != DtlsTransportState.NEW) {
                LOG.log(Level.INFO, "{0}ICE restarted over {1}; DTLS and SRTP go on", logPrefix, selectedPair);
                listener.onIceRestarted();
                return;
            }
            try {
                dtls.start();
            } catch (IllegalStateException e) {
                // Closed in the meantime: nothing to start.
                LOG.log(Level.DEBUG, "{0}DTLS not started: {1}", logPrefix, e.getMessage());
            }
        }

        @Override
        public void onIceFailed(IceFailureReason reason) {
            if (current()) {
                fail("ICE failed: " + reason);
            }
        }

        @Override
        public void onIceConsentExpired() {
            if (current()) {
                fail("ICE consent expired");
            }
        }

        @Override
        public void onPacket(byte[] buf, int off, int len, long arrivalNanos) {
            // A replaced transport's reader may still hand over its last datagram; the receive path is one
            // thread's (the early buffer, SRTP's replay state), so the lock (uncontended but for the moment of a
            // restart) keeps a late one from overlapping the new reader's first.
            if (current()) {
                synchronized (receiveLock) {
                    onDatagram(buf, off, len, arrivalNanos);
                }
            }
        }
    }

    private final class DtlsEvents implements DtlsServerTransport.Listener {
        @Override
        public void onDtlsConnected(SrtpProfile profile, SrtpKeyingMaterial keyingMaterial) {
            try {
                srtp = SrtpSession.forServer(keyingMaterial, srtpConfig);
            } catch (RuntimeException e) {
                fail("SRTP setup failed: " + e.getMessage());
                return;
            }
            LOG.log(Level.DEBUG, "{0}DTLS connected, SRTP profile {1}", logPrefix, profile);
            if (!failed.get()) {
                listener.onTransportConnected();
            }
        }

        @Override
        public void onDtlsFailed(DtlsException cause) {
            fail("DTLS failed: " + cause.getMessage());
        }

        @Override
        public void onDtlsClosed() {
            fail("DTLS closed by the peer");
        }
    }

}
