package org.videoroom.transport.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The configuration every test server uses. ice4j fixes its consent timers on first use in the
 * JVM, so all tests must agree on them; they are short, so consent expiry shows within seconds.
 */
final class TestIceConfigs {

    static final Duration CONSENT_INTERVAL = Duration.ofMillis(300);
    static final Duration CONSENT_RETRANSMISSION = Duration.ofMillis(100);
    static final Duration CONSENT_TIMEOUT = Duration.ofMillis(1500);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Upper bound for anything the tests wait for on loopback. */
    static final Duration AWAIT = Duration.ofSeconds(5);

    static final InetAddress LOOPBACK_1 = address(127, 0, 0, 1);
    /** Still loopback, but outside the allowed networks of {@link #onlyLoopback1()}. */
    static final InetAddress LOOPBACK_2 = address(127, 0, 0, 2);

    private TestIceConfigs() {
    }

    /** Ephemeral port on 127.0.0.1, loopback-only, short consent timers. */
    static IceConfig loopback() {
        return IceConfig.defaults()
                .withPort(0)
                .withConnectTimeout(CONNECT_TIMEOUT)
                .withConsent(CONSENT_INTERVAL, CONSENT_RETRANSMISSION, CONSENT_TIMEOUT);
    }

    /** As {@link #loopback()}, but only 127.0.0.1 and ::1 may talk to us: 127.0.0.2 may not. */
    static IceConfig onlyLoopback1() {
        return loopback().withAllowedRemoteNetworks(
                List.of(IpNetwork.host(LOOPBACK_1), IpNetwork.IPV6_LOOPBACK));
    }

    static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
