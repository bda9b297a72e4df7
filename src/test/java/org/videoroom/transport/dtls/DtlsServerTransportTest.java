package org.videoroom.transport.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;
import org.videoroom.transport.srtp.SrtpStatus;

/**
 * {@link DtlsServerTransport} against a Bouncy Castle DTLS client over an in-memory datagram pipe.
 */
class DtlsServerTransportTest {
    private static final long WAIT_SECONDS = 20;
    private static final int GCM = SrtpProfile.SRTP_AEAD_AES_128_GCM.id();
    private static final int AES_CM_80 = SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80.id();
    /** RFC 5764 §4.1.2's SRTP_AES128_CM_HMAC_SHA1_32, which this SFU does not accept. */
    private static final int AES_CM_32 = 0x0002;

    private static DtlsCertificate serverCertificate;
    private static DtlsCertificate clientCertificate;

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private final RecordingListener listener = new RecordingListener();
    private final ClientPipe pipe = new ClientPipe();
    private DtlsServerTransport server;

    @BeforeAll
    static void certificates() {
        serverCertificate = DtlsCertificate.generate();
        clientCertificate = DtlsCertificate.generate();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        serverThreads.shutdownNow();
        clientThreads.shutdownNow();
        assertTrue(serverThreads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "server threads stopped");
        assertTrue(clientThreads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "client threads stopped");
    }

    private DtlsServerTransport newServer(DtlsConfig config, Executor executor) {
        server = new DtlsServerTransport(serverCertificate, config, pipe::deliver, listener, executor, "[test] ");
        pipe.connectTo(datagram -> server.receive(datagram, 0, datagram.length));
        return server;
    }

    private DtlsServerTransport newServer() {
        return newServer(DtlsConfig.DEFAULT, serverThreads);
    }

    private CompletableFuture<DTLSTransport> connect(TestDtlsClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSClientProtocol().connect(client, pipe);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, clientThreads);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static Stream<Arguments> profileNegotiation() {
        return Stream.of(
                // use_srtp profiles the client offers, in its order -> the profile the server picks
                Arguments.of(new int[] {GCM, AES_CM_80}, SrtpProfile.SRTP_AEAD_AES_128_GCM),
                Arguments.of(new int[] {AES_CM_80, GCM}, SrtpProfile.SRTP_AEAD_AES_128_GCM),
                Arguments.of(new int[] {AES_CM_32, AES_CM_80}, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80),
                Arguments.of(new int[] {AES_CM_80}, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80),
                Arguments.of(new int[] {GCM}, SrtpProfile.SRTP_AEAD_AES_128_GCM));
    }

    @ParameterizedTest(name = "client offers {0} -> {1}")
    @MethodSource("profileNegotiation")
    void handshakeAgreesOnProfileAndKeys(int[] offered, SrtpProfile expected) throws Exception {
        newServer().setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();
        TestDtlsClient client = new TestDtlsClient(clientCertificate, true, offered);
        CompletableFuture<DTLSTransport> clientConnection = connect(client);

        SrtpKeyingMaterial serverKeys = await(listener.connected);
        await(clientConnection);

        assertEquals(expected, serverKeys.profile());
        assertEquals(expected.id(), client.selectedProfileId);
        assertEquals(client.keyingMaterial, serverKeys, "both ends exported the same keying material");
        assertEquals(DtlsTransportState.CONNECTED, server.state());
        assertTrue(serverCertificate.fingerprint().matchesCertificate(client.serverCertificateDer),
                "the client saw the certificate whose fingerprint the SDP announces");
    }

    @Test
    void noCommonSrtpProfileFails() throws Exception {
        newServer().setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();
        CompletableFuture<DTLSTransport> clientConnection = connect(new TestDtlsClient(clientCertificate, true, AES_CM_32));

        assertEquals(DtlsException.Reason.NO_COMMON_SRTP_PROFILE, await(listener.failed).reason());
        assertClientGotAlert(clientConnection, AlertDescription.handshake_failure);
    }

