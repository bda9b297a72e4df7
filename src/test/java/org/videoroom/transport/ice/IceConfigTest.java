package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class IceConfigTest {

    @ParameterizedTest(name = "default accepts {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1     | true
            127.0.0.2     | true
            ::1           | true
            10.0.0.5      | false
            192.168.1.10  | false
            203.0.113.1   | false
            fe80::1       | false
            """)
    void defaultsAcceptLoopbackOnly(String address, boolean allowed) throws Exception {
        assertEquals(allowed, IceConfig.defaults().isAllowedRemote(InetAddress.getByName(address)));
    }

    @org.junit.jupiter.api.Test
    void defaultsAreTheZeroConfigurationRun() throws Exception {
        IceConfig config = IceConfig.defaults();
        assertEquals(10000, config.port());
        assertEquals(List.of(IceConfig.HostAddress.of(InetAddress.getByName("127.0.0.1"))), config.hostAddresses());
        assertEquals(Duration.ofSeconds(5), config.consentInterval());
        assertEquals(Duration.ofMillis(500), config.consentRetransmissionInterval());
        assertEquals(Duration.ofSeconds(30), config.consentTimeout());
        // The core binds only what it is asked to; the application turns ICE-TCP on.
        assertEquals(java.util.OptionalInt.empty(), config.tcpPort());
        assertEquals(java.util.OptionalInt.of(10001), config.withTcpPort(java.util.OptionalInt.of(10001)).tcpPort());
        assertEquals(java.util.OptionalInt.of(10001),
                config.withTcpPort(java.util.OptionalInt.of(10001)).withPort(0).tcpPort());
    }

    static Stream<Arguments> invalid() {
        IceConfig d = IceConfig.defaults();
        return Stream.of(
                Arguments.of("port above 65535", (Supplier<IceConfig>) () -> d.withPort(65536)),
                Arguments.of("negative port", (Supplier<IceConfig>) () -> d.withPort(-1)),
                Arguments.of("TCP port 0 (ice4j cannot report an ephemeral one)",
                        (Supplier<IceConfig>) () -> d.withTcpPort(java.util.OptionalInt.of(0))),
                Arguments.of("TCP port above 65535", (Supplier<IceConfig>) () -> d.withTcpPort(java.util.OptionalInt.of(65536))),
                Arguments.of("no host address", (Supplier<IceConfig>) () -> d.withHostAddresses(List.of())),
                Arguments.of("no allowed network", (Supplier<IceConfig>) () -> d.withAllowedRemoteNetworks(List.of())),
                Arguments.of("zero connect timeout", (Supplier<IceConfig>) () -> d.withConnectTimeout(Duration.ZERO)),
                Arguments.of("retransmission longer than interval", (Supplier<IceConfig>) () ->
                        d.withConsent(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30))),
                Arguments.of("timeout not longer than interval", (Supplier<IceConfig>) () ->
                        d.withConsent(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(5))),
                Arguments.of("negative consent interval", (Supplier<IceConfig>) () ->
                        d.withConsent(Duration.ofSeconds(-5), Duration.ofMillis(500), Duration.ofSeconds(30))),
                Arguments.of("wildcard bind address", (Supplier<IceConfig>) () ->
                        d.withHostAddresses(List.of(IceConfig.HostAddress.of(any())))),
                Arguments.of("wildcard advertised address", (Supplier<IceConfig>) () ->
                        d.withHostAddresses(List.of(new IceConfig.HostAddress(TestIceConfigs.LOOPBACK_1, any())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidConfigurations(String name, Supplier<IceConfig> build) {
        assertThrows(IllegalArgumentException.class, build::get);
    }

    @org.junit.jupiter.api.Test
    void listsAreCopied() {
        List<IpNetwork> networks = new java.util.ArrayList<>(List.of(IpNetwork.IPV4_LOOPBACK));
        IceConfig config = IceConfig.defaults().withAllowedRemoteNetworks(networks);
        networks.clear();
        assertTrue(config.isAllowedRemote(TestIceConfigs.LOOPBACK_1));
        assertFalse(config.allowedRemoteNetworks().isEmpty());
    }

    private static InetAddress any() {
        return TestIceConfigs.address(0, 0, 0, 0);
    }
}
