package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_1;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.sdp.IceCandidate;

/**
 * ICE-TCP (RFC 6544) on the shared TCP port, seen from the wire: a hand-rolled browser stand-in opens a TCP
 * connection from a loopback address and speaks RFC 4571 frames (a 2-byte length before each STUN or media
 * packet). The server allows 127.0.0.1 and ::1 only; 127.0.0.2 stands in for an address outside the allowed
 * networks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IceTcpTest {

    private static final String PEER_UFRAG = "peer";
    private static final String PEER_PASSWORD = "peerpasswordpeerpassword";
    private static final int READ_TIMEOUT_MS = 3000;

    private static ScheduledExecutorService scheduler;
    private IceServer server;

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyHostAddressGetsAPassiveTcpCandidateWithTheAdvertisedAddress() throws Exception {
        InetAddress advertised = InetAddress.getByName("203.0.113.7");
        int tcpPort = freeTcpPort();
        IceConfig config = TestIceConfigs.onlyLoopback1()
                .withHostAddresses(List.of(new IceConfig.HostAddress(LOOPBACK_1, advertised)))
                .withTcpPort(OptionalInt.of(tcpPort));
        server = new IceServer(config, scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        IceCandidate tcp = transport.localCandidates().stream().filter(c -> c.transport().equals("tcp"))
                .findFirst().orElseThrow(() -> new AssertionError("no TCP candidate: " + transport.localCandidates()));
        IceCandidate udp = transport.localCandidates().stream().filter(IceCandidate::isUdp).findFirst().orElseThrow();
        assertEquals(2, transport.localCandidates().size());
        assertEquals("203.0.113.7", tcp.address());
        assertEquals(tcpPort, tcp.port());
        assertEquals(java.util.Optional.of(IceCandidate.TcpType.PASSIVE), tcp.tcpType());
        assertEquals(IceCandidate.CandidateType.HOST, tcp.type());
        assertEquals("203.0.113.7", udp.address());
        assertEquals(java.util.Optional.empty(), udp.tcpType());
        // Browsers decide by priority; ours should rank UDP first, so UDP wins wherever it works.
        assertTrue(udp.priority() > tcp.priority(), "UDP " + udp.priority() + " above TCP " + tcp.priority());
        assertTrue(tcp.format().contains(" tcp ") && tcp.format().contains("tcptype passive"), tcp.format());
        assertEquals(List.of(new InetSocketAddress(LOOPBACK_1, tcpPort)), server.tcpBoundAddresses());
        assertEquals(OptionalInt.of(tcpPort), server.tcpPort());
    }

    @Test
    void withoutATcpPortNothingListensAndNoTcpCandidateIsOffered() {
        server = new IceServer(TestIceConfigs.onlyLoopback1(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        assertTrue(transport.localCandidates().stream().allMatch(IceCandidate::isUdp));
        assertEquals(List.of(), server.tcpBoundAddresses());
        assertEquals(OptionalInt.empty(), server.tcpPort());
    }

    /**
     * @param expectedType the STUN message type of the answer, or 0 when the connection must be closed unanswered
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            allowed source, right ufrag     | 127.0.0.1 | true  | 0x0101 | 0 | 0
            allowed source, unknown ufrag   | 127.0.0.1 | false | 0      | 0 | 1
            disallowed source, right ufrag  | 127.0.0.2 | true  | 0      | 1 | 0
            disallowed source, unknown ufrag| 127.0.0.2 | false | 0      | 1 | 0
            """)
    void aConnectionReachesIceOnlyFromAnAllowedSourceForAnOpenTransport(
            String name, String source, boolean rightUfrag, String expectedType, long droppedSourceNotAllowed,
            long droppedUnknownUfrag) throws Exception {
        server = new IceServer(TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(freeTcpPort())), scheduler);
        RecordingListener listener = new RecordingListener();
        IceTransport transport = server.createTransport("alice", listener, Runnable::run);
        transport.start(PEER_UFRAG, PEER_PASSWORD);
        String username = (rightUfrag ? transport.localUfrag() : "nosuch") + ":" + PEER_UFRAG;

        try (Framed peer = Framed.connect(InetAddress.getByName(source), server.tcpBoundAddresses().get(0))) {
            byte[] transactionId = StunBindingRequest.newTransactionId();
            peer.write(StunBindingRequest.encode(username, transport.localPassword(), transactionId));
            int type = Integer.decode(expectedType);
            if (type == 0) {
                // Refused: closed by the server without a byte written back.
                assertThrows(EOFException.class, peer::read);
            } else {
                byte[] answer = peer.readStunAnswer(transactionId);
                assertEquals(type, StunBindingRequest.messageType(answer));
            }
        }
        assertEquals(droppedSourceNotAllowed, server.stats().checksDroppedSourceNotAllowed());
        assertEquals(droppedUnknownUfrag, server.stats().checksDroppedUnknownUfrag());
        assertEquals(rightUfrag ? droppedSourceNotAllowed : 0, transport.stats().packetsDroppedSourceNotAllowed());
        assertFalse(listener.connected.isDone(), "no pair from a single check");
    }

    /**
     * The whole path on one TCP connection: the peer's nominating check, the server's triggered check
     * answered, the pair selected as TCP, then a media packet each way in RFC 4571 frames.
     */
    @Test
    void aTcpPairIsSelectedAndCarriesPacketsBothWays() throws Exception {
        server = new IceServer(TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(freeTcpPort())), scheduler);
        RecordingListener listener = new RecordingListener();
        IceTransport transport = server.createTransport("alice", listener, Runnable::run);
        transport.start(PEER_UFRAG, PEER_PASSWORD);
        String username = transport.localUfrag() + ":" + PEER_UFRAG;
        InetSocketAddress serverAddress = server.tcpBoundAddresses().get(0);

        try (Framed peer = Framed.connect(LOOPBACK_1, serverAddress)) {
            long deadline = System.nanoTime() + TestIceConfigs.AWAIT.toNanos();
            while (!listener.connected.isDone()) {
                assertTrue(System.nanoTime() < deadline, "no pair selected over TCP");
                // Nominate again until the pair is selected: the first nomination may come before the server's
                // own check on the pair has succeeded.
                peer.write(StunBindingRequest.encode(username, transport.localPassword(),
                        StunBindingRequest.newTransactionId(), true));
                peer.answerChecksFor(200, serverAddress);
            }
            IceSelectedPair pair = listener.connected.get();
            assertEquals(IceProtocol.TCP, pair.protocol());
            assertEquals(serverAddress, pair.local());
            assertEquals(peer.localAddress(), pair.remote());
            assertEquals(1, server.stats().selectedTcp());
            assertEquals(0, server.stats().selectedUdp());

            // Browser to server: a DTLS-looking packet in one frame reaches the listener whole.
            byte[] up = {22, (byte) 0xFE, (byte) 0xFD, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            peer.write(up);
            assertArrayEquals(up, listener.poll(TestIceConfigs.AWAIT));
            // Server to browser: send() frames it on the same connection.
            byte[] down = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 9, 9};
            assertEquals(IceSendStatus.SENT, transport.send(down, 0, down.length));
            assertArrayEquals(down, peer.readNonStun(serverAddress));
            assertEquals(1, transport.stats().packetsSent());
            assertEquals(1, transport.stats().packetsReceived());
        }
    }

    /**
     * A browser that started on ICE-TCP and then nominates a UDP pair (Chromium does when the better pair becomes
     * usable later) is followed: ice4j keeps its first selected pair, we read and send on the nominated one.
     */
    @Test
    void aPeerThatNominatesAnotherPairLaterIsFollowedThere() throws Exception {
        server = new IceServer(TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(freeTcpPort())), scheduler);
        RecordingListener listener = new RecordingListener();
        IceTransport transport = server.createTransport("alice", listener, Runnable::run);
        transport.start(PEER_UFRAG, PEER_PASSWORD);
        String username = transport.localUfrag() + ":" + PEER_UFRAG;
        InetSocketAddress tcpServer = server.tcpBoundAddresses().get(0);
        InetSocketAddress udpServer = server.boundAddresses().get(0);

        try (Framed tcp = Framed.connect(LOOPBACK_1, tcpServer);
             java.net.DatagramSocket udp = new java.net.DatagramSocket(new InetSocketAddress(LOOPBACK_1, 0))) {
            long deadline = System.nanoTime() + TestIceConfigs.AWAIT.toNanos();
            while (!listener.connected.isDone()) {
                assertTrue(System.nanoTime() < deadline, "no pair selected over TCP");
                tcp.write(StunBindingRequest.encode(username, transport.localPassword(),
                        StunBindingRequest.newTransactionId(), true));
                tcp.answerChecksFor(200, tcpServer);
            }
            assertEquals(IceProtocol.TCP, listener.connected.get().protocol());

            // Now the UDP pair: nominating checks until the transport moved there, answering the server's own.
            udp.setSoTimeout(100);
            InetSocketAddress udpPeer = (InetSocketAddress) udp.getLocalSocketAddress();
            byte[] in = new byte[1500];
            while (transport.selectedPair().orElseThrow().protocol() != IceProtocol.UDP) {
                assertTrue(System.nanoTime() < deadline + TestIceConfigs.AWAIT.toNanos(), "never moved to UDP: "
                        + transport.selectedPair());
                byte[] check = StunBindingRequest.encode(username, transport.localPassword(),
                        StunBindingRequest.newTransactionId(), true);
                udp.send(new java.net.DatagramPacket(check, check.length, udpServer));
                answerUdpChecksFor(udp, in, udpServer, 200);
            }
            assertEquals(udpPeer, transport.selectedPair().orElseThrow().remote());
            assertEquals(1, transport.stats().pairSwitches());

            // Media on the new pair reaches the listener; what we send goes there.
            byte[] up = {22, (byte) 0xFE, (byte) 0xFD, 7, 7, 7};
            udp.send(new java.net.DatagramPacket(up, up.length, udpServer));
            assertArrayEquals(up, listener.poll(TestIceConfigs.AWAIT));
            byte[] down = {(byte) 0x80, 111, 0, 2, 0, 0, 0, 1, 0, 0, 0, 42, 5};
            assertEquals(IceSendStatus.SENT, transport.send(down, 0, down.length));
            udp.setSoTimeout(READ_TIMEOUT_MS);
            byte[] got;
            do {
                java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
                udp.receive(p);
                got = java.util.Arrays.copyOf(p.getData(), p.getLength());
                if (StunBindingRequest.messageType(got) == StunBindingRequest.BINDING_REQUEST) {
                    byte[] answer = StunBindingRequest.successResponse(got, udpServer, PEER_PASSWORD);
                    udp.send(new java.net.DatagramPacket(answer, answer.length, udpServer));
                }
            } while ((got[0] & 0xFF) < 4);
            assertArrayEquals(down, got);
        }
    }

    /** Answers the server's checks on the UDP socket for {@code ms}. */
    private static void answerUdpChecksFor(java.net.DatagramSocket udp, byte[] in, InetSocketAddress server, int ms)
            throws IOException {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
            try {
                udp.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            }
            byte[] frame = java.util.Arrays.copyOf(p.getData(), p.getLength());
            if (frame.length >= 20 && StunBindingRequest.messageType(frame) == StunBindingRequest.BINDING_REQUEST) {
                byte[] answer = StunBindingRequest.successResponse(frame, server, PEER_PASSWORD);
                udp.send(new java.net.DatagramPacket(answer, answer.length, server));
            }
        }
    }

    @Test
    void aBusyTcpPortIsReportedAndTheUdpPortIsReleased() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(LOOPBACK_1, 0));
            IceConfig config = TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(busy.getLocalPort()));
            assertThrows(IceException.class, () -> new IceServer(config, scheduler));
        }
        // Nothing was left bound: a server on the same TCP port starts once the port is free.
        int tcpPort = freeTcpPort();
        server = new IceServer(TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(tcpPort)), scheduler);
        server.close();
        server = new IceServer(TestIceConfigs.onlyLoopback1().withTcpPort(OptionalInt.of(tcpPort)), scheduler);
        assertEquals(OptionalInt.of(tcpPort), server.tcpPort());
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(LOOPBACK_1, 0));
            return probe.getLocalPort();
        }
    }

    /** One TCP connection in RFC 4571 frames. */
    private static final class Framed implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private Framed(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        static Framed connect(InetAddress source, InetSocketAddress server) throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server, READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            return new Framed(socket);
        }

        InetSocketAddress localAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void write(byte[] packet) throws IOException {
            out.writeShort(packet.length);
            out.write(packet);
            out.flush();
        }

        /** The next frame; EOFException when the server closed the connection. */
        byte[] read() throws IOException {
            int length = in.readUnsignedShort();
            byte[] packet = new byte[length];
            in.readFully(packet);
            return packet;
        }

        byte[] readStunAnswer(byte[] transactionId) throws IOException {
            while (true) {
                byte[] frame = read();
                if (StunBindingRequest.hasTransactionId(frame, transactionId)) {
                    return frame;
                }
            }
        }

        /** Answers the server's checks (triggered or consent) that arrive within {@code ms}. */
        void answerChecksFor(int ms, InetSocketAddress serverAddress) throws IOException {
            socket.setSoTimeout(ms);
            try {
                while (true) {
                    answerIfCheck(read(), serverAddress);
                }
            } catch (SocketTimeoutException e) {
                // quiet for now
            } finally {
                socket.setSoTimeout(READ_TIMEOUT_MS);
            }
        }

        /** The next frame that is not STUN, answering checks on the way. */
        byte[] readNonStun(InetSocketAddress serverAddress) throws IOException {
            while (true) {
                byte[] frame = read();
                if (!answerIfCheck(frame, serverAddress) && !isStun(frame)) {
                    return frame;
                }
            }
        }

        private boolean answerIfCheck(byte[] frame, InetSocketAddress serverAddress) throws IOException {
            if (isStun(frame) && StunBindingRequest.messageType(frame) == StunBindingRequest.BINDING_REQUEST) {
                write(StunBindingRequest.successResponse(frame, serverAddress, PEER_PASSWORD));
                return true;
            }
            return false;
        }

        private static boolean isStun(byte[] frame) {
            // RFC 7983: the first byte of STUN is 0..3; with the magic cookie at 4..7.
            return frame.length >= 20 && (frame[0] & 0xFF) < 4 && frame[4] == 0x21 && frame[5] == 0x12;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