    @Test
    void aFingerprintOfAHashFunctionRfc8122DropsIsRefused() {
        // The SDP grammar allows MD5; a certificate check must not rely on it.
        Fingerprint md5 = Fingerprint.parse("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
        DtlsServerTransport server = newServer();

        DtlsException e = assertThrows(DtlsException.class, () -> server.setRemoteFingerprints(
                List.of(clientCertificate.fingerprint(), md5)));

        assertEquals(DtlsException.Reason.INVALID_FINGERPRINT, e.reason());
    }

    @Test
    void wrongFingerprintFailsWithBadCertificate() throws Exception {
        newServer().setRemoteFingerprint(DtlsCertificate.generate().fingerprint());
        server.start();
        CompletableFuture<DTLSTransport> clientConnection = connect(new TestDtlsClient(clientCertificate, true, GCM));

        assertEquals(DtlsException.Reason.FINGERPRINT_MISMATCH, await(listener.failed).reason());
        assertClientGotAlert(clientConnection, AlertDescription.bad_certificate);
        assertFalse(listener.connected.isDone(), "no keys");
        assertEquals(1, listener.calls.get());
        assertEquals(DtlsTransportState.FAILED, server.state());
    }

    @Test
    void missingClientCertificateFails() throws Exception {
        newServer().setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();
        CompletableFuture<DTLSTransport> clientConnection = connect(new TestDtlsClient(clientCertificate, false, GCM));

        assertEquals(DtlsException.Reason.NO_CLIENT_CERTIFICATE, await(listener.failed).reason());
        assertClientGotAlert(clientConnection, AlertDescription.handshake_failure);
    }

    @Test
    void missingRemoteFingerprintFails() throws Exception {
        newServer().start();
        connect(new TestDtlsClient(clientCertificate, true, GCM));

        assertEquals(DtlsException.Reason.NO_REMOTE_FINGERPRINT, await(listener.failed).reason());
    }

    /** RFC 8122 §5: only the fingerprints of the strongest offered hash function count. */
    @Test
    void strongestHashFunctionDecides() throws Exception {
        byte[] der = clientCertificate.encoded();
        Fingerprint rightSha256 = Fingerprint.ofCertificate("sha-256", der);
        Fingerprint wrongSha512 = Fingerprint.ofCertificate("sha-512", DtlsCertificate.generate().encoded());
        newServer().setRemoteFingerprints(List.of(rightSha256, wrongSha512));
        server.start();
        connect(new TestDtlsClient(clientCertificate, true, GCM));

        assertEquals(DtlsException.Reason.FINGERPRINT_MISMATCH, await(listener.failed).reason());
    }

    @Test
    void anyFingerprintOfTheStrongestHashFunctionMatches() throws Exception {
        byte[] der = clientCertificate.encoded();
        newServer().setRemoteFingerprints(List.of(
                Fingerprint.ofCertificate("sha-1", DtlsCertificate.generate().encoded()),
                Fingerprint.ofCertificate("sha-384", DtlsCertificate.generate().encoded()),
                Fingerprint.ofCertificate("sha-384", der)));
        server.start();
        connect(new TestDtlsClient(clientCertificate, true, GCM));

        assertEquals(SrtpProfile.SRTP_AEAD_AES_128_GCM, await(listener.connected).profile());
    }

    @Test
    void garbageBeforeAndDuringTheHandshakeIsIgnored() throws Exception {
        Random random = new Random(6347);
        newServer().setRemoteFingerprint(clientCertificate.fingerprint());
        List<byte[]> garbage = garbageDatagrams(random);
        for (byte[] datagram : garbage) {
            server.receive(datagram, 0, datagram.length);
        }
        // Every client datagram is preceded by a garbage one and followed by a duplicate of itself.
        Consumer<byte[]> toServer = datagram -> {
            byte[] noise = garbage.get(random.nextInt(garbage.size()));
            server.receive(noise, 0, noise.length);
            server.receive(datagram, 0, datagram.length);
            server.receive(datagram, 0, datagram.length);
        };
        pipe.connectTo(toServer);
        server.start();
        TestDtlsClient client = new TestDtlsClient(clientCertificate, true, GCM, AES_CM_80);
        CompletableFuture<DTLSTransport> clientConnection = connect(client);

        SrtpKeyingMaterial serverKeys = await(listener.connected);
        await(clientConnection);

        assertEquals(client.keyingMaterial, serverKeys);
        assertTrue(server.stats().datagramsReceived() > garbage.size());
    }

    /** Random bytes, truncated records, a record header with a bogus body, an oversized datagram. */
    private static List<byte[]> garbageDatagrams(Random random) {
        List<byte[]> garbage = new ArrayList<>();
        for (int length : new int[] {0, 1, 12, 13, 14, 100, 1200}) {
            byte[] datagram = new byte[length];
            random.nextBytes(datagram);
            garbage.add(datagram);
        }
        // ContentType handshake(22), DTLS 1.2 (fefd), epoch 0, seq 0, length 40, then noise
        byte[] fakeRecord = new byte[13 + 40];
        random.nextBytes(fakeRecord);
        System.arraycopy(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40}, 0, fakeRecord, 0, 13);
        garbage.add(fakeRecord);
        // an alert record (21) claiming epoch 1, which does not exist yet
        garbage.add(new byte[] {21, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 7, 0, 2, 2, 40});
        garbage.add(new byte[DtlsServerTransport.MAX_DATAGRAM_BYTES + 1]);
        return garbage;
    }

