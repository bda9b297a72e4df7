package org.videoroom.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.load.client.ClientCertificate;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.dtls.DtlsCertificate;
import org.videoroom.transport.dtls.DtlsConfig;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.IceServer;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * {@link PeerTransport} end to end in one JVM, on loopback, with real peers and nothing mocked on
 * the media path: the server side is an unmodified {@code PeerTransport} on a real
 * {@link IceServer} bound to 127.0.0.1 on an ephemeral port; the browser is a
 * {@link BrowserStandIn} (ice4j controlling agent → Bouncy Castle DTLS client with {@code use_srtp}
 * → {@link SrtpSession#forClient}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerTransportTest {

    // ice4j fixes its consent timers on first use in a JVM and surefire runs every test class in one,
    // so these must equal transport.ice.TestIceConfigs': short, so consent expiry shows within seconds.
    private static final Duration CONSENT_INTERVAL = Duration.ofMillis(300);
    private static final Duration CONSENT_RETRANSMISSION = Duration.ofMillis(100);
    private static final Duration CONSENT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Upper bound for anything awaited on loopback. */
    private static final Duration AWAIT = Duration.ofSeconds(5);
    /** How long "nothing more arrives" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final InetAddress LOOPBACK = loopback();
    private static final int BROWSER_SSRC = 0x11223344;
    private static final int SERVER_SSRC = 0x55667788;

    private static ScheduledExecutorService scheduler;
    private static DtlsCertificate serverCertificate;

    private IceServer iceServer;
    private ExecutorService events;
    /** Runs the blocking DTLS handshakes on the event threads, counting them. */
    private final AtomicInteger handshakesRun = new AtomicInteger();
    private final Executor handshakes = task -> {
        handshakesRun.incrementAndGet();
        events.execute(task);
    };
    private final List<PeerTransport> transports = new ArrayList<>();
    private final List<BrowserStandIn> browsers = new ArrayList<>();

    @BeforeAll
    static void startShared() {
        // jitsi-srtp benchmarks its ciphers on first use; do it before any test's clock runs.
        SrtpSession.warmUp();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        serverCertificate = DtlsCertificate.generate();
    }

    @AfterAll
    static void stopShared() {
        scheduler.shutdownNow();
    }

    @BeforeEach
    void startServer() {
        IceConfig config = IceConfig.defaults()
                .withPort(0)
                .withConnectTimeout(CONNECT_TIMEOUT)
                .withConsent(CONSENT_INTERVAL, CONSENT_RETRANSMISSION, CONSENT_TIMEOUT);
        iceServer = new IceServer(config, scheduler);
        events = Executors.newCachedThreadPool();
        handshakesRun.set(0);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        transports.forEach(PeerTransport::close);
        for (BrowserStandIn browser : browsers) {
            browser.close();
            assertFalse(browser.ice().readerAlive(), "the browser's reader thread ended");
        }
        iceServer.close();
        events.shutdownNow();
        assertTrue(events.awaitTermination(AWAIT.toMillis(), TimeUnit.MILLISECONDS), "event threads stopped");
    }

    // ---- the browser's media reaches the listener in the clear ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProfile.class)
    void connectsAndDeliversTheBrowsersMediaDecrypted(SrtpProfile profile) throws Exception {
        Connection c = connect(profile);

        assertTrue(c.server.isConnected());
        assertEquals(1, c.events.connectedCalls.get());
        assertFalse(c.events.failed.isDone());

        // Across the sequence number wrap: the server must guess the rollover counter (RFC 3711 §3.3.1).
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            byte[] plain = rtp(BROWSER_SSRC, seq, "browser media " + seq);
            c.browser.sendRtp(plain);
            assertArrayEquals(plain, c.events.pollRtp(AWAIT), "RTP seq " + seq);
        }
        byte[] report = compoundRtcp(BROWSER_SSRC, SERVER_SSRC);
        c.browser.sendRtcp(report);
        assertArrayEquals(report, c.events.pollRtcp(AWAIT));

        assertNull(c.events.pollRtp(QUIET), "exactly the packets sent, nothing more");
        assertEquals(0, c.events.pendingPackets());
        PeerTransport.Stats stats = c.server.stats();
        assertEquals(6, stats.rtpReceived());
        assertEquals(1, stats.rtcpReceived());
        assertTrue(stats.dtlsReceived() > 0, "the handshake came through the demultiplexer");
        assertEquals(new Drops(0, 0, 0, 0), Drops.of(stats));
    }

    // ---- the server's media reaches the browser ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProfile.class)
    void serverMediaReachesTheBrowserAndDecrypts(SrtpProfile profile) throws Exception {
        Connection c = connect(profile);

        for (int seq : new int[] {65534, 65535, 0, 1}) {
            byte[] plain = rtp(SERVER_SSRC, seq, "server media " + seq);
            // From an offset inside a larger array, with the tail room the tag needs.
            int off = 7;
            byte[] buf = new byte[off + plain.length + SrtpSession.MAX_TAIL_ROOM];
            System.arraycopy(plain, 0, buf, off, plain.length);
            c.server.sendRtp(buf, off, plain.length);
            assertArrayEquals(plain, c.browser.receiveRtp(AWAIT), "RTP seq " + seq);
        }
        byte[] report = compoundRtcp(SERVER_SSRC, BROWSER_SSRC);
        byte[] buf = Arrays.copyOf(report, report.length + SrtpSession.MAX_TAIL_ROOM);
        c.server.sendRtcp(buf, 0, report.length);
        assertArrayEquals(report, c.browser.receiveRtcp(AWAIT));

        PeerTransport.Stats stats = c.server.stats();
        assertEquals(4, stats.rtpSent());
        assertEquals(1, stats.rtcpSent());
        assertEquals(0, stats.sendDropped());
    }

    // ---- a certificate that does not match the offer's fingerprint ----

    @Test
    void wrongClientCertificateFailsTheTransport() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("wrong-cert", recorded);
        BrowserStandIn browser = newBrowser();
        // The SDP announced some other certificate than the one the browser presents.
        browser.connectIce(server, List.of(ClientCertificate.generate().fingerprint()), AWAIT);
        // SRTP-looking, before any keys: held in case keys come.
        browser.sendRaw(rtp(BROWSER_SSRC, 1, "before the handshake"));

        TlsFatalAlertReceived alert = assertThrows(TlsFatalAlertReceived.class,
                () -> browser.handshake(serverCertificate.fingerprint(), SrtpProfile.SRTP_AEAD_AES_128_GCM));
        assertEquals(AlertDescription.bad_certificate, alert.getAlertDescription());

        recorded.failed.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(server.isConnected());
        // No keys will come: SRTP-looking datagrams on the still-open pair are dropped, and so is the held one.
        browser.sendRaw(rtp(BROWSER_SSRC, 2, "no keys, no media"));
        awaitTrue(() -> server.stats().beforeKeysDropped() == 2, "both RTP packets without keys counted");
        assertNull(recorded.pollRtp(QUIET));
        assertEquals(0, recorded.connectedCalls.get());
        assertEquals(1, recorded.failedCalls.get());
        assertEquals(0, server.stats().rtpReceived());
    }

    @Test
    void browserRejectingTheServerCertificateFailsTheTransport() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("rejected", recorded);
        BrowserStandIn browser = newBrowser();
        browser.connectIce(server, List.of(browser.fingerprint()), AWAIT);

        // The answer the browser got named another certificate than the one the server presents.
        Fingerprint someoneElse = DtlsCertificate.generate().fingerprint();
        assertThrows(TlsFatalAlert.class, () -> browser.handshake(someoneElse, SrtpProfile.SRTP_AEAD_AES_128_GCM));

        recorded.failed.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(server.isConnected());
        assertEquals(0, recorded.connectedCalls.get());
        assertEquals(1, recorded.failedCalls.get());
    }

    // ---- hostile datagrams on the connected 5-tuple ----

    /**
     * Where a hostile datagram must end: one of the drop counters; DTLS (handed to the DTLS stack,
     * which discards it); NONE (taken by ice4j's STUN stack below the transport).
     */
    enum Counter { UNKNOWN, SRTP, SRTCP, DTLS, NONE }

    /** Makes one hostile datagram from the last valid SRTP and SRTCP datagrams the browser sent. */
    @FunctionalInterface
    interface Hostile {
        byte[] make(byte[] lastSrtp, byte[] lastSrtcp);
    }

    static Stream<Arguments> hostileDatagrams() {
        return Stream.of(
                row("random bytes, first byte 255 (no RFC 7983 range)", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(0xFF, random(40, 1))),
                row("random bytes, first byte 100 (unassigned 80..127)", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(100, random(40, 2))),
                row("first byte 0 (STUN range), no STUN header", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(0, random(40, 3))),
                row("first byte 3 (STUN range), no STUN header", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(3, random(40, 4))),
                row("empty datagram", Counter.UNKNOWN,
                        (rtp, rtcp) -> new byte[0]),
                row("STUN Binding success response to no transaction of ours", Counter.NONE,
                        (rtp, rtcp) -> hex("01 01 00 00"                         // Binding success response, length 0
                                + "21 12 a4 42"                                  // magic cookie (RFC 8489 §5)
                                + "00 01 02 03 04 05 06 07 08 09 0a 0b")),       // transaction ID
                row("STUN whose attribute runs past the datagram (ice4j's decoder throws; found by StunFuzzTest)",
                        Counter.NONE,
                        (rtp, rtcp) -> hex("00 01 00 01"                         // Binding request, length 1
                                + "00 00 21 12 a4 42 b7 31 06 06 43 db"          // cookie and id bytes, shifted
                                + "29 7a fa 87 ae")),                            // a cut attribute header
                row("first byte 17 (ZRTP range 16..19)", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(17, random(40, 5))),
                row("first byte 64 (TURN ChannelData 64..79)", Counter.UNKNOWN,
                        (rtp, rtcp) -> hex("40 00 00 04"                         // channel 0x4000, length 4
                                + "de ad be ef")),                               // data
                row("first byte 79 (TURN ChannelData 64..79)", Counter.UNKNOWN,
                        (rtp, rtcp) -> withFirstByte(79, random(24, 6))),
                row("DTLS record header cut short (10 of 13 bytes)", Counter.UNKNOWN,
                        (rtp, rtcp) -> hex("17 fe fd"                            // application_data, DTLS 1.2
                                + "00 01"                                        // epoch 1
                                + "00 00 00 00 00")),                            // 5 of 6 sequence number bytes
                row("DTLS record truncated (length 100, 7 bytes follow)", Counter.DTLS,
                        (rtp, rtcp) -> hex("17 fe fd"                            // application_data, DTLS 1.2
                                + "00 01"                                        // epoch 1
                                + "00 00 00 00 00 63"                            // sequence number 99
                                + "00 64"                                        // length 100
                                + "01 02 03 04 05 06 07")),                      // only 7 of them
                row("DTLS handshake record of an unknown epoch", Counter.DTLS,
                        (rtp, rtcp) -> hex("16 fe fd"                            // handshake, DTLS 1.2
                                + "00 07"                                        // epoch 7: never negotiated
                                + "00 00 00 00 00 01"                            // sequence number 1
                                + "00 04"                                        // length 4
                                + "01 02 03 04")),                               // fragment
                row("RTP header cut short (11 bytes)", Counter.UNKNOWN,
                        (rtp, rtcp) -> Arrays.copyOf(rtp, 11)),
                row("RTCP shorter than its 8-byte minimum", Counter.UNKNOWN,
                        (rtp, rtcp) -> Arrays.copyOf(rtcp, 7)),
                row("SRTP with one auth tag bit flipped", Counter.SRTP,
                        (rtp, rtcp) -> flipBit(rtp, rtp.length - 1)),
                row("SRTP with one payload bit flipped", Counter.SRTP,
                        (rtp, rtcp) -> flipBit(rtp, 14)),
                row("SRTP replayed", Counter.SRTP,
                        (rtp, rtcp) -> rtp.clone()),
                row("SRTP truncated to less than header plus tag", Counter.SRTP,
                        (rtp, rtcp) -> Arrays.copyOf(rtp, 14)),
                row("plain RTP, never encrypted", Counter.SRTP,
                        (rtp, rtcp) -> rtp(BROWSER_SSRC, 3000, "in the clear")),
                row("SRTP from an unknown SSRC with a random tag", Counter.SRTP,
                        (rtp, rtcp) -> withTail(rtp(0x0BADBAD0, 1, "forged"), random(16, 7))),
                row("SRTCP with one auth tag bit flipped", Counter.SRTCP,
                        (rtp, rtcp) -> flipBit(rtcp, rtcp.length - 1)),
                row("SRTCP replayed", Counter.SRTCP,
                        (rtp, rtcp) -> rtcp.clone()),
                row("plain RTCP, never encrypted", Counter.SRTCP,
                        (rtp, rtcp) -> compoundRtcp(BROWSER_SSRC, SERVER_SSRC)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileDatagrams")
    void hostileDatagramsAreDroppedAndCountedWhileMediaFlows(String name, Counter counter, Hostile hostile)
            throws Exception {
        Connection c = connect(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        byte[] rtpBefore = rtp(BROWSER_SSRC, 100, "before");
        byte[] rtcpBefore = compoundRtcp(BROWSER_SSRC, SERVER_SSRC);
        byte[] lastSrtp = c.browser.sendRtp(rtpBefore);
        byte[] lastSrtcp = c.browser.sendRtcp(rtcpBefore);
        assertArrayEquals(rtpBefore, c.events.pollRtp(AWAIT));
        assertArrayEquals(rtcpBefore, c.events.pollRtcp(AWAIT));
        PeerTransport.Stats before = c.server.stats();

        c.browser.sendRaw(hostile.make(lastSrtp, lastSrtcp));

        // Sent after the hostile datagram on the same 5-tuple, so read after it by the same thread.
        byte[] rtpAfter = rtp(BROWSER_SSRC, 101, "after");
        byte[] rtcpAfter = compoundRtcp(BROWSER_SSRC, SERVER_SSRC);
        c.browser.sendRtp(rtpAfter);
        c.browser.sendRtcp(rtcpAfter);
        assertArrayEquals(rtpAfter, c.events.pollRtp(AWAIT));
        assertArrayEquals(rtcpAfter, c.events.pollRtcp(AWAIT));
        assertNull(c.events.pollRtp(QUIET), "the hostile datagram was not delivered");
        assertEquals(0, c.events.pendingPackets());

        PeerTransport.Stats after = c.server.stats();
        assertEquals(1, after.rtpReceived() - before.rtpReceived(), "only the valid RTP after it");
        assertEquals(1, after.rtcpReceived() - before.rtcpReceived(), "only the valid RTCP after it");
        assertEquals(Drops.expected(counter), Drops.of(after).minus(Drops.of(before)));
        assertEquals(counter == Counter.DTLS ? 1 : 0, after.dtlsReceived() - before.dtlsReceived());
        assertTrue(c.server.isConnected());
        assertFalse(c.events.failed.isDone(), "a hostile datagram does not end the transport");
    }

    // ---- sending before the transport is connected ----

    @Test
    void sendBeforeConnectIsDroppedAndCounted() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("early", recorded);
        byte[] plain = rtp(SERVER_SSRC, 1, "too early");
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
        byte[] report = compoundRtcp(SERVER_SSRC, BROWSER_SSRC);
        byte[] rtcpBuf = Arrays.copyOf(report, report.length + SrtpSession.MAX_TAIL_ROOM);

        // Not even started.
        server.sendRtp(buf, 0, plain.length);
        server.sendRtcp(rtcpBuf, 0, report.length);
        assertEquals(2, server.stats().sendDropped());

        // ICE connected, DTLS not yet done: still no keys.
        BrowserStandIn browser = newBrowser();
        browser.connectIce(server, List.of(browser.fingerprint()), AWAIT);
        server.sendRtp(buf, 0, plain.length);
        assertEquals(3, server.stats().sendDropped());
        assertEquals(0, server.stats().rtpSent());
        assertEquals(0, server.stats().rtcpSent());
        assertArrayEquals(plain, Arrays.copyOf(buf, plain.length), "a dropped packet is left unencrypted");
        assertNull(browser.ice().pollMedia(QUIET), "nothing reached the browser");

        browser.handshake(serverCertificate.fingerprint(), SrtpProfile.SRTP_AEAD_AES_128_GCM);
        recorded.connected.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        server.sendRtp(buf, 0, plain.length);
        assertArrayEquals(plain, browser.receiveRtp(AWAIT), "once connected, the same packet goes out");
        assertEquals(1, server.stats().rtpSent());
        assertEquals(3, server.stats().sendDropped());
    }

    /**
     * An offer alone (credentials, no ICE) must cost no handshake thread: only a peer that completed ICE checks,
     * and so owns its address, gets a DTLS handshake. Its ClientHello may overtake our ICE verdict and is kept.
     */
    @Test
    void dtlsStartsOnlyOnceIceConnects() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("ice-first", recorded);
        BrowserStandIn browser = newBrowser();
        server.start(browser.ice().ufrag(), browser.ice().password(), List.of(browser.fingerprint()));
        Thread.sleep(QUIET.toMillis());
        assertFalse(server.dtlsStarted(), "no handshake before ICE");
        assertEquals(0, handshakesRun.get(), "no handshake thread before ICE");

        browser.connectIceStarted(server, AWAIT);
        awaitTrue(server::dtlsStarted, "DTLS started once ICE connected");
        browser.handshake(serverCertificate.fingerprint(), SrtpProfile.SRTP_AEAD_AES_128_GCM);
        recorded.connected.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(handshakesRun.get() >= 1);
    }

    // ---- media that overtakes the keys ----

    /**
     * A browser sends media as soon as its handshake ends, i.e. when our last flight reaches it,
     * which can be before our handshake thread has installed the keys: on loopback about one
     * handshake in five. Repeated so the race is met.
     */
    @RepeatedTest(5)
    void mediaSentTheMomentTheBrowsersHandshakeEndsIsNotLost() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("eager", recorded);
        BrowserStandIn browser = newBrowser();
        browser.connectIce(server, List.of(browser.fingerprint()), AWAIT);
        browser.handshake(serverCertificate.fingerprint(), SrtpProfile.SRTP_AEAD_AES_128_GCM);

        List<byte[]> sent = new ArrayList<>();
        for (int seq = 0; seq < 5; seq++) {
            sent.add(rtp(BROWSER_SSRC, seq, "at once " + seq));
            browser.sendRtp(sent.get(seq));
        }
        byte[] report = compoundRtcp(BROWSER_SSRC, SERVER_SSRC);
        browser.sendRtcp(report);
        recorded.connected.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        // Held packets go to the listener just before the next datagram, as a live stream provides.
        sent.add(rtp(BROWSER_SSRC, 5, "later"));
        browser.sendRtp(sent.get(5));

        for (byte[] packet : sent) {
            assertArrayEquals(packet, recorded.pollRtp(AWAIT));
        }
        assertArrayEquals(report, recorded.pollRtcp(AWAIT));
        assertEquals(0, server.stats().beforeKeysDropped());
    }

    @Test
    void packetsHeldForTheKeysAreAuthenticatedLikeAnyOther() throws Exception {
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport("forged-early", recorded);
        BrowserStandIn browser = newBrowser();
        browser.connectIce(server, List.of(browser.fingerprint()), AWAIT);
        // Before any keys exist: whoever sends this cannot have encrypted it.
        browser.sendRaw(rtp(BROWSER_SSRC, 1, "forged before the handshake"));

        browser.handshake(serverCertificate.fingerprint(), SrtpProfile.SRTP_AEAD_AES_128_GCM);
        recorded.connected.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        byte[] genuine = rtp(BROWSER_SSRC, 2, "genuine");
        browser.sendRtp(genuine);

        assertArrayEquals(genuine, recorded.pollRtp(AWAIT));
        assertNull(recorded.pollRtp(QUIET));
        PeerTransport.Stats stats = server.stats();
        assertEquals(1, stats.rtpReceived());
        assertEquals(new Drops(0, 1, 0, 0), Drops.of(stats), "held, then failed authentication");
    }

    // ---- close ----

    @Test
    void closeIsIdempotentSendsCloseNotifyAndFreesTheIceRegistration() throws Exception {
        Connection c = connect(SrtpProfile.SRTP_AEAD_AES_128_GCM);
        String ufrag = c.server.localUfrag();
        assertTrue(iceServer.isRegistered(ufrag));
        assertEquals(1, iceServer.stats().transports());

        c.server.close();
        c.server.close();

        assertFalse(iceServer.isRegistered(ufrag), "checks for this ufrag are turned away from now on");
        assertEquals(0, iceServer.stats().transports());
        assertFalse(c.server.isConnected());
        assertTrue(c.browser.awaitCloseNotify(AWAIT), "DTLS was ended with close_notify before ICE closed");
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("ice-reader-" + c.id)), "the ICE reader thread ended");

        byte[] plain = rtp(SERVER_SSRC, 9, "after close");
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
        c.server.sendRtp(buf, 0, plain.length);
        assertEquals(1, c.server.stats().sendDropped());
        c.browser.sendRtp(rtp(BROWSER_SSRC, 9, "after close"));
        assertNull(c.events.pollRtp(QUIET), "nothing is delivered after close");
        assertEquals(0, c.events.failedCalls.get(), "close() reports nothing to the listener");
        assertEquals(1, c.events.connectedCalls.get());
    }

    // ---- consent freshness, and the browser's own close ----

    @Test
    void browserGoneFailsTheTransportWhenConsentExpires() throws Exception {
        Connection c = connect(SrtpProfile.SRTP_AEAD_AES_128_GCM);

        long goneAt = System.nanoTime();
        c.browser.close();
        assertFalse(c.browser.ice().readerAlive(), "the client's reader thread ended");

        c.events.failed.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goneAt);
        // The last answered check was at most about one interval before the browser left, so expiry
        // cannot come much earlier than the timeout; half of it leaves room for timer jitter.
        assertTrue(elapsedMs >= CONSENT_TIMEOUT.toMillis() / 2, "too early for consent expiry: " + elapsedMs + " ms");
        assertFalse(c.server.isConnected());
        assertEquals(1, c.events.failedCalls.get());

        // RFC 7675 §5.1: no more media once consent is gone.
        byte[] plain = rtp(SERVER_SSRC, 1, "to nobody");
        c.server.sendRtp(Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM), 0, plain.length);
        assertEquals(1, c.server.stats().sendDropped());
        assertEquals(0, c.server.stats().rtpSent());
    }

    @Test
    void closeNotifyFromTheBrowserFailsTheTransport() throws Exception {
        Connection c = connect(SrtpProfile.SRTP_AEAD_AES_128_GCM);

        c.browser.closeDtls();

        c.events.failed.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(c.server.isConnected());
        Thread.sleep(QUIET.toMillis());
        assertEquals(1, c.events.failedCalls.get(), "reported once");
    }

    // ---- fixtures ----

    /** One connected transport and its browser. */
    private record Connection(String id, PeerTransport server, RecordingPeerListener events, BrowserStandIn browser) {
    }

    private Connection connect(SrtpProfile profile) throws Exception {
        String id = "peer" + transports.size();
        RecordingPeerListener recorded = new RecordingPeerListener();
        PeerTransport server = newTransport(id, recorded);
        BrowserStandIn browser = newBrowser();
        browser.connectIce(server, List.of(browser.fingerprint()), AWAIT);
        browser.handshake(serverCertificate.fingerprint(), profile);
        recorded.connected.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        return new Connection(id, server, recorded, browser);
    }

    private PeerTransport newTransport(String id, RecordingPeerListener listener) {
        PeerTransport transport = new PeerTransport(id, iceServer, serverCertificate, DtlsConfig.DEFAULT,
                SrtpConfig.DEFAULT, events, handshakes, listener);
        transports.add(transport);
        return transport;
    }

    private BrowserStandIn newBrowser() {
        BrowserStandIn browser = new BrowserStandIn(LOOPBACK);
        browsers.add(browser);
        return browser;
    }

    /** The four drop counters of {@link PeerTransport.Stats} that hostile input can reach. */
    private record Drops(long unknown, long srtp, long srtcp, long beforeKeys) {
        static Drops of(PeerTransport.Stats s) {
            return new Drops(s.unknownDropped(), s.srtpDropped(), s.srtcpDropped(), s.beforeKeysDropped());
        }

        static Drops expected(Counter counter) {
            return new Drops(counter == Counter.UNKNOWN ? 1 : 0, counter == Counter.SRTP ? 1 : 0,
                    counter == Counter.SRTCP ? 1 : 0, 0);
        }

        Drops minus(Drops o) {
            return new Drops(unknown - o.unknown, srtp - o.srtp, srtcp - o.srtcp, beforeKeys - o.beforeKeys);
        }
    }

    // ---- packets ----

    /** A plain RTP packet (RFC 3550 §5.1): V=2, PT 96, no CSRC or extension. */
    private static byte[] rtp(int ssrc, int sequenceNumber, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        byte[] packet = new byte[12 + body.length];
        packet[0] = (byte) 0x80;                         // V=2 P=0 X=0 CC=0
        packet[1] = 96;                                  // M=0 PT=96
        packet[2] = (byte) (sequenceNumber >>> 8);
        packet[3] = (byte) sequenceNumber;
        int timestamp = sequenceNumber * 3000;           // 90 kHz, 30 fps
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            packet[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(body, 0, packet, 12, body.length);
        return packet;
    }

    /** An empty receiver report followed by a PLI (RFC 3550 §6.4.2, RFC 4585 §6.3.1). */
    private static byte[] compoundRtcp(int senderSsrc, int mediaSsrc) {
        String sender = "%08x".formatted(senderSsrc);
        return hex("80 c9 00 01"                    // RR: V=2 P=0 RC=0, PT=201, length 1 word
                + sender                            //   reporter SSRC
                + "81 ce 00 02"                     // PLI: V=2 P=0 FMT=1, PT=206, length 2 words
                + sender                            //   SSRC of packet sender
                + "%08x".formatted(mediaSsrc));     //   SSRC of media source
    }

    private static Arguments row(String name, Counter counter, Hostile hostile) {
        return Arguments.of(name, counter, hostile);
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] withFirstByte(int first, byte[] bytes) {
        bytes[0] = (byte) first;
        return bytes;
    }

    private static byte[] withTail(byte[] head, byte[] tail) {
        byte[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    private static byte[] flipBit(byte[] datagram, int index) {
        byte[] copy = datagram.clone();
        copy[index] ^= 0x01;
        return copy;
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

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
