package org.videoroom.it.browser;

import java.net.URI;
import java.net.URL;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a person notices first: the size and smoothness of the picture. Three Chromium participants on loopback
 * must each receive every other camera at full size and frame rate soon after joining, which needs the server's
 * transport-wide feedback: without it every browser's send-side estimator stays near its start value and the
 * picture collapses to 320x240 at a few frames per second. A publisher whose own encoder cannot keep up on a busy
 * machine is held to what it sends ({@link QualityBar}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserQualityIT {

    private static final System.Logger LOG = System.getLogger(BrowserQualityIT.class.getName());
    /** The fake camera gives 640x480 at 30 fps; the lower bounds leave room for a busy 2-core machine. */
    private static final int MIN_WIDTH = 640;
    private static final int MIN_HEIGHT = 480;
    private static final double MIN_FPS = 25;
    /**
     * Two simulcast layers of a 640x480 camera top out at about 1,036 kbit/s in Chromium (its per-layer maxima):
     * the bar is 1 Mbit/s, which a publisher without transport-wide feedback never gets near (it stays at
     * 30-300 kbit/s).
     */
    private static final long MIN_TARGET_BITRATE = 1_000_000;
    private static final long CPU_LIMITED_MIN_ESTIMATE = 600_000;
    /**
     * From the moment media flows between all three (the time to first frame is a figure of its own, which the
     * room tests measure; on a busy machine it alone took 18 s). Runs get there about a second after media flows; a
     * publisher's own estimator used to back off early in some runs, while the arrival times in our feedback were
     * taken by a reader thread that could fall behind (now ice4j's listener stamps them at the socket read).
     */
    private static final long DEADLINE_MS = 10_000;
    private static final long HOLD_LOG_MS = 4_000;

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

    @Test
    void threeParticipantsReceiveEachOtherAtFullSizeAndFrameRate_aHiddenTileGetsNoVideo() throws Exception {
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "quality-" + System.nanoTime();
        // All browsers start before anyone joins: launching a Chromium takes both cores for a moment, and the
        // loopback "network" is this machine's scheduler, so a launch during someone's first seconds of sending
        // looks like a queue to that sender's congestion control.
        // Wide windows: the grid fits two remote tiles tall enough for the top layer (js/gallery.js sizes the tiles
        // to the window, and a tile gets no layer taller than it needs).
        for (String name : List.of("Ada", "Bob", "Cy")) {
            browsers.add(new RoomPage(name, Chromium.withArguments(name,
                    List.of("--window-size=" + Chromium.WIDE_WINDOW))).withCamera(640, 480));
        }
        List<RoomPage> pages = browsers.pages();
        for (RoomPage page : pages) {
            page.join(base, room);
        }
        long joined = System.nanoTime();
        try {
            for (RoomPage page : pages) {
                BrowserMedia.awaitMediaFromAll(page, 2);
            }
        } finally {
            LOG.log(System.Logger.Level.INFO, "server stats: {0}", BrowserMedia.serverStats(base));
        }
        long mediaFlowing = System.nanoTime();
        long mediaAfterJoinMs = (mediaFlowing - joined) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, "media flowed between all three {0} ms after the last join",
                mediaAfterJoinMs);
        for (RoomPage page : pages) {
            LOG.log(System.Logger.Level.INFO, "{0}: milestones {1}", page.name(), page.timeline());
        }
        long reachedMs = -1;
        QualityBar bar = new QualityBar(MIN_WIDTH, MIN_FPS);
        long[] reachedBy = new long[pages.size()];
        java.util.Arrays.fill(reachedBy, -1);
        String last = "";
        // Sample until every participant has reached the figures (each at its own moment: on two cores shared by
        // three encoders and six decoders a publisher's estimate may dip for a moment, which a sample of all
        // three at once would count against the server), then a few seconds more so the log shows them holding.
        while (true) {
            Thread.sleep(1_000);
            long elapsed = (System.nanoTime() - mediaFlowing) / 1_000_000;
            StringBuilder line = new StringBuilder();
            boolean all = true;
            Map<RoomPage, RoomPage.Quality> sample = bar.sample(pages);
            for (int i = 0; i < pages.size(); i++) {
                RoomPage page = pages.get(i);
                RoomPage.Quality q = sample.get(page);
                line.append("\n  ").append(page.name()).append(": ").append(q.describe());
                if (reachedBy[i] < 0 && good(q, bar)) {
                    reachedBy[i] = elapsed;
                }
                all &= reachedBy[i] >= 0;
            }
            last = line.append("\n  ").append(bar.describe()).toString();
            LOG.log(System.Logger.Level.INFO, "quality {0} ms after media flowed:{1}", elapsed, last);
            if (all && reachedMs < 0) {
                reachedMs = elapsed;
                LOG.log(System.Logger.Level.INFO, "each participant reached full quality at (ms): {0}",
                        java.util.Arrays.toString(reachedBy));
            }
            if (reachedMs < 0 && elapsed > DEADLINE_MS) {
                LOG.log(System.Logger.Level.INFO, "server stats: {0}", BrowserMedia.serverStats(base));
                throw new AssertionError("not every participant sends and receives " + MIN_WIDTH + "x"
                        + MIN_HEIGHT + " at " + MIN_FPS + " fps with a target of " + MIN_TARGET_BITRATE
                        + " bit/s, " + elapsed + " ms after media flowed (" + (mediaAfterJoinMs + elapsed)
                        + " ms after the last join):" + last);
            }
            if (reachedMs >= 0 && elapsed > reachedMs + HOLD_LOG_MS) {
                break;
            }
        }
        LOG.log(System.Logger.Level.INFO, "full quality {0} ms after media flowed ({1} ms after the last join);"
                + " {2} ms later:{3}", reachedMs, mediaAfterJoinMs + reachedMs, HOLD_LOG_MS, last);
        LOG.log(System.Logger.Level.INFO, "server stats: {0}", BrowserMedia.serverStats(base));

        // A tile the page does not show gets no video: Ada hides Bob's tile, the server stops forwarding Bob's
        // camera to Ada (his audio goes on), and starts again, from a keyframe, when the tile is back.
        RoomPage ada = pages.get(0);
        RoomPage bob = pages.get(1);
        String bobId = bob.participantId();
        // Bob's camera, whatever its MID (the page adds receivers for those already there before its own).
        String bobVideo = bobId + "-";
        ada.browser().script("document.querySelector('.tile.remote[data-participant-id=\"' + arguments[0]"
                + " + '\"]').style.display = 'none';", bobId);
        RoomPage.await(java.time.Duration.ofSeconds(5), "the server pauses Bob's video to Ada",
                () -> subscription(base, ada, bobVideo).getInt("targetLayer") == -1);
        long paused = subscription(base, ada, bobVideo).getJsonNumber("forwarded").longValue();
        Thread.sleep(2_000);
        long stillPaused = subscription(base, ada, bobVideo).getJsonNumber("forwarded").longValue();
        assertTrue(stillPaused - paused <= 5, "no video forwarded to a hidden tile: " + (stillPaused - paused)
                + " packets in 2 s");
        RoomPage.Inbound hiddenInbound = ada.inbound().get(bobId);
        Thread.sleep(1_000);
        assertTrue(ada.inbound().get(bobId).audioPacketsReceived() > hiddenInbound.audioPacketsReceived(),
                "Bob's audio goes on");
        ada.browser().script("document.querySelector('.tile.remote[data-participant-id=\"' + arguments[0]"
                + " + '\"]').style.display = '';", bobId);
        long shownAt = System.nanoTime();
        RoomPage.await(java.time.Duration.ofSeconds(8), "Ada decodes Bob's video again",
                () -> ada.inbound().get(bobId).framesDecoded() > hiddenInbound.framesDecoded() + 30);
        LOG.log(System.Logger.Level.INFO, "hidden tile: {0} packets forwarded in 2 s while hidden; video back {1} ms"
                + " after the tile was shown", stillPaused - paused, (System.nanoTime() - shownAt) / 1_000_000);
    }

    /** The subscriber's video subscription to the track whose id starts with {@code trackPrefix}. */
    private static jakarta.json.JsonObject subscription(URI base, RoomPage subscriber, String trackPrefix) {
        try {
            jakarta.json.JsonObject p = BrowserMedia.participants(base).get(subscriber.participantId());
            for (jakarta.json.JsonValue sub : p == null ? List.<jakarta.json.JsonValue>of()
                    : p.getJsonArray("subscriptions")) {
                if (sub.asJsonObject().getString("trackId").startsWith(trackPrefix)
                        && "video".equals(sub.asJsonObject().getString("kind"))) {
                    return sub.asJsonObject();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError(subscriber.name() + " has no video subscription to " + trackPrefix + "*");
    }

    /**
     * The publisher got the bandwidth it asks for and receives every other camera as it is owed. A publisher
     * whose encoder is CPU-limited asks for less than the 1 Mbit/s bar (its smaller layers' maxima): its own
     * estimate must then show the feedback at work, at twice the 300 kbit/s a browser starts from and never
     * leaves without transport-wide feedback.
     */
    private static boolean good(RoomPage.Quality q, QualityBar bar) {
        boolean bandwidth = q.sent().targetBitrate() >= MIN_TARGET_BITRATE
                || q.cpuLimited() && q.availableOutgoingBitrate() >= CPU_LIMITED_MIN_ESTIMATE;
        return bandwidth && bar.receivesTop(q, 2);
    }
}
