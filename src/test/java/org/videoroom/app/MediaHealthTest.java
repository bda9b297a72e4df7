package org.videoroom.app;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.transport.ice.IceConfig;
import org.videoroom.transport.ice.IceException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness follows the real media port: a {@link MediaService} started outside a container, on loopback. */
class MediaHealthTest {

    private final MediaHealth health = new MediaHealth();
    private MediaService media;

    @AfterEach
    void tearDown() {
        if (media != null && !media.mediaAddresses().isEmpty()) {
            media.stop();
        }
    }

    @Test
    void readyOnlyWhileTheMediaPortIsBound() throws Exception {
        assertFalse(health.readiness().up(), "nothing bound yet");

        int port;
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = squatter.getLocalPort();
            media = mediaService(port);
            assertThrows(IceException.class, media::start);
            MediaHealth.Report refused = health.readiness();
            assertFalse(refused.up(), "the port is someone else's");
            assertEquals(port, refused.checks().get(0).data().get("port"));
            assertTrue(String.valueOf(refused.checks().get(0).data().get("error")).contains(String.valueOf(port)),
                    refused.toString());
            assertTrue(health.liveness().up(), "a port held elsewhere is no reason to restart");
        }

        media = mediaService(port);
        media.start();
        MediaHealth.Report ready = health.readiness();
        assertTrue(ready.up(), ready.toString());
        assertEquals(port, ready.checks().get(0).data().get("port"));
        assertEquals("127.0.0.1:" + port, ready.checks().get(0).data().get("addresses"));
        assertFalse(ready.checks().get(0).data().containsKey("error"), "a later bind clears the old failure");
        assertThrows(java.net.BindException.class,
                () -> new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).close());

        media.stop();
        assertFalse(health.readiness().up(), "closed");
        assertEquals(List.of(), media.mediaAddresses());
    }

    @Test
    void liveWhileTheMediaTimerRuns() {
        assertTrue(health.liveness().up(), "media not started: not a liveness matter");
        health.timerTicked(0);
        assertTrue(health.liveness(TimeUnit.MILLISECONDS.toNanos(MediaHealth.TIMER_STALL_MS)).up());
        MediaHealth.Report stalled = health.liveness(TimeUnit.MILLISECONDS.toNanos(MediaHealth.TIMER_STALL_MS + 1));
        assertFalse(stalled.up());
        assertEquals(MediaHealth.TIMER_STALL_MS + 1, stalled.checks().get(0).data().get("lastRunMillisAgo"));
    }

    @Test
    void aStartedServiceTicksItsTimer() throws Exception {
        media = mediaService(0);
        media.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Boolean.TRUE.equals(health.liveness().checks().get(0).data().get("running"))) {
            assertTrue(System.nanoTime() < deadline, "the timer never ticked");
            Thread.sleep(10);
        }
        assertTrue(health.liveness().up());
    }

    private MediaService mediaService(int port) {
        MediaService service = new MediaService() {
            /** ice4j fixes its consent timers at the JVM's first ICE server: use the transport tests' ones. */
            @Override
            IceConfig iceConfig() {
                return super.iceConfig().withConsent(Duration.ofMillis(300), Duration.ofMillis(100),
                        Duration.ofMillis(1500));
            }
        };
        service.icePort = port;
        service.iceBindAddresses = "127.0.0.1";
        service.iceAdvertisedAddress = Optional.empty();
        service.iceTcpPort = Optional.of(MediaService.TCP_OFF);
        service.iceStunDiscovery = Optional.empty();
        service.iceAllowedNetworks = "127.0.0.0/8";
        service.consentTimeoutSeconds = 30;
        service.forwardLossPercent = 0;
        service.forwardLossRoomPrefix = "lossy-";
        service.quietLibraries = true;
        service.health = health;
        return service;
    }
}
