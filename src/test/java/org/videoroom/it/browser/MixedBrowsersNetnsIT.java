package org.videoroom.it.browser;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Firefox and Chromium in one room, both publishing their camera as simulcast, each decoding the other across
 * layer switches. Firefox never gathers loopback candidates, so the test runs in the namespaces of
 * scripts/netns-jvm/bin/java (sealed: nothing can leave), where both browsers and the server use the server
 * side's test address. Firefox's mute and chat reach Chromium (and chat the other way), and Firefox decodes
 * Chromium's screen share.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MixedBrowsersNetnsIT {

    private static final System.Logger LOG = System.getLogger(MixedBrowsersNetnsIT.class.getName());
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();
    private final String serverAddress = System.getenv("VIDEOROOM_NETNS_SERVER_ADDRESS");

    @AfterEach
    void closeBrowsers() {
        browsers.closeAll();
    }

    @Test
    void chromiumAndFirefoxSeeEachOtherWithSimulcastFromBothAndDecodeAcrossLayerSwitches() throws Exception {
        if (serverAddress == null) {
            throw new AssertionError("run through Maven: scripts/netns-jvm/bin/java sets up the namespaces");
        }
        URI local = TestDeployments.loopback(deploymentUrl);
        URI server = new URI("http", null, serverAddress, local.getPort(), local.getPath(), null, null);
        String room = "mixed-" + System.nanoTime();
        Firefox firefox = new Firefox("Fox", null, 800, 600);
        RoomPage fox = browsers.add(new RoomPage("Fox", firefox).withCamera(640, 480));
        Chromium chromium = Chromium.withArguments("Ada",
                List.of("--unsafely-treat-insecure-origin-as-secure=http://" + serverAddress + ":" + local.getPort(),
                        "--auto-select-desktop-capture-source=Entire screen"));
        RoomPage ada = browsers.add(new RoomPage("Ada", chromium).withCamera(640, 480));
        fox.join(server, room);
        ada.join(server, room);
        try {
            BrowserMedia.awaitMediaFromAll(fox, 1);
            BrowserMedia.awaitMediaFromAll(ada, 1);
        } catch (AssertionError e) {
            for (RoomPage page : List.of(fox, ada)) {
                LOG.log(System.Logger.Level.INFO, "{0}: status \"{1}\", milestones {2}, inbound {3}, sent {4}",
                        page.name(), page.statusText(), page.timeline(), page.inbound(), page.sentLayers());
            }
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "media flows; Fox {0}; Ada {1}", fox.timeline(), ada.timeline());

        // Simulcast from both: each browser encodes two layers of its 640x480 camera, and the server receives
        // both (the subscription of the other one's camera knows two layers).
        for (RoomPage page : List.of(fox, ada)) {
            RoomPage.await(Duration.ofSeconds(15), page.name() + " sends two simulcast layers",
                    () -> page.sentLayers().size() >= 2);
            LOG.log(System.Logger.Level.INFO, "{0} sends {1}", page.name(), page.sentLayers());
        }
        URI base = local;
        RoomPage.await(Duration.ofSeconds(10), "the server sees two layers of each camera",
                () -> video(base, ada).getInt("layers") >= 2 && video(base, fox).getInt("layers") >= 2);

        // Each one decodes the other at the top layer first...
        awaitReceived(fox, ada, h -> h >= 480, "Fox decodes Ada's top layer");
        awaitReceived(ada, fox, h -> h >= 480, "Ada decodes Fox's top layer");
        // ...then a smaller window asks for a smaller tile: Firefox gets the lower layer and goes on decoding...
        firefox.viewport(320, 240);
        awaitReceived(fox, ada, h -> h > 0 && h < 480, "Fox decodes Ada's lower layer after the window shrank");
        // ...and the top one again when the window is back.
        firefox.viewport(800, 600);
        awaitReceived(fox, ada, h -> h >= 480, "Fox decodes Ada's top layer again");
        // The same for Chromium receiving Firefox's layers.
        chromium.viewport(320, 240);
        awaitReceived(ada, fox, h -> h > 0 && h < 480, "Ada decodes Fox's lower layer after the window shrank");
        chromium.viewport(800, 600);
        awaitReceived(ada, fox, h -> h >= 480, "Ada decodes Fox's top layer again");
        BrowserMedia.assertMediaFlows(fox);
        BrowserMedia.assertMediaFlows(ada);
        // Firefox's controls: its mute reaches Chromium's tile, and chat goes both ways as text.
        String foxId = fox.participantId();
        fox.press("mic");
        RoomPage.await(Duration.ofSeconds(2), "Ada sees Fox muted",
                () -> "true".equals(ada.tile(foxId).get("audioMuted")));
        fox.press("mic");
        RoomPage.await(Duration.ofSeconds(2), "Ada sees Fox unmuted",
                () -> "false".equals(ada.tile(foxId).get("audioMuted")));
        fox.chat("<i>from Firefox</i>");
        RoomPage.await(Duration.ofSeconds(3), "Ada gets Fox's chat line", () -> ada.chatLog().contains(
                new RoomPage.ChatEntry("Fox", "<i>from Firefox</i>", false)));
        ada.chat("from Chromium & co");
        RoomPage.await(Duration.ofSeconds(3), "Fox gets Ada's chat line", () -> fox.chatLog().contains(
                new RoomPage.ChatEntry("Ada", "from Chromium & co", false)));
        // Screen share: Firefox decodes Chromium's screen in its own tile, and it goes when stopped. (Headless
        // Firefox has no screen to capture, and its fake devices do not cover getDisplayMedia.)
        for (RoomPage sharer : List.of(ada)) {
            RoomPage viewer = fox;
            String sharerId = sharer.participantId();
            sharer.press("screen");
            RoomPage.await(Duration.ofSeconds(20), viewer.name() + " decodes " + sharer.name() + "'s screen",
                    () -> viewer.screenShare(sharerId).framesDecoded() > 5);
            RoomPage.ScreenShare seen = viewer.screenShare(sharerId);
            LOG.log(System.Logger.Level.INFO, "{0} sees {1}''s screen: {2}x{3}, {4} frames", viewer.name(),
                    sharer.name(), seen.frameWidth(), seen.frameHeight(), seen.framesDecoded());
            assertEquals(sharer.name() + " (screen)", seen.caption().strip());
            assertEquals("true", viewer.tile(sharerId).get("screen"));
            sharer.press("screen");
            RoomPage.await(Duration.ofSeconds(5), viewer.name() + " no longer shows " + sharer.name() + "'s screen",
                    () -> !viewer.screenShare(sharerId).present() && "false".equals(viewer.tile(sharerId).get("screen")));
        }
        for (RoomPage page : List.of(fox, ada)) {
            long switches = video(base, page).getJsonNumber("layerSwitches").longValue();
            assertTrue(switches >= 2, page.name() + "'s subscription switched layers down and up: " + switches);
        }
        LOG.log(System.Logger.Level.INFO, "Fox: {0}; Ada: {1}; subscriptions: Fox {2}, Ada {3}",
                fox.quality().describe(), ada.quality().describe(), video(base, fox), video(base, ada));
    }

    /** Waits until {@code subscriber} decodes {@code publisher}'s camera at a height that passes, frames moving. */
    private static void awaitReceived(RoomPage subscriber, RoomPage publisher,
                                      java.util.function.LongPredicate height, String what) {
        String id = publisher.participantId();
        long[] frames = {-1};
        RoomPage.await(SWITCH_TIMEOUT, what, () -> {
            RoomPage.Video v = subscriber.quality().received().get(id);
            long decoded = subscriber.inbound().getOrDefault(id, new RoomPage.Inbound(0, 0)).framesDecoded();
            boolean moving = frames[0] >= 0 && decoded > frames[0];
            frames[0] = decoded;
            LOG.log(System.Logger.Level.INFO, "{0}: {1}, {2} frames decoded; page viewport {3}", what,
                    v == null ? "-" : v.describe(), decoded,
                    subscriber.browser().script("return window.videoroom.viewport?.lastSent ?? '';"));
            return v != null && height.test(v.height()) && v.framesPerSecond() > 0 && moving;
        });
    }

    /** The subscriber's subscription to the other one's camera, per /api/stats. */
    private static JsonObject video(URI base, RoomPage subscriber) {
        try {
            JsonObject p = BrowserMedia.participants(base).get(subscriber.participantId());
            for (JsonValue sub : p == null ? List.<JsonValue>of() : p.getJsonArray("subscriptions")) {
                if ("video".equals(sub.asJsonObject().getString("kind"))) {
                    return sub.asJsonObject();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError(subscriber.name() + " has no video subscription yet");
    }
}
