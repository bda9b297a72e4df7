package org.videoroom.it.browser;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.videoroom.stats.PrometheusTextParser;

/** Checks on what browsers receive, and the server's counters ({@code GET /api/stats}), for browser tests. */
public final class BrowserMedia {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(10);

    private BrowserMedia() {
    }

    /** Waits until the page decodes video and receives audio from {@code count} remote participants. */
    public static void awaitMediaFromAll(RoomPage page, int count) {
        try {
            RoomPage.await(MEDIA_TIMEOUT, page.name() + " decodes video and receives audio from " + count
                    + " others", () -> {
                        Map<String, RoomPage.Inbound> inbound = page.inbound();
                        return inbound.size() == count && inbound.values().stream()
                                .allMatch(in -> in.framesDecoded() > 0 && in.audioPacketsReceived() > 0);
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the page: " + page.diagnostics(), e);
        }
    }

    /**
     * Media keeps flowing: every remote participant's video and audio counters grow again. On two cores with five
     * browsers a decoder may stall for a moment, so each gets a generous window to show progress.
     */
    public static void assertMediaFlows(RoomPage page) {
        Map<String, RoomPage.Inbound> before = page.inbound();
        RoomPage.await(FLOW_TIMEOUT, page.name() + " keeps decoding video and receiving audio from " + before.keySet(),
                () -> {
                    Map<String, RoomPage.Inbound> now = page.inbound();
                    return now.keySet().equals(before.keySet()) && before.entrySet().stream().allMatch(e -> {
                        RoomPage.Inbound later = now.get(e.getKey());
                        return later.framesDecoded() > e.getValue().framesDecoded()
                                && later.audioPacketsReceived() > e.getValue().audioPacketsReceived();
                    });
                });
    }

    public static JsonObject serverStats(URI base) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                org.videoroom.it.TestDeployments.adminGet(base.resolve("api/stats")),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/stats answered " + response.statusCode());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** The server's view of each participant ({@code participants} of /api/stats), by participant id. */
    public static Map<String, JsonObject> participants(URI base) throws IOException, InterruptedException {
        Map<String, JsonObject> out = new java.util.HashMap<>();
        for (jakarta.json.JsonValue p : serverStats(base).getJsonArray("participants")) {
            out.put(p.asJsonObject().getString("participantId"), p.asJsonObject());
        }
        return out;
    }

    /** The server's Prometheus metrics ({@code GET /api/metrics}), read through the strict test parser. */
    public static Map<String, PrometheusTextParser.Family> metrics(URI base) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                org.videoroom.it.TestDeployments.adminGet(base.resolve("api/metrics")),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/metrics answered " + response.statusCode());
        }
        return PrometheusTextParser.parse(response.body());
    }

    /** One sample's value; fails when the server does not expose it. */
    public static double metric(Map<String, PrometheusTextParser.Family> metrics, String name, String... labels) {
        return PrometheusTextParser.value(metrics, name, labels)
                .orElseThrow(() -> new AssertionError("no sample " + name + " " + String.join(",", labels)));
    }

    public static JsonObject forwarding(URI base) throws IOException, InterruptedException {
        return serverStats(base).getJsonObject("forwarding");
    }
}
