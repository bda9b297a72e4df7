package org.videoroom.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payara Micro serves MicroProfile Health at its root, above the application; the application's media checks
 * join it there. WildFly has no such endpoint by default, so this runs on Payara only (the wildfly execution
 * lists the tests it runs).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PayaraHealthIT {

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

    /** Payara Micro serves MicroProfile Health at its root, above the application: it carries the same checks. */
    @Test
    void payaraMicrosOwnHealthEndpointsCarryTheSameChecks() throws Exception {
        URI root = base.resolve("/");
        for (String path : new String[] {"health/ready", "health/live"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = json(response);
            assertEquals("UP", body.getString("status"), body.toString());
            String expected = path.endsWith("ready") ? "media-port" : "media-timer";
            assertTrue(body.getJsonArray("checks").stream()
                    .anyMatch(c -> c.asJsonObject().getString("name").equals(expected)), body.toString());
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
