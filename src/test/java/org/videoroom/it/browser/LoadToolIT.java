package org.videoroom.it.browser;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;
import org.videoroom.load.LoadOptions;
import org.videoroom.load.LoadReport;
import org.videoroom.load.LoadTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool against the real server, as CI's smoke run: synthetic participants (real signaling, ICE,
 * DTLS-SRTP, RTCP; VP8 simulcast and Opus replayed from the recording) must all receive every other one's audio
 * and video, with nothing lost on loopback, and so through the raw relay that is the baseline. And a real Chromium that joins one of the tool's rooms must decode the
 * synthetic participants' video: the streams are real VP8, not packets that only look like it. Assertions are on
 * delivery, never on timing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LoadToolIT {

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
    void smokeRunDeliversEveryStreamToEverySubscriberWithoutLoss() throws Exception {
        URI base = TestDeployments.loopback(deploymentUrl);
        Path report = Path.of("target/load-smoke/report.json");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LoadReport result = LoadTool.run(LoadOptions.parse("--url", base.toString(), "--rooms", "2",
                "--participants", "3", "--seconds", "5", "--settle", "1", "--room-prefix", "smoke-" + System.nanoTime(),
                "--report", report.toString(), "--server-pid", Long.toString(serverProcess().pid()), "--baseline"),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String output = log.toString(StandardCharsets.UTF_8);
        System.out.println(output);

        assertEquals(6, result.participants());
        assertEquals(24, result.expectedStreams(), "each of 6 receives audio and video of 2 others");
        assertEquals(result.expectedStreams(), result.receivedStreams(), output);
        assertTrue(result.packetsReceived() > 0, output);
        assertEquals(0, result.packetsLost(), "nothing is lost on loopback: " + output);
        assertTrue(result.p50LatencyMs() > 0, "every packet carries its send time: " + output);
        assertTrue(result.serverCpuSeconds().isPresent(), output);
        LoadReport relay = result.baseline().orElseThrow();
        assertEquals("relay", relay.mode());
        assertEquals(24, relay.receivedStreams(), "the raw relay carries the same streams: " + output);
        assertEquals(0, relay.packetsLost(), output);
        assertTrue(result.ratioToRelay().isPresent(), output);

        JsonObject json = Json.createReader(new StringReader(Files.readString(report))).readObject();
        for (String field : List.of("rooms", "participants", "publishedStreams", "receivedStreams", "packetsSent",
                "packetsReceived", "lossPercent", "p50LatencyMs", "p99LatencyMs", "serverCpuSeconds", "relay",
                "ratioToRelay")) {
            assertTrue(json.containsKey(field), field + " in " + json);
        }
        assertEquals(24, json.getInt("receivedStreams"));
        assertTrue(javax.imageio.ImageIO.read(Path.of("target/load-smoke/report.png").toFile()) != null,
                "the plot next to the report");
    }

    @Test
    void chromiumInARoomOfTheToolDecodesTheSyntheticParticipantsVideo() throws Exception {
        URI base = TestDeployments.loopback(deploymentUrl);
        String prefix = "mixed-" + System.nanoTime();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CompletableFuture<LoadReport> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LoadTool.run(LoadOptions.parse("--url", base.toString(), "--rooms", "1", "--participants", "2",
                        "--seconds", "20", "--settle", "0", "--room-prefix", prefix),
                        new PrintStream(log, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RoomPage ada = browsers.add(new RoomPage("Ada")).join(base, prefix + "-1");
        BrowserMedia.awaitMediaFromAll(ada, 2);
        BrowserMedia.assertMediaFlows(ada);
        Map<String, RoomPage.Video> received = ada.quality().received();
        assertEquals(2, received.size(), received.toString());
        for (RoomPage.Video video : received.values()) {
            assertTrue(List.of(320L, 640L, 1280L).contains(video.width()),
                    "a recorded simulcast layer's size: " + ada.quality().describe());
        }
        System.out.println("Chromium among synthetic participants: " + ada.quality().describe());
        LoadReport result = run.join();
        // The synthetic participants also receive Ada: more streams than the tool's own.
        assertTrue(result.receivedStreams() >= result.expectedStreams(), log.toString(StandardCharsets.UTF_8));
    }

    private static ProcessHandle serverProcess() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("payara-micro"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Payara Micro child process"));
    }
}
