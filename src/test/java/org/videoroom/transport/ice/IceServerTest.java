package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_1;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_2;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
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
 * The shared port seen from the wire: hand-built checks from raw loopback sockets, so we see
 * exactly what the server answers, and to whom. The server allows 127.0.0.1 and ::1 only;
 * 127.0.0.2 stands in for the machine's eth0 address that Chromium's checks come from.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IceServerTest {

    private static final String PEER_UFRAG = "peer";
    private static final String PEER_PASSWORD = "peerpasswordpeerpassword";
    private static final int NO_RESPONSE = 0;
    private static final int NO_RESPONSE_WAIT_MS = 700;

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

    /**
     * @param ufrag RIGHT for the transport's ufrag, else used as is
     * @param password RIGHT for the transport's password, NONE to leave MESSAGE-INTEGRITY out, else as is
     * @param expected STUN message type of the answer, or 0 for none at all
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            allowed source, right credentials    | 127.0.0.1 | RIGHT   | RIGHT            | 0x0101 | -1  | 0 | 0
            allowed source, wrong password       | 127.0.0.1 | RIGHT   | wrongpasswordxyz | 0x0111 | 401 | 0 | 0
            allowed source, no MESSAGE-INTEGRITY | 127.0.0.1 | RIGHT   | NONE             | 0x0111 | 401 | 0 | 0
            allowed source, unknown ufrag        | 127.0.0.1 | nosuch  | RIGHT            | 0      | -1  | 0 | 1
            disallowed source, right credentials | 127.0.0.2 | RIGHT   | RIGHT            | 0      | -1  | 1 | 0
            disallowed source, unknown ufrag     | 127.0.0.2 | nosuch  | RIGHT            | 0      | -1  | 1 | 0
            """)
    void answersChecksOnlyFromAllowedSourcesWithValidCredentials(
            String name, String source, String ufrag, String password, String expectedType, int expectedError,
            long droppedSourceNotAllowed, long droppedUnknownUfrag) throws Exception {
        server = new IceServer(TestIceConfigs.onlyLoopback1(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);
        transport.start(PEER_UFRAG, PEER_PASSWORD);
        String username = ("RIGHT".equals(ufrag) ? transport.localUfrag() : ufrag) + ":" + PEER_UFRAG;
        String key = switch (password) {
            case "RIGHT" -> transport.localPassword();
            case "NONE" -> null;
            default -> password;
        };

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
            byte[] transactionId = StunBindingRequest.newTransactionId();
            byte[] request = StunBindingRequest.encode(username, key, transactionId);
            socket.send(new DatagramPacket(request, request.length, LOOPBACK_1, server.port()));

            int type = Integer.decode(expectedType);
            if (type == NO_RESPONSE) {
                assertNothingArrives(socket);
            } else {
                byte[] answer = awaitAnswer(socket, transactionId);
                assertEquals(type, StunBindingRequest.messageType(answer));
                assertEquals(expectedError, StunBindingRequest.errorCode(answer));
            }
        }
        assertEquals(droppedSourceNotAllowed, server.stats().checksDroppedSourceNotAllowed());
        assertEquals(droppedUnknownUfrag, server.stats().checksDroppedUnknownUfrag());
        // A drop is charged to the transport whose ufrag the check named.
        assertEquals("RIGHT".equals(ufrag) ? droppedSourceNotAllowed : 0,
                transport.stats().packetsDroppedSourceNotAllowed());
    }

    @Test
    void nonStunDatagramFromUnknownSourceIsDropped() throws Exception {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        server.createTransport("alice", new RecordingListener(), Runnable::run);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK_1, 0))) {
            byte[] dtlsLike = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            socket.send(new DatagramPacket(dtlsLike, dtlsLike.length, LOOPBACK_1, server.port()));
            assertNothingArrives(socket);
        }
    }

    @Test
    void allHostAddressesShareOnePort() {
        InetAddress loopback3 = TestIceConfigs.address(127, 0, 0, 3);
        IceConfig config = TestIceConfigs.loopback().withHostAddresses(List.of(
                IceConfig.HostAddress.of(LOOPBACK_1), IceConfig.HostAddress.of(loopback3)));
        server = new IceServer(config, scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);

        assertEquals(List.of(new InetSocketAddress(LOOPBACK_1, server.port()), new InetSocketAddress(loopback3, server.port())),
                server.boundAddresses());
        assertEquals(List.of("127.0.0.1", "127.0.0.3"),
                transport.localCandidates().stream().map(IceCandidate::address).sorted().toList());
        assertTrue(transport.localCandidates().stream().allMatch(c -> c.port() == server.port()));
    }

    @Test
    void aBusyPortIsReportedAndAClosedPortCanBeReused() {
        server = new IceServer(TestIceConfigs.loopback(), scheduler);
        IceConfig samePort = TestIceConfigs.loopback().withPort(server.port());

        assertThrows(IceException.class, () -> new IceServer(samePort, scheduler));

        // Redeploy right after undeploy, a few times: close() must leave the port free, even though
        // ice4j's listener thread releases the socket only when it wakes from receive().
        for (int cycle = 0; cycle < 5; cycle++) {
            server.createTransport("alice", new RecordingListener(), Runnable::run);
            server.close();
            server = new IceServer(samePort, scheduler);
            assertEquals(samePort.port(), server.port());
        }
    }

    @Test
    void createsNoTrafficToDisallowedAddressesFromSignalledCandidates() throws Exception {
        // A candidate on 127.0.0.2 is refused, so the server never sends a check there.
        server = new IceServer(TestIceConfigs.onlyLoopback1(), scheduler);
        IceTransport transport = server.createTransport("alice", new RecordingListener(), Runnable::run);
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(LOOPBACK_2, 0))) {
            String candidate = "candidate:1 1 udp 2130706431 127.0.0.2 " + listener.getLocalPort() + " typ host";
            assertEquals(RemoteCandidateResult.IGNORED_ADDRESS_NOT_ALLOWED, transport.addRemoteCandidate(candidate));
            transport.start(PEER_UFRAG, PEER_PASSWORD);
            assertNothingArrives(listener);
        }
    }

    private static byte[] awaitAnswer(DatagramSocket socket, byte[] transactionId) throws Exception {
        socket.setSoTimeout((int) TestIceConfigs.AWAIT.toMillis());
        byte[] buf = new byte[1500];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            byte[] message = Arrays.copyOf(buf, p.getLength());
            // The server may also send its own triggered check (a request); we want our answer.
            if (StunBindingRequest.hasTransactionId(message, transactionId)) {
                return message;
            }
        }
    }

    private static void assertNothingArrives(DatagramSocket socket) throws Exception {
        socket.setSoTimeout(NO_RESPONSE_WAIT_MS);
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        assertThrows(SocketTimeoutException.class, () -> socket.receive(p), "nothing may be sent to this socket");
    }
}
