package org.videoroom.it.browser;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The room's controls as the other participants see them: a muted microphone or camera shows on that tile
 * within a second and its packets stop arriving; unmuted, they come back; chat lines arrive as text, with the
 * author's name, and someone who joins later gets the history.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoomControlsIT {

    private static final System.Logger LOG = System.getLogger(RoomControlsIT.class.getName());
    private static final Duration SIGNALLED = Duration.ofSeconds(1);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();

    @AfterEach
    void closeBrowsers() {
        browsers.closeAll();
    }

    private RoomPage open(String name) {
        return browsers.add(new RoomPage(name, new Chromium(name)).withCamera(640, 480));
    }

    @Test
    void muteShowsOnTheOthersTilesAndStopsThePacketsAndChatArrivesAsTextWithHistoryForLateJoiners()
            throws InterruptedException {
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "controls-" + System.nanoTime();
        RoomPage ada = open("Ada").join(base, room);
        RoomPage bob = open("Bob").join(base, room);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        BrowserMedia.awaitMediaFromAll(bob, 1);
        String adaId = ada.participantId();
        assertEquals(Map.of("participant", adaId, "name", "Ada", "audioMuted", "false", "videoMuted", "false"),
                subset(bob.tile(adaId)));

        // Mute both: Bob's tile of Ada says so within a second, and nothing of Ada's arrives any more.
        long pressed = System.nanoTime();
        ada.press("mic");
        ada.press("camera");
        RoomPage.await(SIGNALLED, "Bob sees Ada muted", () -> {
            Map<String, String> tile = bob.tile(adaId);
            return "true".equals(tile.get("audioMuted")) && "true".equals(tile.get("videoMuted"));
        });
        LOG.log(System.Logger.Level.INFO, "mute shown on the other tile {0} ms after the click",
                (System.nanoTime() - pressed) / 1_000_000);
        Thread.sleep(1_000); // what was in flight
        RoomPage.Inbound muted = bob.inbound().get(adaId);
        Thread.sleep(2_000);
        RoomPage.Inbound stillMuted = bob.inbound().get(adaId);
        LOG.log(System.Logger.Level.INFO, "while muted, in 2 s Bob got {0} audio packets and {1} frames of Ada",
                stillMuted.audioPacketsReceived() - muted.audioPacketsReceived(),
                stillMuted.framesDecoded() - muted.framesDecoded());
        assertEquals(muted.audioPacketsReceived(), stillMuted.audioPacketsReceived(), "no audio while muted");
        assertEquals(muted.framesDecoded(), stillMuted.framesDecoded(), "no video while the camera is off");
        BrowserMedia.assertMediaFlows(ada); // Bob's media still reaches Ada

        ada.press("mic");
        ada.press("camera");
        RoomPage.await(SIGNALLED, "Bob sees Ada unmuted", () -> {
            Map<String, String> tile = bob.tile(adaId);
            return "false".equals(tile.get("audioMuted")) && "false".equals(tile.get("videoMuted"));
        });
        BrowserMedia.assertMediaFlows(bob);

        // Chat: markup arrives as text, with the author's name, for both.
        String text = "<b>hello</b> <img src=x onerror=alert(1)> & bye";
        ada.chat(text);
        for (RoomPage page : List.of(ada, bob)) {
            RoomPage.await(Duration.ofSeconds(3), page.name() + " shows Ada's chat line",
                    () -> !page.chatLog().isEmpty());
            RoomPage.ChatEntry line = page.chatLog().get(0);
            assertEquals("Ada", line.name());
            assertEquals(text, line.text());
            assertFalse(line.hasMarkup(), "chat text is never HTML");
        }
        bob.chat("hi Ada");
        RoomPage cy = open("Cy").join(base, room);
        RoomPage.await(Duration.ofSeconds(10), "Cy gets the chat history",
                () -> cy.chatLog().size() == 2);
        assertEquals(List.of(new RoomPage.ChatEntry("Ada", text, false), new RoomPage.ChatEntry("Bob", "hi Ada", false)),
                cy.chatLog());
        BrowserMedia.awaitMediaFromAll(cy, 2);
        assertTrue(cy.tile(adaId).containsKey("participant"));
    }

    private static Map<String, String> subset(Map<String, String> tile) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String key : List.of("participant", "name", "audioMuted", "videoMuted")) {
            if (tile.containsKey(key)) {
                out.put(key, tile.get(key));
            }
        }
        return out;
    }
}
