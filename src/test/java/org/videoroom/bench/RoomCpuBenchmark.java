package org.videoroom.bench;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;
import org.videoroom.it.browser.BrowserMedia;
import org.videoroom.it.browser.RoomPage;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server CPU with 3 and with 6 Chromium participants in one room (every one sending 640x480 video and audio to
 * every other), measured as the managed Payara Micro process's CPU time over a fixed window. Not part of the test
 * suite: run it with {@code mvn -Pbenchmark verify}; results go to the log and to
 * {@code target/benchmark-results.txt}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoomCpuBenchmark {

    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final System.Logger LOG = System.getLogger(RoomCpuBenchmark.class.getName());

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final List<RoomPage> pages = new ArrayList<>();

    @AfterEach
    void close() {
        pages.forEach(RoomPage::close);
    }

    @Test
    void serverCpuWithThreeAndSixChromiumParticipants() throws Exception {
        URI base = TestDeployments.loopback(deploymentUrl);
        ProcessHandle server = serverProcess();
        String room = "bench-" + System.nanoTime();
        List<String> results = new ArrayList<>();
        for (int target : new int[] {3, 6}) {
            while (pages.size() < target) {
                pages.add(new RoomPage("p" + pages.size()).join(base, room));
            }
            for (RoomPage page : pages) {
                BrowserMedia.awaitMediaFromAll(page, target - 1);
            }
            Map<String, Long> last = pages.get(pages.size() - 1).timeline();
            Thread.sleep(5_000); // let encoders and bandwidth estimates settle
            results.add(measure(server, base, target) + String.format(
                    " last_joiner_join_reply_to_first_remote_frame=%dms last_joiner_page_load_to_first_remote_frame=%dms",
                    last.get("firstRemoteFrame") - last.get("joined"), last.get("firstRemoteFrame")));
        }
        Path out = Path.of("target/benchmark-results.txt");
        Files.write(out, results, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        results.forEach(r -> LOG.log(System.Logger.Level.INFO, r));
    }

    private String measure(ProcessHandle server, URI base, int participants) throws IOException,
            InterruptedException {
        long cpuBefore = cpuNanos(server);
        JsonObject before = forwarding(base);
        long wallBefore = System.nanoTime();
        Thread.sleep(WINDOW.toMillis());
        long wall = System.nanoTime() - wallBefore;
        long cpu = cpuNanos(server) - cpuBefore;
        JsonObject after = forwarding(base);
        double seconds = wall / 1e9;
        long received = after.getJsonNumber("rtpReceived").longValue() - before.getJsonNumber("rtpReceived").longValue();
        long forwarded = after.getJsonNumber("rtpForwarded").longValue()
                - before.getJsonNumber("rtpForwarded").longValue();
        assertTrue(forwarded > 0, "media was forwarded during the window");
        return String.format("%s participants=%d server_cpu=%.1f%% (of one core; machine has %d) "
                        + "rtp_in=%.0f/s rtp_out=%.0f/s window=%ds",
                Instant.now(), participants, 100.0 * cpu / wall, Runtime.getRuntime().availableProcessors(),
                received / seconds, forwarded / seconds, WINDOW.toSeconds());
    }

    private static JsonObject forwarding(URI base) throws IOException, InterruptedException {
        return BrowserMedia.serverStats(base).getJsonObject("forwarding");
    }

    /** The managed Payara Micro: the Arquillian adapter starts it as a child of this JVM. */
    private static ProcessHandle serverProcess() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("payara-micro"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Payara Micro child process"));
    }

    private static long cpuNanos(ProcessHandle process) {
        Optional<Duration> cpu = process.info().totalCpuDuration();
        return cpu.orElseThrow(() -> new IllegalStateException("no CPU time for " + process.pid())).toNanos();
    }
}