    @Test
    void receiveQueueIsBounded() {
        DtlsConfig smallQueue = new DtlsConfig(Duration.ofSeconds(30), 1200, DtlsConfig.DEFAULT.srtpProfiles(), 4);
        newServer(smallQueue, serverThreads);
        byte[] datagram = {22, (byte) 0xfe, (byte) 0xfd};
        for (int i = 0; i < 10; i++) {
            server.receive(datagram, 0, datagram.length);
        }

        assertEquals(new DtlsStats(10, 6, 0), server.stats());
    }

    @Test
    void handshakeTimesOut() throws Exception {
        newServer(DtlsConfig.DEFAULT.withHandshakeTimeout(Duration.ofMillis(300)), serverThreads)
                .setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();

        assertEquals(DtlsException.Reason.HANDSHAKE_TIMEOUT, await(listener.failed).reason());
        assertEquals(DtlsTransportState.FAILED, server.state());
    }

    @Test
    void closeIsIdempotentStopsTheHandshakeAndReportsNothing() throws Exception {
        CountDownLatch handshakeTaskEnded = new CountDownLatch(1);
        Executor tracking = task -> serverThreads.execute(() -> {
            try {
                task.run();
            } finally {
                handshakeTaskEnded.countDown();
            }
        });
        newServer(DtlsConfig.DEFAULT, tracking).setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();

        server.close();
        server.close();

        assertTrue(handshakeTaskEnded.await(WAIT_SECONDS, TimeUnit.SECONDS), "the handshake thread returned");
        byte[] late = {22, 1, 2, 3};
        server.receive(late, 0, late.length);
        assertEquals(DtlsTransportState.CLOSED, server.state());
        assertEquals(0, listener.calls.get());
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void startTwiceIsRefused() {
        newServer().start();

        assertThrows(IllegalStateException.class, server::start);
    }

    private DTLSTransport connected(TestDtlsClient client) throws Exception {
        newServer().setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();
        CompletableFuture<DTLSTransport> clientConnection = connect(client);
        await(listener.connected);
        return await(clientConnection);
    }

    /**
     * RFC 6347 §4.2.4: when the server's last flight is lost the client retransmits its own, and
     * the server, already connected, must answer from the post-handshake drain.
     */
    @Test
    void lostFinalFlightIsResentWhenTheClientRetransmits() throws Exception {
        AtomicBoolean dropFinalFlight = new AtomicBoolean(true);
        AtomicInteger dropped = new AtomicInteger();
        server = new DtlsServerTransport(serverCertificate, DtlsConfig.DEFAULT, (buf, off, len) -> {
            // The final flight: ChangeCipherSpec (content type 20), then Finished under epoch 1.
            int epoch = ((buf[off + 3] & 0xff) << 8) | (buf[off + 4] & 0xff);
            if (dropFinalFlight.get() && (buf[off] == 20 || epoch >= 1)) {
                dropped.incrementAndGet();
                return;
            }
            pipe.deliver(buf, off, len);
        }, listener, serverThreads, "[test] ");
        pipe.connectTo(datagram -> server.receive(datagram, 0, datagram.length));
        server.setRemoteFingerprint(clientCertificate.fingerprint());
        server.start();
        TestDtlsClient client = new TestDtlsClient(clientCertificate, true, GCM);
        CompletableFuture<DTLSTransport> clientConnection = connect(client);

        SrtpKeyingMaterial serverKeys = await(listener.connected);
        dropFinalFlight.set(false);
        await(clientConnection);

        assertTrue(dropped.get() > 0, "the first final flight was lost");
        assertEquals(client.keyingMaterial, serverKeys);
        assertEquals(1, listener.calls.get());
    }

    @Test
    void peerCloseNotifyIsReported() throws Exception {
        DTLSTransport clientConnection = connected(new TestDtlsClient(clientCertificate, true, GCM));

        clientConnection.close();

        await(listener.closed);
        assertEquals(DtlsTransportState.CLOSED, server.state());
        assertFalse(listener.failed.isDone());
    }

    @Test
    void applicationDataAfterTheHandshakeIsIgnored() throws Exception {
        DTLSTransport clientConnection = connected(new TestDtlsClient(clientCertificate, true, GCM));
        byte[] data = "not a data channel".getBytes(StandardCharsets.US_ASCII);

        clientConnection.send(data, 0, data.length);
        clientConnection.close();

        await(listener.closed);
        assertEquals(1, server.stats().applicationDataIgnored());
    }

    @Test
    void closeSendsCloseNotifyToThePeer() throws Exception {
        TestDtlsClient client = new TestDtlsClient(clientCertificate, true, GCM);
        DTLSTransport clientConnection = connected(client);

        server.close();

        byte[] buf = new byte[DtlsServerTransport.MAX_DATAGRAM_BYTES];
        assertEquals(-1, clientConnection.receive(buf, 0, buf.length, 500));
        assertEquals(AlertDescription.close_notify, client.lastAlertReceived);
        assertEquals(1, listener.calls.get(), "only onDtlsConnected");
    }

    /** The keys each end exported drive SRTP sessions that understand each other, both ways. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtpSessionsFromBothEndsInteroperate(SrtpProfile profile) throws Exception {
        TestDtlsClient client = new TestDtlsClient(clientCertificate, true, profile.id());
        connected(client);
        try (SrtpSession sfu = SrtpSession.forServer(await(listener.connected), SrtpConfig.DEFAULT);
             SrtpSession browser = SrtpSession.forClient(client.keyingMaterial, SrtpConfig.DEFAULT)) {
            assertRoundTrip(browser::encryptRtp, sfu::decryptRtp, rtp(0x1234, 0xb0b0b0b0));
            assertRoundTrip(sfu::encryptRtp, browser::decryptRtp, rtp(0x0001, 0x5f5f5f5f));
            assertRoundTrip(browser::encryptRtcp, sfu::decryptRtcp, rtcp(0xb0b0b0b0));
            assertRoundTrip(sfu::encryptRtcp, browser::decryptRtcp, rtcp(0x5f5f5f5f));
        }
    }

    private interface Transform {
        int apply(byte[] buf, int off, int len);
    }

    private static void assertRoundTrip(Transform protect, Transform unprotect, byte[] plain) {
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
        int protectedLength = protect.apply(buf, 0, plain.length);
        assertTrue(protectedLength > plain.length, SrtpStatus.of(protectedLength).name());
        int plainLength = unprotect.apply(buf, 0, protectedLength);
        assertEquals(plain.length, plainLength, SrtpStatus.of(plainLength).name());
        assertArrayEquals(plain, Arrays.copyOf(buf, plainLength));
    }

    /** V=2, PT=96, the given SEQ and SSRC, 40 payload bytes. */
    private static byte[] rtp(int seq, int ssrc) {
        byte[] packet = new byte[52];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        writeInt(packet, 8, ssrc);
        Arrays.fill(packet, 12, packet.length, (byte) 0x42);
        return packet;
    }

    /** An empty receiver report (RC=0, PT=201, length 1) from {@code ssrc}. */
    private static byte[] rtcp(int ssrc) {
        byte[] packet = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 0};
        writeInt(packet, 4, ssrc);
        return packet;
    }

    private static void writeInt(byte[] buf, int at, int value) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    private static void assertClientGotAlert(CompletableFuture<DTLSTransport> clientConnection, short alert) {
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> clientConnection.get(WAIT_SECONDS, TimeUnit.SECONDS));
        TlsFatalAlertReceived received = assertInstanceOf(TlsFatalAlertReceived.class, thrown.getCause().getCause());
        assertEquals(alert, received.getAlertDescription());
    }
}
