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
 * The room as people use it. A room link shows a pre-join step (preview, level meter, device pickers, name)
 * and sends nothing before Join. Then the controls as the other participants see them: a muted microphone or camera shows on that tile
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
        // A room link opens the pre-join step: a local preview with a level meter and device pickers, and
        // nothing sent: the server knows of no one in that room.
        RoomPage cy = open("Cy").openRoomLink(base, room);
        RoomPage.await(Duration.ofSeconds(10), "Cy's pre-join preview plays, its meter moves, devices are listed",
                () -> {
                    RoomPage.PreJoin p = cy.preJoin();
                    return p.visible() && p.previewWidth() > 0 && p.micLevel() > 0 && p.cameras() >= 1
                            && p.microphones() >= 1;
                });
        LOG.log(System.Logger.Level.INFO, "pre-join: {0}, screenshot {1}", cy.preJoin(), cy.screenshot("prejoin"));
        assertFalse(roomSizes(base).containsKey(room), "nothing joins before the Join click: " + roomSizes(base));

        RoomPage ada = open("Ada").join(base, room);
        RoomPage bob = open("Bob").join(base, room);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        BrowserMedia.awaitMediaFromAll(bob, 1);
        String adaId = ada.participantId();
        assertEquals(Map.of("participant", adaId, "name", "Ada", "audioMuted", "false", "videoMuted", "false"),
                subset(bob.tile(adaId)));

        // Mute both: Bob's tile of Ada says so within a second, and nothing of Ada's arrives any more.
        // Timed in the pages (one machine, one clock), so the test's own polling is not counted.
        bob.browser().script("""
                const tile = document.querySelector('#tiles .tile.remote:not(.screen)[data-participant="' + arguments[0] + '"]');
                window.mutedShownAt = null;
                new MutationObserver(() => {
                  if (tile.dataset.audioMuted === 'true' && tile.dataset.videoMuted === 'true') {
                    window.mutedShownAt ??= Date.now();
                  }
                }).observe(tile, { attributes: true });
                """, adaId);
        long clickedAt = ((Number) ada.browser().script("""
                const at = Date.now();
                document.getElementById('mic').click();
                document.getElementById('camera').click();
                return at;
                """)).longValue();
        RoomPage.await(Duration.ofSeconds(5), "Bob sees Ada muted",
                () -> bob.browser().script("return window.mutedShownAt;") != null);
        long shownMs = ((Number) bob.browser().script("return window.mutedShownAt;")).longValue() - clickedAt;
        LOG.log(System.Logger.Level.INFO, "mute shown on the other tile {0} ms after the click", shownMs);
        assertTrue(shownMs <= SIGNALLED.toMillis(), "the others see the mute within 1 s: " + shownMs + " ms");
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

        // Hand: Ada raises it, Bob sees the mark on her tile; Cy, who joins later, sees it too (checked below).
        ada.press("hand");
        RoomPage.await(SIGNALLED, "Bob sees Ada's raised hand", () -> "true".equals(bob.tile(adaId).get("handRaised")));

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
        assertTrue(cy.preJoin().visible());
        cy.joinFromPreJoin();
        RoomPage.await(Duration.ofSeconds(10), "Cy gets the chat history",
                () -> cy.chatLog().size() == 2);
        assertEquals(List.of(new RoomPage.ChatEntry("Ada", text, false), new RoomPage.ChatEntry("Bob", "hi Ada", false)),
                cy.chatLog());
        BrowserMedia.awaitMediaFromAll(cy, 2);
        assertEquals("true", cy.tile(adaId).get("handRaised"), "a late joiner sees a hand raised before it came");
        ada.press("hand");
        for (RoomPage page : List.of(bob, cy)) {
            RoomPage.await(SIGNALLED, page.name() + " sees Ada lower her hand",
                    () -> "false".equals(page.tile(adaId).get("handRaised")));
        }

        // The room as Cy sees it, for README: names, Bob's muted microphone, the chat with Ada's and Bob's lines.
        bob.press("mic");
        RoomPage.await(SIGNALLED, "Cy sees Bob's microphone off",
                () -> "true".equals(cy.tile(bob.participantId()).get("audioMuted")));
        LOG.log(System.Logger.Level.INFO, "the room as Cy sees it: {0}", cy.screenshot("room"));
        assertEquals("3", cy.browser().text("#participant-count"));
        cy.press("copy-link");
        assertEquals(base.resolve("room.xhtml?room=" + room).toString(), cy.value("room-link"),
                "the room's link, without anyone's name");

        // Each remote track is a receiving m-section of the offer, narrowed to the codecs the server forwards:
        // a full room (16: 15 others with audio and video) must fit one signaling message.
        List<RoomPage.OfferSection> sections = cy.offerSections();
        long audio = sections.stream().filter(x -> x.direction().equals("recvonly") && x.kind().equals("audio"))
                .mapToLong(RoomPage.OfferSection::bytes).max().orElseThrow();
        long video = sections.stream().filter(x -> x.direction().equals("recvonly") && x.kind().equals("video"))
                .mapToLong(RoomPage.OfferSection::bytes).max().orElseThrow();
        long own = sections.stream().filter(x -> !x.direction().equals("recvonly"))
                .mapToLong(RoomPage.OfferSection::bytes).sum();
        long fullRoom = own + 15 * (audio + video) + 2_000;
        LOG.log(System.Logger.Level.INFO, "offer sections: own {0} B, per remote participant {1} B audio + {2} B"
                + " video; a room of 16 offers about {3} B", own, audio, video, fullRoom);
        assertTrue(fullRoom < 64 * 1024, "a room of 16 fits one 64 KiB message: " + fullRoom + " " + sections);
        assertTrue(cy.tile(adaId).containsKey("participant"));
    }

    /**
     * Screen share (issue 12): Ada shares her screen (headless Chromium picks the whole screen by itself); every
     * other participant gets a tile of its own, "Ada (screen)", shown large, and decodes it; Ada's camera tile says
     * she shares. Stopping it removes the tile everywhere. On the way, the four-person room as Dee sees it is saved
     * for README: names, Bob's muted microphone, Ada's screen, the chat open.
     */
    @Test
    void aScreenShareIsDecodedByEveryOtherParticipantInItsOwnTile_stoppingItRemovesItEverywhere() {
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "screen-" + System.nanoTime();
        List<String> share = List.of("--auto-select-desktop-capture-source=Entire screen",
                "--enable-usermedia-screen-capturing");
        RoomPage ada = browsers.add(new RoomPage("Ada", Chromium.withArguments("Ada", share)).withCamera(320, 240))
                .join(base, room);
        List<RoomPage> others = List.of(
                browsers.add(new RoomPage("Bob", new Chromium("Bob")).withCamera(320, 240)).join(base, room),
                browsers.add(new RoomPage("Cy", new Chromium("Cy")).withCamera(320, 240)).join(base, room),
                // Dee's window is wide enough for the screen and the three cameras below it (in a smaller one the
                // grid pages the cameras the screen leaves no room for).
                browsers.add(new RoomPage("Dee", Chromium.withArguments("Dee",
                        List.of("--window-size=1280,960"))).withCamera(320, 240)).join(base, room));
        for (RoomPage page : others) {
            BrowserMedia.awaitMediaFromAll(page, 3);
        }
        String adaId = ada.participantId();

        ada.press("screen");
        for (RoomPage page : others) {
            RoomPage.await(Duration.ofSeconds(15), page.name() + " decodes Ada's screen",
                    () -> page.screenShare(adaId).framesDecoded() > 10);
            RoomPage.ScreenShare seen = page.screenShare(adaId);
            LOG.log(System.Logger.Level.INFO, "{0} sees Ada''s screen: {1}x{2}, {3} frames", page.name(),
                    seen.frameWidth(), seen.frameHeight(), seen.framesDecoded());
            assertEquals("Ada (screen)", seen.caption().strip());
            assertEquals("true", seen.data().get("screen"));
            assertEquals("Ada", seen.data().get("name"));
            assertEquals("true", page.tile(adaId).get("screen"), "Ada's camera tile says she shares");
            assertTrue(page.tileWidth(adaId) > 0, "her camera stays on its own tile");
        }
        RoomPage dee = others.get(2);
        long before = dee.screenShare(adaId).framesDecoded();
        RoomPage.await(Duration.ofSeconds(5), "Dee keeps decoding Ada's screen",
                () -> dee.screenShare(adaId).framesDecoded() > before + 5);
        assertEquals("Ada (screen)", dee.browser().script(
                "return document.querySelector('.tile.remote[data-featured=\"true\"] .name').textContent;"),
                "the speaker view features the screen");
        LOG.log(System.Logger.Level.INFO, "with the screen share Dee receives: {0}; server: {1}",
                dee.quality().describe(), downlinks(base));
        BrowserMedia.assertMediaFlows(dee); // the cameras go on beside it

        // The room as Dee sees it, for README.
        RoomPage bob = others.get(0);
        bob.press("mic");
        others.get(1).chat("I can read your slides, Ada");
        RoomPage.await(Duration.ofSeconds(3), "Dee sees Bob muted and Cy's line",
                () -> "true".equals(dee.tile(bob.participantId()).get("audioMuted")) && !dee.chatLog().isEmpty());
        LOG.log(System.Logger.Level.INFO, "a four-person room with a screen share as Dee sees it: {0}",
                dee.screenshot("room-screen-share"));

        bob.press("mic");
        ada.press("screen");
        for (RoomPage page : others) {
            RoomPage.await(Duration.ofSeconds(5), page.name() + " no longer shows Ada's screen",
                    () -> !page.screenShare(adaId).present() && "false".equals(page.tile(adaId).get("screen")));
        }
        BrowserMedia.assertMediaFlows(dee);
    }

    /** What the server says of each participant's downlink (estimate, what it forwards), for the log. */
    private static String downlinks(URI base) {
        try {
            return BrowserMedia.serverStats(base).toString();
        } catch (Exception e) {
            return "unavailable: " + e;
        }
    }

    private static jakarta.json.JsonObject roomSizes(URI base) {
        try {
            return BrowserMedia.serverStats(base).getJsonObject("rooms");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /**
     * Connection quality on every remote tile and the statistics panel (issue 12): on loopback each side shows the
     * other as good, and the panel lists what the page sends and each track it receives with its size, frame rate
     * and bitrate; in a room whose forwarded packets lose 5 % (arquillian.xml's {@code lossy-} rooms) the tiles
     * turn fair or poor, from the loss that reaches the page.
     */
    @Test
    void eachTileShowsItsConnectionQuality_goodOnLoopbackWorseUnderLoss_thePanelListsEveryTrack() {
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "quality-" + System.nanoTime();
        RoomPage ada = open("Ada").join(base, room);
        RoomPage bob = open("Bob").join(base, room);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        BrowserMedia.awaitMediaFromAll(bob, 1);
        String adaId = ada.participantId();
        String bobId = bob.participantId();
        RoomPage.await(Duration.ofSeconds(15), "each shows the other's connection as good",
                () -> "good".equals(ada.tile(bobId).get("quality")) && "good".equals(bob.tile(adaId).get("quality")));

        ada.press("stats");
        RoomPage.await(Duration.ofSeconds(10), "Ada's statistics panel lists her layers and Bob's tracks", () -> {
            List<List<String>> rows = ada.statsRows();
            boolean sends = rows.stream().anyMatch(r -> r.get(0).startsWith("You (sent") && !r.get(3).equals("0"));
            boolean receives = rows.stream().anyMatch(r -> r.get(0).equals("Bob") && r.get(1).matches("[1-9]\\d*x\\d+")
                    && !r.get(2).equals("0") && !r.get(3).equals("0"));
            return sends && receives;
        });
        LOG.log(System.Logger.Level.INFO, "the statistics panel as Ada sees it: {0}, screenshot {1}", ada.statsRows(),
                ada.screenshot("statistics"));

        ada.leave();
        bob.leave();
        String lossy = "lossy-quality-" + System.nanoTime();
        ada.join(base, lossy);
        bob.join(base, lossy);
        BrowserMedia.awaitMediaFromAll(ada, 1);
        String bobAgain = bob.participantId();
        RoomPage.await(Duration.ofSeconds(20), "under 5 % loss Ada shows Bob's connection as fair or poor",
                () -> {
                    String quality = ada.tile(bobAgain).get("quality");
                    return "fair".equals(quality) || "poor".equals(quality);
                });
        LOG.log(System.Logger.Level.INFO, "under loss: {0}", ada.tile(bobAgain));
    }

}
