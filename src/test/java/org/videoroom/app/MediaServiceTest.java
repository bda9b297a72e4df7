package org.videoroom.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.StunAddressDiscovery;

/**
 * How {@code videoroom.ice.tcp-port} and {@code videoroom.ice.stun-discovery} are read (the rest of MediaService
 * needs a running media stack).
 */
class MediaServiceTest {

    /** @param expected the TCP port, or -1 for ICE-TCP off */
    @ParameterizedTest(name = "tcp-port \"{0}\" with UDP port {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''      | 10000 | -1
            '  '    | 10000 | -1
            same    | 10000 | 10000
            ' SAME '| 10000 | 10000
            same    | 0     | -1
            off     | 10000 | -1
            OFF     | 10000 | -1
            ' 443 ' | 10000 | 443
            4443    | 0     | 4443
            65535   | 10000 | 65535
            """)
    void tcpPortIsOffUnlessAskedForOnTheUdpPortsNumberOrAnother(String setting, int udpPort, int expected) {
        assertEquals(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected),
                MediaService.tcpPort(setting, udpPort));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "no", "10000/tcp", "true"})
    void anythingElseIsRejected(String setting) {
        assertThrows(IllegalArgumentException.class, () -> MediaService.tcpPort(setting, 10000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", " , "})
    void stunDiscoveryIsOffWhenBlank(String setting) {
        IceConfig config = IceConfig.defaults();

        assertEquals(List.of(), MediaService.stunServers(setting));
        assertEquals(config, MediaService.withDiscoveredAddresses(config, setting, false));
    }

    @Test
    void stunServersAreReadAsHostAndPort() {
        assertEquals(List.of(new StunAddressDiscovery.Server("stun.example.org", 3478),
                        new StunAddressDiscovery.Server("2001:db8::1", 19302)),
                MediaService.stunServers("stun.example.org, [2001:db8::1]:19302"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stun.example.org:x", "2001:db8::1", "host:70000", "stun:stun.example.org:3478"})
    void aMalformedStunSettingIsRejected(String setting) {
        assertThrows(IllegalArgumentException.class, () -> MediaService.stunServers(setting));
    }

    /** With discovery on, the public address a (loopback) STUN server reports is what the ICE server advertises. */
    @Test
    @Timeout(10)
    void theDiscoveredAddressIsAdvertised() throws Exception {
        try (MiniStunServer stun = new MiniStunServer()) {
            IceConfig discovered = MediaService.withDiscoveredAddresses(IceConfig.defaults(), stun.setting(), false);

            assertEquals(List.of(new IceConfig.HostAddress(InetAddress.getByName("127.0.0.1"),
                    InetAddress.getByName("203.0.113.7"))), discovered.hostAddresses());
            assertEquals(1, stun.answered());
        }
    }

    /** A configured advertised address wins: nothing is sent to the STUN server. */
    @Test
    @Timeout(10)
    void aConfiguredAdvertisedAddressTurnsDiscoveryOff() throws Exception {
        try (MiniStunServer stun = new MiniStunServer()) {
            IceConfig config = IceConfig.defaults();

            assertEquals(config, MediaService.withDiscoveredAddresses(config, stun.setting(), true));
            assertEquals(0, stun.answered());
        }
    }

    /** Answers Binding requests on 127.0.0.1 with XOR-MAPPED-ADDRESS 203.0.113.7:10000 (RFC 8489 section 14.2). */
    private static final class MiniStunServer implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        private final AtomicInteger answered = new AtomicInteger();
        private final Thread thread = Thread.ofPlatform().daemon().start(this::serve);

        MiniStunServer() throws IOException {
        }

        String setting() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        /** Requests answered so far, after 200 ms for one still in flight (the serving thread runs on). */
        int answered() throws InterruptedException {
            thread.join(200);
            return answered.get();
        }

        private void serve() {
            byte[] in = new byte[1500];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket request = new DatagramPacket(in, in.length);
                    socket.receive(request);
                    ByteBuffer answer = ByteBuffer.allocate(32).putShort((short) 0x0101).putShort((short) 12)
                            .put(in, 4, 16)   // the magic cookie and the transaction id, echoed
                            .putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                            .putShort((short) (10000 ^ 0x2112))
                            .put((byte) (203 ^ 0x21)).put((byte) (0 ^ 0x12)).put((byte) (113 ^ 0xA4))
                            .put((byte) (7 ^ 0x42));
                    socket.send(new DatagramPacket(answer.array(), 32, request.getSocketAddress()));
                    answered.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
