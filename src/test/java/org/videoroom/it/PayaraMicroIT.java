package org.videoroom.it;

import jakarta.json.JsonObject;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the embedded default server, Payara Micro, adds (so this runs on Payara only: the wildfly execution lists
 * the tests it runs; one class, one server start).
 * <ul>
 *   <li>https as the embedded run serves it: with the certificate org.videoroom.tls generated for it (pom.xml's
 *       it-tls-keystore execution, under target/), checked here the way a browser that trusts it would (its address
 *       must be in the certificate). The lobby's redirect stays on https and signaling works over wss.</li>
 *   <li>MicroProfile Health at the server's root, above the application: the application's media checks join
 *       it there (WildFly has no such endpoint by default).</li>
 * </ul>
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PayaraMicroIT {

    private static final int HTTPS_PORT = Integer.getInteger("it.https.port", 18443);
    private static final Path TLS_DIR = Path.of(System.getProperty("it.tls.dir", "target/it-tls"));
    private static final Pattern VIEW_STATE =
            Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private Certificate generated;
    private HttpClient https;
    private URI base;

    @BeforeEach
    void trustOnlyTheGeneratedCertificate() throws Exception {
        try (InputStream in = Files.newInputStream(TLS_DIR.resolve("certificate.pem"))) {
            generated = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("videoroom-it", generated);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        // The JDK client checks the host against the certificate's names, as a browser does.
        https = HttpClient.newBuilder().sslContext(context).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        base = new URI("https", null, "127.0.0.1", HTTPS_PORT, TestDeployments.loopback(deploymentUrl).getPath(),
                null, null);
    }

    @Test
    void theLobbyIsServedOverHttpsWithTheGeneratedCertificate() throws Exception {
        HttpResponse<String> lobby = get(base);

        assertEquals(200, lobby.statusCode());
        assertTrue(lobby.body().contains("id=\"lobby:join\""), lobby.body());
        Certificate served = lobby.sslSession().orElseThrow().getPeerCertificates()[0];
        assertArrayEquals(generated.getEncoded(), served.getEncoded());
    }

    @Test
    void theLobbysRedirectStaysOnHttps() throws Exception {
        HttpResponse<String> response = submit("secure", "Ada");

        assertEquals(302, response.statusCode());
        URI location = base.resolve(response.headers().firstValue("Location").orElseThrow());
        assertEquals("https", location.getScheme(), location.toString());
        assertEquals(HTTPS_PORT, location.getPort(), location.toString());
        HttpResponse<String> room = get(location);
        assertEquals(200, room.statusCode());
        assertTrue(room.body().contains("id=\"roomName\">secure<"), room.body());
        // The page names its script and the lobby by path, so it stays on the scheme it was loaded with.
        assertFalse(Pattern.compile("(href|src|action)=\"http:").matcher(room.body()).find(), room.body());
    }

    @Test
    void signalingWorksOverWss() {
        try (WsClient client = WsClient.connect(base, "secure-ws", https)) {
            JsonObject joined = client.join("Ada");
            assertFalse(joined.getString("participantId").isEmpty(), joined.toString());
            assertEquals(0, joined.getJsonArray("participants").size(), joined.toString());
        }
    }

    /** Payara Micro serves MicroProfile Health at its root, above the application: it carries the same checks. */
    @Test
    void payaraMicrosOwnHealthEndpointsCarryTheSameChecks() throws Exception {
        URI root = TestDeployments.loopback(deploymentUrl).resolve("/");
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"health/ready", "health/live"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = jakarta.json.Json.createReader(new java.io.StringReader(response.body())).readObject();
            assertEquals("UP", body.getString("status"), body.toString());
            String expected = path.endsWith("ready") ? "media-port" : "media-timer";
            assertTrue(body.getJsonArray("checks").stream()
                    .anyMatch(c -> c.asJsonObject().getString("name").equals(expected)), body.toString());
        }
    }

    private HttpResponse<String> submit(String room, String name) throws Exception {
        String lobby = get(base).body();
        Matcher viewState = VIEW_STATE.matcher(lobby);
        assertTrue(viewState.find(), lobby);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("lobby", "lobby");
        form.put("lobby:room", room);
        form.put("lobby:name", name);
        form.put("lobby:join", "Join");
        form.put("jakarta.faces.ViewState", viewState.group(1));
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return https.send(HttpRequest.newBuilder(base.resolve("index.xhtml"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return https.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
