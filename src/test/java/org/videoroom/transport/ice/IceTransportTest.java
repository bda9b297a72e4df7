package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.videoroom.transport.ice.TestIceConfigs.AWAIT;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_1;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_2;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.sdp.IceCandidate;

/**
 * {@link IceTransport} on a real shared port against an ice4j controlling agent
 * ({@link LoopbackPeer}), all on loopback in this JVM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IceTransportTest {

    private static ScheduledExecutorService scheduler;

    private IceServer server;
    private final java.util.List<LoopbackPeer> peers = new java.util.ArrayList<>();

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @AfterEach
    void closeEverything() {
        peers.forEach(LoopbackPeer::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectsAndExchangesDatagramsBothWays() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("exchange", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);

        connect(transport, browser);

        IceSelectedPair pair = events.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(browser.address(), pair.remote());
        assertEquals(server.port(), pair.local().getPort());
        assertEquals(IceTransportState.CONNECTED, transport.state());
        assertTrue(browser.awaitCompleted(AWAIT));

        byte[] up = rtpLike("from the browser");
        browser.send(up);
        assertArrayEquals(up, events.poll(AWAIT));

        byte[] down = rtpLike("from the server");
        // Send from an offset inside a larger array: only [off, off+len) goes out.
        byte[] framed = new byte[down.length + 8];
        System.arraycopy(down, 0, framed, 4, down.length);
        assertEquals(IceSendStatus.SENT, transport.send(framed, 4, down.length));
        assertArrayEquals(down, browser.poll(AWAIT));

        IceTransportStats stats = transport.stats();
        assertEquals(1, stats.packetsReceived());
        assertEquals(up.length, stats.bytesReceived());
        assertEquals(1, stats.packetsSent());
        assertEquals(down.length, stats.bytesSent());
        assertEquals(0, stats.packetsDroppedSourceNotAllowed());

        transport.close();
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("ice-reader-exchange")), "close() ends the reader thread");
    }

    @Test
    void twoTransportsOnOnePortReachTheRightParticipant() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        IceTransport alice = server.createTransport("alice", aliceEvents, Runnable::run);
        IceTransport bob = server.createTransport("bob", bobEvents, Runnable::run);
        assertEquals(alice.localCandidates().get(0).port(), bob.localCandidates().get(0).port());
        LoopbackPeer aliceBrowser = peer(LOOPBACK_1);
        LoopbackPeer bobBrowser = peer(LOOPBACK_1);

        connect(alice, aliceBrowser);
        connect(bob, bobBrowser);
        aliceEvents.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        bobEvents.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(aliceBrowser.awaitCompleted(AWAIT));
        assertTrue(bobBrowser.awaitCompleted(AWAIT));

        aliceBrowser.send(rtpLike("alice up"));
        bobBrowser.send(rtpLike("bob up"));
        assertArrayEquals(rtpLike("alice up"), aliceEvents.poll(AWAIT));
        assertArrayEquals(rtpLike("bob up"), bobEvents.poll(AWAIT));

        byte[] toBob = rtpLike("bob down");
        bob.send(toBob, 0, toBob.length);
        assertArrayEquals(toBob, bobBrowser.poll(AWAIT));
        assertNull(aliceBrowser.poll(Duration.ofMillis(200)), "alice must not get bob's datagram");
        assertNull(aliceEvents.poll(Duration.ofMillis(50)), "nothing else reached alice");
        assertEquals(2, server.stats().transports());
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);
        transport.start(browser.ufrag(), browser.password());

        browser.connect(transport.localUfrag(), "wrongwrongwrongwrongwrong", transport.localCandidates());

        // The server answers the check with 401 (bad MESSAGE-INTEGRITY), which fails the pair at once.
        assertTrue(browser.awaitPairFailed(AWAIT), "the browser's check must be rejected");
        assertFalse(browser.awaitCompleted(Duration.ofMillis(300)));
        assertFalse(events.connected.isDone());
        assertEquals(IceTransportState.CHECKING, transport.state());
    }

    @Test
    void wrongUfragIsDroppedByTheSharedPort() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);
        transport.start(browser.ufrag(), browser.password());

        browser.connect("nosuchufrag", transport.localPassword(), transport.localCandidates());

        awaitTrue(() -> server.stats().checksDroppedUnknownUfrag() > 0, "check with unknown ufrag counted");
        assertFalse(browser.awaitCompleted(Duration.ofMillis(300)));
        assertFalse(events.connected.isDone());
    }

    @Test
    void checksFromDisallowedSourceGetNoAnswer() throws Exception {
        server = new IceServer(TestIceConfigs.onlyLoopback1(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_2);

        assertEquals(RemoteCandidateResult.IGNORED_ADDRESS_NOT_ALLOWED, transport.addRemoteCandidate(browser.candidate()));
        transport.start(browser.ufrag(), browser.password());
        browser.connect(transport.localUfrag(), transport.localPassword(), transport.localCandidates());

        // The browser retransmits its check; every copy is dropped before ICE.
        awaitTrue(() -> transport.stats().packetsDroppedSourceNotAllowed() >= 2, "retransmitted checks dropped");
        assertTrue(server.stats().checksDroppedSourceNotAllowed() >= 2);
        assertFalse(browser.awaitCompleted(Duration.ofMillis(300)));
        assertEquals(IceProcessingState.RUNNING, browser.state(), "no response, so no pair succeeded or failed");
        assertFalse(events.connected.isDone());
    }

    @Test
    void consentExpiresWhenThePeerIsGone() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);
        connect(transport, browser);
        events.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);

        // Alive and answering: consent stays fresh past one consent timeout, and past ice4j's
        // COMPLETED -> TERMINATED transition (3 s after completion), after which checks must go on.
        Thread.sleep(3500);
        assertFalse(events.consentExpired.isDone(), "a live peer keeps consent fresh");
        assertEquals(IceTransportState.CONNECTED, transport.state());

        long closedAt = System.nanoTime();
        browser.close();
        events.consentExpired.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
        assertTrue(elapsedMs <= TestIceConfigs.CONSENT_TIMEOUT.toMillis() + 1000, "expired after " + elapsedMs + " ms");
        assertEquals(IceTransportState.FAILED, transport.state());
        assertEquals(1, server.stats().consentExpired());
        assertEquals(0, server.stats().failedChecks() + server.stats().failedConnectTimeout());
        assertFalse(events.failed.isDone(), "consent expiry is reported as such, not as a connect failure");

        // RFC 7675 section 5.1: no more application data after expiry.
        byte[] data = rtpLike("too late");
        assertEquals(IceSendStatus.CLOSED, transport.send(data, 0, data.length));
    }

    /** A client trickling endless distinct candidates grows nothing past the cap; each is counted. */
    @Test
    void remoteCandidatesBeyondTheCapAreIgnoredAndCounted() {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        IceTransport transport = server.createTransport("flood", new RecordingListener(), Runnable::run);
        transport.start("remoteufrag", "remotepasswordremotepassword");
        int accepted = 0;
        for (int port = 40000; port < 40000 + 3 * IceTransport.MAX_REMOTE_CANDIDATES; port++) {
            if (transport.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host")
                    == RemoteCandidateResult.ACCEPTED) {
                accepted++;
            }
        }
        assertEquals(IceTransport.MAX_REMOTE_CANDIDATES, accepted);
        assertEquals(IceTransport.MAX_REMOTE_CANDIDATES, transport.remoteCandidates().size());
        assertEquals(RemoteCandidateResult.IGNORED_LIMIT,
                transport.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.2 40000 typ host"));
        transport.close();
    }

    @Test
    void closeIsIdempotentAndFreesTheUfrag() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        String ufrag = transport.localUfrag();
        assertTrue(server.isRegistered(ufrag));

        transport.close();
        transport.close();

        assertFalse(server.isRegistered(ufrag));
        assertEquals(0, server.stats().transports());
        assertEquals(IceTransportState.CLOSED, transport.state());
        byte[] data = rtpLike("closed");
        assertEquals(IceSendStatus.CLOSED, transport.send(data, 0, data.length));
        assertEquals(RemoteCandidateResult.IGNORED_CLOSED,
                transport.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"));

        // A browser still holding the old ufrag is now turned away by the shared port.
        LoopbackPeer browser = peer(LOOPBACK_1);
        browser.connect(ufrag, transport.localPassword(), transport.localCandidates());
        awaitTrue(() -> server.stats().checksDroppedUnknownUfrag() > 0, "check for the freed ufrag dropped");
        assertFalse(events.connected.isDone());
        assertFalse(events.failed.isDone(), "close() reports nothing to the listener");
    }

    @Test
    void sendBeforeConnectedIsDroppedAndCounted() {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);
        byte[] data = rtpLike("early");

        assertEquals(IceSendStatus.NOT_CONNECTED, transport.send(data, 0, data.length));
        assertEquals(1, transport.stats().packetsDroppedNotConnected());
        assertEquals(0, transport.stats().packetsSent());
    }

    @Test
    void localCandidatesAreTheSharedPortWithTheAdvertisedAddress() throws Exception {
        InetAddress documentationAddress = InetAddress.getByName("192.0.2.10"); // RFC 5737 TEST-NET-1
        IceConfig config = TestIceConfigs.loopback()
                .withHostAddresses(List.of(new IceConfig.HostAddress(LOOPBACK_1, documentationAddress)));
        server = new IceServer(config, scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        // Exactly one candidate: ice4j's all-interfaces host harvester must not have run.
        assertEquals(1, transport.localCandidates().size());
        IceCandidate candidate = transport.localCandidates().get(0);
        assertEquals("192.0.2.10", candidate.address());
        assertEquals(server.port(), candidate.port());
        assertEquals(1, candidate.component());
        assertTrue(candidate.isUdp());
        assertEquals(IceCandidate.CandidateType.HOST, candidate.type());
        assertEquals(List.of(new java.net.InetSocketAddress(LOOPBACK_1, server.port())), server.boundAddresses());
        assertTrue(transport.localPassword().length() >= 22, "RFC 8839 section 5.4: ice-pwd is at least 22 chars");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            loopback host                | candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host                         | ACCEPTED
            loopback IPv6 host           | candidate:2 1 udp 2130706431 ::1 50000 typ host                               | ACCEPTED
            peer reflexive on loopback   | candidate:3 1 udp 1845501695 127.0.0.1 50002 typ prflx raddr 0.0.0.0 rport 0 | ACCEPTED
            eth0-style private address   | candidate:4 1 udp 2122260223 10.1.2.3 50000 typ host                          | IGNORED_ADDRESS_NOT_ALLOWED
            public address               | candidate:5 1 udp 1686052607 203.0.113.7 50000 typ srflx raddr 10.1.2.3 rport 50000 | IGNORED_ADDRESS_NOT_ALLOWED
            mDNS name                    | candidate:6 1 udp 2122260223 4f1c2a7e-0000-4000-8000-000000000000.local 50000 typ host | IGNORED_NOT_LITERAL
            TCP candidate                | candidate:7 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active            | IGNORED_NOT_UDP
            RTCP component               | candidate:8 2 udp 2130706430 127.0.0.1 50001 typ host                         | IGNORED_COMPONENT
            port zero                    | candidate:9 1 udp 2130706431 127.0.0.1 0 typ host                             | IGNORED_PORT
            unknown type token           | candidate:10 1 udp 2130706431 127.0.0.1 50000 typ futuretype                  | IGNORED_TYPE
            """)
    void remoteCandidatesAreFiltered(String name, String candidate, RemoteCandidateResult expected) {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        assertEquals(expected, transport.addRemoteCandidate(candidate));
        if (expected == RemoteCandidateResult.ACCEPTED) {
            assertEquals(RemoteCandidateResult.DUPLICATE, transport.addRemoteCandidate(candidate));
            assertEquals(1, transport.stats().remoteCandidatesAccepted());
        } else {
            assertEquals(1, transport.stats().remoteCandidatesIgnored());
        }
    }

    @Test
    void trickledCandidatesAfterStartAndEndOfCandidatesAreAccepted() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);

        transport.start(browser.ufrag(), browser.password());
        assertEquals(IceTransportState.CHECKING, transport.state());
        assertEquals(RemoteCandidateResult.ACCEPTED, transport.addRemoteCandidate(browser.candidate().format()));
        transport.endOfRemoteCandidates();
        browser.connect(transport.localUfrag(), transport.localPassword(), transport.localCandidates());

        events.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(transport.remoteCandidatesComplete());
        assertThrows(IceException.class, () -> transport.start(browser.ufrag(), browser.password()),
                "a second start would be an ICE restart, which is not supported");
    }

    @Test
    void browserThatChecksLateStillConnects() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);
        LoopbackPeer browser = peer(LOOPBACK_1);
        transport.start(browser.ufrag(), browser.password());
        assertEquals(RemoteCandidateResult.ACCEPTED, transport.addRemoteCandidate(browser.candidate()));

        // ice4j fails a check list 5 s after all of its pairs failed; the browser starts later than that.
        Thread.sleep(5500);
        browser.connect(transport.localUfrag(), transport.localPassword(), transport.localCandidates());

        events.connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(events.failed.isDone());
    }

    @Test
    void connectTimeoutFailsTheTransport() throws Exception {
        server = new IceServer(TestIceConfigs.loopback().withConnectTimeout(Duration.ofMillis(200)), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);

        assertEquals(IceFailureReason.CONNECT_TIMEOUT, events.failed.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(IceTransportState.FAILED, transport.state());
        assertEquals(1, server.stats().failedConnectTimeout());
        assertEquals(0, server.stats().failedChecks());
        transport.close();
        assertEquals(IceTransportState.CLOSED, transport.state());
    }

    @Test
    void closingTheServerFailsOpenTransports() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("alice", events, Runnable::run);

        server.close();
        server.close();

        assertEquals(IceFailureReason.SERVER_CLOSED, events.failed.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(IceTransportState.CLOSED, transport.state());
        assertEquals(1, server.stats().failedServerClosed());
        assertThrows(IceException.class, () -> server.createTransport("bob", new RecordingListener(), Runnable::run));
    }

    @Test
    void aShutDownSchedulerIsReportedWithoutLeakingTheAgent() {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdown();
        server = new IceServer(TestIceConfigs.loopback(), stopped);

        assertThrows(IceException.class, () -> server.createTransport("alice", new RecordingListener(), Runnable::run));
        assertEquals(0, server.stats().transports());
    }

    @Test
    void malformedRemoteCredentialsAreRejected() {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        assertThrows(IceException.class, () -> transport.start("abc", "0123456789012345678901"), "ufrag too short");
        assertThrows(IceException.class, () -> transport.start("abcd", "short"), "password too short");
        assertThrows(IceException.class, () -> transport.start("ab d", "0123456789012345678901"), "space is no ice-char");
        assertEquals(IceTransportState.NEW, transport.state());
    }

    // ---- helpers ----

    private LoopbackPeer peer(InetAddress address) throws Exception {
        LoopbackPeer peer = new LoopbackPeer(address);
        peers.add(peer);
        return peer;
    }

    /** What signaling does: exchange credentials and candidates, then both sides start. */
    private static void connect(IceTransport transport, LoopbackPeer browser) {
        transport.start(browser.ufrag(), browser.password());
        assertEquals(RemoteCandidateResult.ACCEPTED, transport.addRemoteCandidate(browser.candidate()));
        browser.connect(transport.localUfrag(), transport.localPassword(), transport.localCandidates());
    }

    /** Looks like RTP (version 2, so not STUN): ice4j must hand it to us, not to its STUN stack. */
    private static byte[] rtpLike(String text) {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        byte[] packet = new byte[12 + body.length];
        packet[0] = (byte) 0x80; // V=2, P=0, X=0, CC=0
        packet[1] = 96;          // M=0, PT=96
        System.arraycopy(body, 0, packet, 12, body.length);
        return packet;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
