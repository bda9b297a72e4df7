package org.videoroom.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.videoroom.load.client.ClientCertificate;
import org.videoroom.load.client.DtlsSrtpClient;
import org.videoroom.load.client.LoopbackIceClient;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.ice.RemoteCandidateResult;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;
import org.videoroom.transport.srtp.SrtpStatus;

/**
 * Plays the browser against a {@link PeerTransport}, with real protocol stacks and nothing mocked:
 * ice4j (controlling, one loopback host candidate) → Bouncy Castle DTLS client with
 * {@code use_srtp} over the selected pair → {@link SrtpSession#forClient} keyed from the client's
 * own exporter. The steps are separate so tests can stop or misbehave between them.
 *
 * <p>Not thread-safe: one test thread drives it (ice4j and the ICE reader run underneath).
 */
final class BrowserStandIn implements AutoCloseable {

    private final ClientCertificate certificate = ClientCertificate.generate();
    private final LoopbackIceClient ice;
    private DtlsSrtpClient client;
    private DTLSTransport dtls;
    private SrtpSession srtp;

    BrowserStandIn(InetAddress address) {
        ice = new LoopbackIceClient(address);
    }

    /** The {@code a=fingerprint} of our offer. */
    Fingerprint fingerprint() {
        return certificate.fingerprint();
    }

    LoopbackIceClient ice() {
        return ice;
    }

    /**
     * What signaling does with an offer and its answer: the server learns our credentials, the
     * fingerprints it is to trust and our candidate; we learn its credentials and candidates and
     * start checking. Returns once our agent selected a pair.
     */
    void connectIce(PeerTransport server, Collection<Fingerprint> announcedFingerprints, Duration timeout)
            throws Exception {
        server.start(ice.ufrag(), ice.password(), announcedFingerprints);
        connectIceStarted(server, timeout);
    }

    /** As {@link #connectIce}, for a server transport already started with our credentials. */
    void connectIceStarted(PeerTransport server, Duration timeout) throws Exception {
        if (server.addRemoteCandidate(ice.candidate()) != RemoteCandidateResult.ACCEPTED
                || server.addRemoteCandidate("") != RemoteCandidateResult.ACCEPTED) {
            throw new IllegalStateException("the server refused our loopback candidate");
        }
        ice.connect(server.localUfrag(), server.localPassword(), server.localCandidates());
        ice.awaitSelected(timeout);
    }

    /**
     * Runs the DTLS handshake as the client over the selected pair and keys SRTP from it. Blocks
     * until it completes; throws (e.g. {@code TlsFatalAlertReceived}) if the server aborts it.
     */
    void handshake(Fingerprint serverFingerprint, SrtpProfile profile) throws IOException {
        client = new DtlsSrtpClient(certificate, serverFingerprint, profile);
        dtls = new DTLSClientProtocol().connect(client, ice.dtls());
        srtp = SrtpSession.forClient(client.keyingMaterial(), SrtpConfig.DEFAULT);
    }

    /** Encrypts a copy of {@code plain} RTP as the browser would put it on the wire. */
    byte[] protectRtp(byte[] plain) {
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
        return Arrays.copyOf(buf, check(srtp.encryptRtp(buf, 0, plain.length)));
    }

    /** Encrypts a copy of a {@code plain} compound RTCP packet. */
    byte[] protectRtcp(byte[] plain) {
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
        return Arrays.copyOf(buf, check(srtp.encryptRtcp(buf, 0, plain.length)));
    }

    /** Protects and sends; returns the datagram sent, for replays. */
    byte[] sendRtp(byte[] plain) throws IOException {
        byte[] datagram = protectRtp(plain);
        sendRaw(datagram);
        return datagram;
    }

    byte[] sendRtcp(byte[] plain) throws IOException {
        byte[] datagram = protectRtcp(plain);
        sendRaw(datagram);
        return datagram;
    }

    /** Puts any bytes on the server's 5-tuple, from our ICE socket. */
    void sendRaw(byte[] datagram) throws IOException {
        ice.send(datagram, 0, datagram.length);
    }

    /** The next SRTP datagram from the server, decrypted; {@code null} if none came in time. */
    byte[] receiveRtp(Duration timeout) throws InterruptedException {
        byte[] datagram = ice.pollMedia(timeout);
        return datagram == null ? null : Arrays.copyOf(datagram, check(srtp.decryptRtp(datagram, 0, datagram.length)));
    }

    /** The next SRTCP datagram from the server, decrypted; {@code null} if none came in time. */
    byte[] receiveRtcp(Duration timeout) throws InterruptedException {
        byte[] datagram = ice.pollMedia(timeout);
        return datagram == null ? null : Arrays.copyOf(datagram, check(srtp.decryptRtcp(datagram, 0, datagram.length)));
    }

    /** Ends the DTLS association with close_notify (RFC 5246 §7.2.1), as a closing browser does. */
    void closeDtls() throws IOException {
        dtls.close();
    }

    /**
     * Reads DTLS records from the server until its close_notify arrives, as the browser's DTLS
     * stack does after the handshake; {@code false} if none came within {@code timeout}.
     */
    boolean awaitCloseNotify(Duration timeout) throws IOException {
        byte[] scratch = new byte[2048];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.closeNotifyReceived() && System.nanoTime() < deadline) {
            // Returns -1 on timeout and, once the peer closed, at once.
            dtls.receive(scratch, 0, scratch.length, 50);
        }
        return client.closeNotifyReceived();
    }

    /** Frees ICE (no more consent answers) and the SRTP contexts. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        ice.close();
        if (srtp != null) {
            srtp.close();
        }
    }

    private static int check(int result) {
        if (result < 0) {
            throw new AssertionError("client SRTP failed: " + SrtpStatus.of(result));
        }
        return result;
    }
}
