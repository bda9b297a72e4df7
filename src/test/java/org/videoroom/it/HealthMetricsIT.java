package org.videoroom.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.sdp.Captures;
import org.videoroom.stats.PrometheusTextParser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/health/*} and {@code /api/metrics} on the real server (both Payara Micro and WildFly run it). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthMetricsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        base = TestDeployments.loopback(deploymentUrl);
    }

    @Test
    void readyWithTheMediaPortBoundAndLive() throws Exception {
        HttpResponse<String> ready = get("api/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject body = json(ready);
        assertEquals("UP", body.getString("status"), body.toString());
        JsonObject check = body.getJsonArray("checks").getJsonObject(0);
        assertEquals("media-port", check.getString("name"));
        assertEquals(TestDeployments.ICE_PORT, check.getJsonObject("data").getInt("port"));
        // Ready means bound: the port is really taken, by the server.
        assertThrows(BindException.class, () -> new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), TestDeployments.ICE_PORT)).close());

        HttpResponse<String> live = get("api/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", json(live).getString("status"));
        HttpResponse<String> all = get("api/health");
        assertEquals(200, all.statusCode(), all.body());
        assertEquals(2, json(all).getJsonArray("checks").size());
    }

    @Test
    void metricsParseAsPrometheusTextAndMoveWhenARoomRuns() throws Exception {
        Map<String, PrometheusTextParser.Family> before = metrics();
        String room = "it-metrics-" + System.nanoTime();
        try (WsClient ada = WsClient.connect(base, room);
             WsClient bob = WsClient.connect(base, room)) {
            ada.join("Ada");
            bob.join("Bob");
            ada.expect("participantJoined");
            // A real browser's offer: the server answers and opens an ICE transport for it.
            ada.send(Json.createObjectBuilder().add("type", "offer")
                    .add("sdp", Captures.text("chromium-156-offer.sdp"))
                    .add("subscriptions", Json.createObjectBuilder()).build().toString());
            assertEquals("answer", ada.next().getString("type"));

            Map<String, PrometheusTextParser.Family> during = metrics();
            assertEquals(value(before, "videoroom_rooms") + 1, value(during, "videoroom_rooms"));
            assertEquals(value(before, "videoroom_participants") + 2, value(during, "videoroom_participants"));
            assertEquals(value(before, "videoroom_ice_transports") + 1, value(during, "videoroom_ice_transports"));
            assertEquals(value(before, "videoroom_ice_transports_created_total") + 1,
                    value(during, "videoroom_ice_transports_created_total"));
            assertEquals(value(before, "videoroom_downlink_estimate_participants", "le", "+Inf") + 1,
                    value(during, "videoroom_downlink_estimate_participants", "le", "+Inf"),
                    "the participant that offered is in the estimate distribution");
            // A page that leaves says so: a socket that just drops after an offer is kept for a reconnect (20 s).
            ada.send("{\"type\":\"leave\"}");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (value(metrics(), "videoroom_participants") > value(before, "videoroom_participants")) {
            assertTrue(System.nanoTime() < deadline, "participants never left");
            Thread.sleep(50);
        }
        Map<String, PrometheusTextParser.Family> after = metrics();
        assertEquals(value(before, "videoroom_rooms"), value(after, "videoroom_rooms"));
        assertEquals(value(before, "videoroom_ice_transports"), value(after, "videoroom_ice_transports"));
    }

    /**
     * The operator surfaces list rooms by name and the server's load: only this machine (loopback, no proxy in
     * between) or a holder of the admin token may read them; the health checks stay open for load balancers.
     */
    @Test
    void statsAndMetricsNeedTheAdminTokenUnlessAskedFromThisMachine() throws Exception {
        for (String path : new String[] {"api/stats", "api/metrics"}) {
            assertEquals(200, get(path).statusCode(), path + " from loopback");
            // Through a proxy on this machine, as if from elsewhere.
            HttpRequest.Builder proxied = HttpRequest.newBuilder(base.resolve(path))
                    .header("X-Forwarded-For", "203.0.113.7");
            HttpResponse<String> refused = http.send(proxied.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), path);
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
            assertFalse(refused.body().contains("rooms"), refused.body());
            assertEquals(401, http.send(proxied.header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), path + " with a wrong token");
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("X-Forwarded-For", "203.0.113.7")
                    .header("Authorization", "Bearer " + TestDeployments.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), path + " with the token");
        }
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("api/health/ready"))
                .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "health stays open");
    }

    private Map<String, PrometheusTextParser.Family> metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("api/metrics");
        assertEquals(200, response.statusCode(), response.body());
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
        return PrometheusTextParser.parse(response.body());
    }

    private static double value(Map<String, PrometheusTextParser.Family> metrics, String name, String... labels) {
        return PrometheusTextParser.value(metrics, name, labels)
                .orElseThrow(() -> new AssertionError("no sample " + name + " " + String.join(",", labels)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
