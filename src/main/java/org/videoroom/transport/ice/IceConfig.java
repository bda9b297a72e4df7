package org.videoroom.transport.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Configuration of the {@link IceServer}: the shared UDP port, the addresses it binds and
 * advertises, the remote networks it may talk to, and the ICE timers. Filled by the application
 * (e.g. from MicroProfile Config) and validated here. Immutable and thread-safe.
 *
 * <p>Most fields apply per server. {@link #consentInterval} and
 * {@link #consentRetransmissionInterval} are handed to ice4j, which reads its configuration once
 * per class loader: the first server started in a class loader fixes them (see {@link IceServer}).
 *
 * @param port the shared UDP port for every participant, 1..65535, or 0 for an ephemeral port (tests)
 * @param hostAddresses where to bind, and what to advertise in the candidates for each binding
 * @param allowedRemoteNetworks the only networks we accept datagrams from and send checks to;
 *        every datagram from elsewhere is dropped before ice4j sees it
 * @param connectTimeout how long a transport may take from creation to a selected pair
 * @param consentInterval how often consent checks are sent on the selected pair (RFC 7675 section 5.1)
 * @param consentRetransmissionInterval the retransmission timeout of one consent check (RFC 7675 section 5.1)
 * @param consentTimeout how long without a consent response until consent expires (RFC 7675 section 5.1)
 * @param tcpPort the shared TCP port for ICE-TCP (RFC 6544 passive host candidates on every host address), or
 *        empty for UDP only. Never 0: ice4j's TCP listener cannot report an ephemeral port it picked, and the
 *        candidates must name the real one
 */
public record IceConfig(
        int port,
        List<HostAddress> hostAddresses,
        List<IpNetwork> allowedRemoteNetworks,
        Duration connectTimeout,
        Duration consentInterval,
        Duration consentRetransmissionInterval,
        Duration consentTimeout,
        OptionalInt tcpPort) {

    /** The port Jitsi Videobridge made customary for single-port WebRTC servers. */
    public static final int DEFAULT_PORT = 10000;

    /** RFC 7675 section 5.1: consent checks every 5 seconds on average. */
    public static final Duration DEFAULT_CONSENT_INTERVAL = Duration.ofSeconds(5);

    /** RFC 7675 section 5.1: a consent check is retransmitted every 500 ms, without back-off. */
    public static final Duration DEFAULT_CONSENT_RETRANSMISSION_INTERVAL = Duration.ofMillis(500);

    /** RFC 7675 section 5.1: consent expires 30 seconds after the last response. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);

    /** Long enough for a browser on a slow machine to gather, trickle and check. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public IceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        hostAddresses = List.copyOf(hostAddresses);
        if (hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one host address is needed");
        }
        allowedRemoteNetworks = List.copyOf(allowedRemoteNetworks);
        if (allowedRemoteNetworks.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed remote network is needed");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(consentInterval, "consentInterval");
        requirePositive(consentRetransmissionInterval, "consentRetransmissionInterval");
        requirePositive(consentTimeout, "consentTimeout");
        if (consentRetransmissionInterval.compareTo(consentInterval) > 0) {
            throw new IllegalArgumentException("consentRetransmissionInterval must not exceed consentInterval");
        }
        if (consentTimeout.compareTo(consentInterval) <= 0) {
            throw new IllegalArgumentException("consentTimeout must be longer than consentInterval");
        }
        Objects.requireNonNull(tcpPort, "tcpPort");
        if (tcpPort.isPresent() && (tcpPort.getAsInt() < 1 || tcpPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("TCP port out of range (1..65535): " + tcpPort.getAsInt());
        }
    }

    /** As the canonical constructor, with ICE-TCP off. */
    public IceConfig(int port, List<HostAddress> hostAddresses, List<IpNetwork> allowedRemoteNetworks,
                     Duration connectTimeout, Duration consentInterval, Duration consentRetransmissionInterval,
                     Duration consentTimeout) {
        this(port, hostAddresses, allowedRemoteNetworks, connectTimeout, consentInterval,
                consentRetransmissionInterval, consentTimeout, OptionalInt.empty());
    }

    /**
     * The zero-configuration setup: port 10000 on 127.0.0.1, advertising 127.0.0.1, talking to
     * loopback only (127.0.0.0/8 and ::1), with the RFC 7675 consent timers. ICE-TCP is off here, so a
     * server made of these defaults binds nothing but its UDP port; the application turns it on (see README).
     */
    public static IceConfig defaults() {
        return new IceConfig(
                DEFAULT_PORT,
                List.of(HostAddress.of(loopbackV4())),
                List.of(IpNetwork.IPV4_LOOPBACK, IpNetwork.IPV6_LOOPBACK),
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_CONSENT_INTERVAL,
                DEFAULT_CONSENT_RETRANSMISSION_INTERVAL,
                DEFAULT_CONSENT_TIMEOUT);
    }

    public IceConfig withPort(int newPort) {
        return new IceConfig(newPort, hostAddresses, allowedRemoteNetworks, connectTimeout,
                consentInterval, consentRetransmissionInterval, consentTimeout, tcpPort);
    }

    public IceConfig withHostAddresses(List<HostAddress> newHostAddresses) {
        return new IceConfig(port, newHostAddresses, allowedRemoteNetworks, connectTimeout,
                consentInterval, consentRetransmissionInterval, consentTimeout, tcpPort);
    }

    public IceConfig withAllowedRemoteNetworks(List<IpNetwork> newNetworks) {
        return new IceConfig(port, hostAddresses, newNetworks, connectTimeout,
                consentInterval, consentRetransmissionInterval, consentTimeout, tcpPort);
    }

    public IceConfig withConnectTimeout(Duration newConnectTimeout) {
        return new IceConfig(port, hostAddresses, allowedRemoteNetworks, newConnectTimeout,
                consentInterval, consentRetransmissionInterval, consentTimeout, tcpPort);
    }

    public IceConfig withConsent(Duration newInterval, Duration newRetransmissionInterval, Duration newTimeout) {
        return new IceConfig(port, hostAddresses, allowedRemoteNetworks, connectTimeout,
                newInterval, newRetransmissionInterval, newTimeout, tcpPort);
    }

    /** ICE-TCP on {@code newTcpPort} (1..65535), or off when empty. */
    public IceConfig withTcpPort(OptionalInt newTcpPort) {
        return new IceConfig(port, hostAddresses, allowedRemoteNetworks, connectTimeout,
                consentInterval, consentRetransmissionInterval, consentTimeout, newTcpPort);
    }

    /** Whether datagrams from {@code address} may reach ICE, and checks may be sent to it. */
    public boolean isAllowedRemote(InetAddress address) {
        for (IpNetwork network : allowedRemoteNetworks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One local binding of the shared port.
     *
     * @param bindAddress the local address the UDP socket binds; a specific address, not the wildcard,
     *        so the host candidate names a real interface
     * @param advertisedAddress the address written into our candidates; differs from the bound one
     *        behind a 1:1 NAT or a container port mapping, where the browser must aim elsewhere
     */
    public record HostAddress(InetAddress bindAddress, InetAddress advertisedAddress) {

        public HostAddress {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(advertisedAddress, "advertisedAddress");
            if (bindAddress.isAnyLocalAddress()) {
                throw new IllegalArgumentException("bind a specific address, not the wildcard");
            }
            if (advertisedAddress.isAnyLocalAddress()) {
                throw new IllegalArgumentException("cannot advertise the wildcard address");
            }
        }

        /** Binds and advertises the same address. */
        public static HostAddress of(InetAddress address) {
            return new HostAddress(address, address);
        }
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
