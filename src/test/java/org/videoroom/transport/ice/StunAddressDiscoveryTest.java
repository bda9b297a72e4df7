package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.videoroom.transport.ice.TestIceConfigs.LOOPBACK_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.transport.ice.StunAddressDiscovery.Response;
import org.videoroom.transport.ice.StunAddressDiscovery.Result;
import org.videoroom.transport.ice.StunAddressDiscovery.Server;

/**
 * The STUN client that finds the public address: the message codec on hand-built bytes (well-formed, broken
 * and hostile), then whole transactions against a responder on 127.0.0.1 written here. The addresses the
 * responder reports (203.0.113.7, documentation space) are values in its answers; nothing is sent to them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StunAddressDiscoveryTest {

    private static final byte[] TID = HexFormat.of().parseHex("0102030405060708090a0b0c");
    private static final InetSocketAddress PUBLIC = socket("203.0.113.7", 10000);
    private static final InetSocketAddress OTHER_PUBLIC = socket("198.51.100.9", 4000);
    private static final InetSocketAddress PUBLIC_V6 = socket("2001:db8::7", 10000);

    private static ScheduledExecutorService scheduler;
    private final List<Responder> responders = new ArrayList<>();
    private IceServer iceServer;

    @BeforeAll
    static void startScheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @AfterEach
    void closeAll() {
        responders.forEach(Responder::close);
        if (iceServer != null) {
            iceServer.close();
        }
    }

    // ---- encoding ----------------------------------------------------------------------------------------

    @Test
    void theRequestIsABareBindingRequestWithTheCookieAndTransactionId() {
        assertArrayEquals(HexFormat.of().parseHex("0001" + "0000" + "2112a442" + "0102030405060708090a0b0c"),
                StunAddressDiscovery.bindingRequest(TID));
    }

    @Test
    void aTransactionIdHasTwelveBytes() {
        assertThrows(IllegalArgumentException.class, () -> StunAddressDiscovery.bindingRequest(new byte[11]));
    }

    // ---- decoding ----------------------------------------------------------------------------------------

    static Stream<Arguments> responses() {
        byte[] good = message(0x0101, TID, true, xorAddress(PUBLIC, TID));
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        byte[] badCookie = good.clone();
        badCookie[7] ^= 0x01;
        byte[] absurdLength = good.clone();
        absurdLength[2] = (byte) 0xFF;
        absurdLength[3] = (byte) 0xFC;
        byte[] oddLength = good.clone();
        oddLength[3] += 2;
        byte[] rtpLike = good.clone();
        rtpLike[0] = (byte) 0x80;
        byte[] badFingerprint = good.clone();
        badFingerprint[badFingerprint.length - 1] ^= 0x01;
        byte[] otherTid = TID.clone();
        otherTid[0] ^= 0x7F;
        byte[] ipv6WithIpv4Length = xorAddress(PUBLIC, TID);
        ipv6WithIpv4Length[5] = 0x02;
        byte[] unknownFamily = xorAddress(PUBLIC, TID);
        unknownFamily[5] = 0x03;
        byte[] errorCode400 = attribute(0x0009, HexFormat.of().parseHex("00000400") /* class 4, number 0 */);
        byte[] integrity = attribute(0x0008, new byte[20]);
        return Stream.of(
                Arguments.of("XOR-MAPPED-ADDRESS and FINGERPRINT", good, Result.MAPPED, PUBLIC),
                Arguments.of("XOR-MAPPED-ADDRESS, no FINGERPRINT",
                        message(0x0101, TID, false, xorAddress(PUBLIC, TID)), Result.MAPPED, PUBLIC),
                Arguments.of("IPv6 XOR-MAPPED-ADDRESS",
                        message(0x0101, TID, true, xorAddress(PUBLIC_V6, TID)), Result.MAPPED, PUBLIC_V6),
                Arguments.of("MAPPED-ADDRESS only (RFC 3489 server)",
                        message(0x0101, TID, false, plainAddress(PUBLIC)), Result.MAPPED, PUBLIC),
                Arguments.of("XOR-MAPPED-ADDRESS preferred to MAPPED-ADDRESS",
                        message(0x0101, TID, true, plainAddress(OTHER_PUBLIC), xorAddress(PUBLIC, TID)),
                        Result.MAPPED, PUBLIC),
                Arguments.of("the first XOR-MAPPED-ADDRESS counts",
                        message(0x0101, TID, false, xorAddress(PUBLIC, TID), xorAddress(OTHER_PUBLIC, TID)),
                        Result.MAPPED, PUBLIC),
                Arguments.of("SOFTWARE and unknown optional attributes are skipped",
                        message(0x0101, TID, true, attribute(0x8022, "srv 1.0".getBytes()),
                                attribute(0xC057, new byte[] {1, 2, 3}), xorAddress(PUBLIC, TID)),
                        Result.MAPPED, PUBLIC),
                Arguments.of("RFC 3489 SOURCE-ADDRESS and CHANGED-ADDRESS are known",
                        message(0x0101, TID, false, attribute(0x0004, plainValue(OTHER_PUBLIC)),
                                attribute(0x0005, plainValue(OTHER_PUBLIC)), xorAddress(PUBLIC, TID)),
                        Result.MAPPED, PUBLIC),
                Arguments.of("empty datagram", new byte[0], Result.NOT_STUN, null),
                Arguments.of("19 bytes", Arrays.copyOf(good, 19), Result.NOT_STUN, null),
                Arguments.of("leading bits set (RTP)", rtpLike, Result.NOT_STUN, null),
                Arguments.of("wrong magic cookie", badCookie, Result.BAD_MAGIC_COOKIE, null),
                Arguments.of("length 65532 in a short datagram", absurdLength, Result.BAD_LENGTH, null),
                Arguments.of("length not a multiple of 4", oddLength, Result.BAD_LENGTH, null),
                Arguments.of("datagram longer than the message", longer, Result.BAD_LENGTH, null),
                Arguments.of("another transaction",
                        message(0x0101, otherTid, true, xorAddress(PUBLIC, otherTid)), Result.WRONG_TRANSACTION, null),
                Arguments.of("a Binding request", message(0x0001, TID, false), Result.NOT_A_BINDING_RESPONSE, null),
                Arguments.of("a Binding indication", message(0x0011, TID, false, xorAddress(PUBLIC, TID)),
                        Result.NOT_A_BINDING_RESPONSE, null),
                Arguments.of("an Allocate response (TURN)", message(0x0103, TID, false, xorAddress(PUBLIC, TID)),
                        Result.NOT_A_BINDING_RESPONSE, null),
                Arguments.of("attribute length 65535",
                        message(0x0101, TID, false, HexFormat.of().parseHex("0020ffff00000000")),
                        Result.TRUNCATED_ATTRIBUTE, null),
                Arguments.of("address value cut short",
                        message(0x0101, TID, false, HexFormat.of().parseHex("0020000c0001a147e112a643")),
                        Result.TRUNCATED_ATTRIBUTE, null),
                Arguments.of("IPv6 family with an IPv4-sized value",
                        message(0x0101, TID, false, ipv6WithIpv4Length), Result.MALFORMED_ADDRESS, null),
                Arguments.of("unknown address family", message(0x0101, TID, false, unknownFamily),
                        Result.MALFORMED_ADDRESS, null),
                Arguments.of("address attribute of 2 bytes",
                        message(0x0101, TID, false, attribute(0x0020, new byte[] {0, 1})),
                        Result.MALFORMED_ADDRESS, null),
                Arguments.of("malformed MAPPED-ADDRESS beside a good XOR one",
                        message(0x0101, TID, false, xorAddress(PUBLIC, TID), attribute(0x0001, new byte[4])),
                        Result.MALFORMED_ADDRESS, null),
                Arguments.of("unknown comprehension-required attribute",
                        message(0x0101, TID, false, attribute(0x7FFF, new byte[4]), xorAddress(PUBLIC, TID)),
                        Result.UNKNOWN_REQUIRED_ATTRIBUTE, null),
                Arguments.of("no address", message(0x0101, TID, true, attribute(0x8022, "x".getBytes())),
                        Result.NO_ADDRESS, null),
                Arguments.of("address after MESSAGE-INTEGRITY is ignored",
                        message(0x0101, TID, true, integrity, xorAddress(PUBLIC, TID)), Result.NO_ADDRESS, null),
                Arguments.of("unknown attribute after MESSAGE-INTEGRITY is ignored",
                        message(0x0101, TID, false, xorAddress(PUBLIC, TID), integrity,
                                attribute(0x7FFF, new byte[4])), Result.MAPPED, PUBLIC),
                Arguments.of("wrong FINGERPRINT", badFingerprint, Result.BAD_FINGERPRINT, null),
                Arguments.of("FINGERPRINT not last",
                        concat(good, attribute(0x8022, "late".getBytes()), 0x0101), Result.BAD_FINGERPRINT, null),
                Arguments.of("FINGERPRINT of 8 bytes",
                        message(0x0101, TID, false, xorAddress(PUBLIC, TID), attribute(0x8028, new byte[8])),
                        Result.BAD_FINGERPRINT, null),
                Arguments.of("error response 400", message(0x0111, TID, true, errorCode400),
                        Result.ERROR_RESPONSE, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void decodes(String name, byte[] datagram, Result expected, InetSocketAddress mapped) {
        Response response = StunAddressDiscovery.parseResponse(datagram, 0, datagram.length, TID);

        assertEquals(expected, response.result());
        assertEquals(mapped, response.mapped());
    }

    @Test
    void anErrorResponseCarriesItsCode() {
        byte[] datagram = message(0x0111, TID, false, attribute(0x0009, HexFormat.of().parseHex("00000601")));

        assertEquals(new Response(Result.ERROR_RESPONSE, null, 601),
                StunAddressDiscovery.parseResponse(datagram, 0, datagram.length, TID));
    }

    /** Random bytes behind a valid header: whatever they hold, decoding returns a result and never throws. */
    @Test
    void randomAttributesNeverThrow() {
        java.util.Random random = new java.util.Random(5769);
        int mapped = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[4 * random.nextInt(16)];
            random.nextBytes(body);
            if (body.length >= 12 && random.nextBoolean()) {
                // An address attribute of IPv4 size with a random family byte and value, then random bytes.
                body[0] = 0;
                body[1] = (byte) (random.nextBoolean() ? 0x20 : 0x01);
                body[2] = 0;
                body[3] = 8;
                body[5] = (byte) random.nextInt(4);
                if (random.nextBoolean()) {
                    body = Arrays.copyOf(body, 12);
                }
            }
            byte[] datagram = concat(message(0x0101, TID, false), body, 0x0101);
            Response response = StunAddressDiscovery.parseResponse(datagram, 0, datagram.length, TID);
            assertEquals(response.result() == Result.MAPPED, response.mapped() != null, response.toString());
            mapped += response.result() == Result.MAPPED ? 1 : 0;
        }
        assertTrue(mapped > 0, "some random address attributes decode");
    }

    // ---- configuration -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            stun.example.org:19302   | stun.example.org | 19302
            stun.example.org         | stun.example.org | 3478
            ' 192.0.2.10:3479 '      | 192.0.2.10       | 3479
            [2001:db8::1]:3478       | 2001:db8::1      | 3478
            [2001:db8::1]            | 2001:db8::1      | 3478
            """)
    void parsesAServer(String text, String host, int port) {
        assertEquals(new Server(host, port), Server.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ":3478", "host:0", "host:65536", "host:x", "2001:db8::1", "[2001:db8::1",
        "[::1]3478"})
    void refusesABadServer(String text) {
        assertThrows(IllegalArgumentException.class, () -> Server.parse(text));
    }

    @Test
    void parsesAListAndBlankIsNone() {
        assertEquals(List.of(new Server("a.example", 3478), new Server("192.0.2.1", 1)),
                Server.parseList(" a.example , 192.0.2.1:1,"));
        assertEquals(List.of(), Server.parseList("  "));
        assertEquals("[2001:db8::1]:3478", new Server("2001:db8::1", 3478).toString());
    }

    // ---- transactions on loopback ------------------------------------------------------------------------

    @Test
    void theAddressTheServerReportsBecomesTheAdvertisedAddress() throws Exception {
        Responder responder = responder(request -> List.of(successTo(request, PUBLIC)));
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(responder.server()));

        List<IceConfig.HostAddress> hosts =
                discovery.advertiseDiscovered(List.of(IceConfig.HostAddress.of(LOOPBACK_1)));

        assertEquals(List.of(new IceConfig.HostAddress(LOOPBACK_1, PUBLIC.getAddress())), hosts);
        StunAddressDiscovery.Stats stats = discovery.stats();
        assertEquals(1, stats.transactions());
        assertEquals(1, stats.transmissions());
        assertEquals(1, stats.discovered());
        assertEquals(0, stats.failed());
        assertEquals(Map.of(), stats.ignored());
        // The responder saw a bare Binding request from the bound address, on a port of its own.
        Received seen = responder.requests().get(0);
        assertEquals(LOOPBACK_1, seen.from().getAddress());
        assertEquals(20, seen.bytes().length);
        assertEquals(0x0001, ((seen.bytes()[0] & 0xFF) << 8) | (seen.bytes()[1] & 0xFF));
    }

    @Test
    void theIceServerAdvertisesTheDiscoveredAddressInItsCandidates() throws Exception {
        Responder responder = responder(request -> List.of(successTo(request, PUBLIC)));
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(responder.server()));
        IceConfig config = TestIceConfigs.onlyLoopback1()
                .withHostAddresses(discovery.advertiseDiscovered(List.of(IceConfig.HostAddress.of(LOOPBACK_1))));

        iceServer = new IceServer(config, scheduler);
        IceTransport transport = iceServer.createTransport("alice", new RecordingListener(), Runnable::run);

        IceCandidate candidate = transport.localCandidates().get(0);
        assertEquals(1, transport.localCandidates().size());
        assertEquals("203.0.113.7", candidate.address());
        assertEquals(iceServer.port(), candidate.port());
        assertEquals(List.of(new InetSocketAddress(LOOPBACK_1, iceServer.port())), iceServer.boundAddresses());
    }

    @Test
    void aSilentServerIsGivenUpOnWithinTheRetryBudgetAndTheBoundAddressStays() throws Exception {
        Responder responder = responder(request -> List.of());
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(responder.server()));
        IceConfig.HostAddress host = IceConfig.HostAddress.of(LOOPBACK_1);

        long start = System.nanoTime();
        List<IceConfig.HostAddress> hosts = discovery.advertiseDiscovered(List.of(host));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(List.of(host), hosts);
        assertEquals(Duration.ofMillis(1500), discovery.budget());
        assertTrue(took.compareTo(Duration.ofMillis(1400)) >= 0, "waited the whole budget: " + took);
        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "gave up soon after the budget: " + took);
        StunAddressDiscovery.Stats stats = discovery.stats();
        assertEquals(3, stats.transmissions());
        assertEquals(1, stats.failed());
        assertEquals(0, stats.discovered());
        // Three transmissions of one request: the same transaction id every time, from the same socket.
        List<Received> requests = responder.awaitRequests(3);
        assertEquals(3, requests.size());
        assertArrayEquals(requests.get(0).bytes(), requests.get(1).bytes());
        assertArrayEquals(requests.get(0).bytes(), requests.get(2).bytes());
        assertEquals(requests.get(0).from(), requests.get(2).from());
    }

    @Test
    void hostileAnswersAreIgnoredAndCountedUntilTheRightOneArrives() throws Exception {
        Responder responder = responder(request -> {
            byte[] tid = Arrays.copyOfRange(request, 8, 20);
            byte[] otherTid = tid.clone();
            otherTid[5] ^= 0x55;
            byte[] truncated = successTo(request, OTHER_PUBLIC);
            truncated[3] += 40;
            return List.of(
                    message(0x0101, otherTid, true, xorAddress(OTHER_PUBLIC, otherTid)),
                    message(0x0101, tid, true, xorAddress(socket("2001:db8::9", 1), tid)),
                    truncated,
                    message(0x0101, tid, true, xorAddress(socket("0.0.0.0", 1), tid)),
                    message(0x0101, tid, false, HexFormat.of().parseHex("0020ffff")),
                    "not stun at all".getBytes(),
                    successTo(request, PUBLIC));
        });
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(responder.server()));

        Optional<InetAddress> found = discovery.discover(LOOPBACK_1);

        assertEquals(Optional.of(PUBLIC.getAddress()), found);
        assertEquals(Map.of(Result.WRONG_TRANSACTION, 1L, Result.FAMILY_MISMATCH, 1L, Result.BAD_LENGTH, 1L,
                Result.UNUSABLE_ADDRESS, 1L, Result.TRUNCATED_ATTRIBUTE, 1L, Result.NOT_STUN, 1L),
                discovery.stats().ignored());
        assertEquals(1, discovery.stats().transmissions());
    }

    @Test
    void onlyBrokenAnswersMeanTheBoundAddressStays() throws Exception {
        Responder responder = responder(request -> List.of(
                message(0x0111, Arrays.copyOfRange(request, 8, 20), false,
                        attribute(0x0009, HexFormat.of().parseHex("00000500")))));
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(responder.server()), 2,
                Duration.ofMillis(100));

        assertEquals(Optional.empty(), discovery.discover(LOOPBACK_1));
        assertEquals(Map.of(Result.ERROR_RESPONSE, 2L), discovery.stats().ignored());
        assertEquals(1, discovery.stats().failed());
    }

    @Test
    void theNextServerIsAskedWhenTheFirstStaysSilent() throws Exception {
        Responder silent = responder(request -> List.of());
        Responder answering = responder(request -> List.of(successTo(request, PUBLIC)));
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(silent.server(), answering.server()), 2,
                Duration.ofMillis(100));

        assertEquals(Optional.of(PUBLIC.getAddress()), discovery.discover(LOOPBACK_1));
        assertEquals(2, discovery.stats().transactions());
        assertEquals(3, discovery.stats().transmissions());
        assertEquals(2, silent.awaitRequests(2).size());
    }

    @Test
    void aClosedPortIsNoAnswer() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK_1, 0))) {
            closed = s.getLocalPort();
        }
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(new Server("127.0.0.1", closed)), 2,
                Duration.ofMillis(100));

        assertEquals(Optional.empty(), discovery.discover(LOOPBACK_1));
        assertEquals(1, discovery.stats().failed());
    }

    @Test
    void aServerWithNoAddressOfTheBindingsFamilyIsSkipped() {
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(new Server("::1", 3478)), 1,
                Duration.ofMillis(50));

        assertEquals(Optional.empty(), discovery.discover(LOOPBACK_1));
        assertEquals(0, discovery.stats().transmissions());
        assertEquals(1, discovery.stats().failed());
    }

    @Test
    void aLoopbackBindingIsNotSentToAServerOffTheMachine() {
        // 192.0.2.1 (documentation space) is never contacted: a loopback binding could not reach it anyway.
        StunAddressDiscovery discovery = new StunAddressDiscovery(List.of(new Server("192.0.2.1", 3478)));
        IceConfig.HostAddress host = IceConfig.HostAddress.of(LOOPBACK_1);

        assertEquals(List.of(host), discovery.advertiseDiscovered(List.of(host)));
        assertEquals(0, discovery.stats().transactions());
    }

    @Test
    void refusesBadTiming() {
        List<Server> one = List.of(new Server("127.0.0.1", 3478));
        assertThrows(IllegalArgumentException.class, () -> new StunAddressDiscovery(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new StunAddressDiscovery(one, 0, Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class, () -> new StunAddressDiscovery(one, 3, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new StunAddressDiscovery(one, 3, Duration.ofSeconds(11)));
    }

    // ---- a STUN responder on 127.0.0.1 -------------------------------------------------------------------

    private record Received(InetSocketAddress from, byte[] bytes) {
    }

    /** Answers every datagram with what {@code answers} returns for it, in order. */
    private final class Responder implements AutoCloseable {
        private final DatagramSocket socket;
        private final List<Received> requests = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Responder(Function<byte[], List<byte[]>> answers) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK_1, 0));
            thread = Thread.ofPlatform().daemon().name("stun-responder").start(() -> {
                byte[] buffer = new byte[1500];
                while (!socket.isClosed()) {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(in);
                        byte[] request = Arrays.copyOf(buffer, in.getLength());
                        requests.add(new Received((InetSocketAddress) in.getSocketAddress(), request));
                        for (byte[] answer : answers.apply(request)) {
                            socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        Server server() {
            return new Server("127.0.0.1", socket.getLocalPort());
        }

        List<Received> requests() {
            return requests;
        }

        /** The requests seen, once there are {@code n} (or after a second). */
        List<Received> awaitRequests(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (requests.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return List.copyOf(requests);
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Responder responder(Function<byte[], List<byte[]>> answers) throws SocketException {
        Responder r = new Responder(answers);
        responders.add(r);
        return r;
    }

    // ---- building messages (RFC 8489 sections 5 and 14) --------------------------------------------------

    private static byte[] successTo(byte[] request, InetSocketAddress mapped) {
        byte[] tid = Arrays.copyOfRange(request, 8, 20);
        return message(0x0101, tid, true, attribute(0x8022, "test responder".getBytes()), xorAddress(mapped, tid));
    }

    /** A message of {@code type} with these attributes, and FINGERPRINT last if asked for. */
    static byte[] message(int type, byte[] tid, boolean fingerprint, byte[]... attributes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] a : attributes) {
            body.writeBytes(a);
        }
        byte[] m = concat(header(type, tid), body.toByteArray(), type);
        return fingerprint ? withFingerprint(m) : m;
    }

    private static byte[] header(int type, byte[] tid) {
        return ByteBuffer.allocate(20).putShort((short) type).putShort((short) 0).putInt(0x2112A442).put(tid).array();
    }

    /** {@code message} followed by {@code more}, with the header's length covering both. */
    private static byte[] concat(byte[] message, byte[] more, int type) {
        ByteBuffer b = ByteBuffer.allocate(message.length + more.length).put(message).put(more);
        b.putShort(0, (short) type).putShort(2, (short) (b.capacity() - 20));
        return b.array();
    }

    private static byte[] withFingerprint(byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(message.length + 8).put(message);
        b.putShort(2, (short) (b.capacity() - 20));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, message.length);
        b.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554E);
        return b.array();
    }

    static byte[] attribute(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + ((value.length + 3) & ~3));
        b.putShort((short) type).putShort((short) value.length).put(value);
        return b.array();
    }

    private static byte[] xorAddress(InetSocketAddress a, byte[] tid) {
        byte[] ip = a.getAddress().getAddress();
        byte[] mask = ByteBuffer.allocate(16).putInt(0x2112A442).put(tid).array();
        for (int i = 0; i < ip.length; i++) {
            ip[i] ^= mask[i];
        }
        return attribute(0x0020, ByteBuffer.allocate(4 + ip.length).put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2))
                .putShort((short) (a.getPort() ^ 0x2112)).put(ip).array());
    }

    private static byte[] plainAddress(InetSocketAddress a) {
        return attribute(0x0001, plainValue(a));
    }

    private static byte[] plainValue(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        return ByteBuffer.allocate(4 + ip.length).put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2))
                .putShort((short) a.getPort()).put(ip).array();
    }

    private static InetSocketAddress socket(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
