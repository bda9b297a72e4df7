package org.videoroom.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Faces lobby and room page on the real server, driven over HTTP as a browser form would. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LobbyIT {

    private static final Pattern VIEW_STATE =
            Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    java.net.URL deploymentUrl;

    private URI base;
    private HttpClient http;

    @BeforeEach
    void setUp() {
        base = TestDeployments.loopback(deploymentUrl);
        http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void lobbyRendersTheForm() throws Exception {
        HttpResponse<String> page = get(base);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("id=\"lobby:room\""), html);
        assertTrue(html.contains("id=\"lobby:name\""), html);
        assertTrue(html.contains("id=\"lobby:join\""), html);
    }

    @Test
    void invalidInputIsRenderedAgainWithMessagesNextToTheFields() throws Exception {
        HttpResponse<String> page = submit("bad room!", "   ");
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(messageOf(html, "roomMessage").contains("letters, digits"), html);
        assertTrue(messageOf(html, "nameMessage").contains("required"), html);

        page = submit("ok", "x".repeat(41));
        assertEquals("", messageOf(page.body(), "roomMessage"));
        assertTrue(messageOf(page.body(), "nameMessage").contains("40"), page.body());

        page = submit("ok", "Ada\u0007");
        assertTrue(messageOf(page.body(), "nameMessage").contains("control"), page.body());
    }

    @Test
    void validSubmitRedirectsToTheRoomPage() throws Exception {
        HttpResponse<String> response = submit("standup", "  Ada <b>& Co</b>  ");
        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains("room.xhtml?room=standup&name=Ada%20%3Cb%3E%26%20Co%3C%2Fb%3E"), location);
        // A path, not a URL: behind a proxy that ends TLS the server sees http, and must not send people there.
        assertTrue(location.startsWith(base.getPath()) && !location.startsWith("//"), location);

        HttpResponse<String> room = get(base.resolve(URI.create(location).getRawPath() + "?"
                + URI.create(location).getRawQuery()));
        assertEquals(200, room.statusCode());
        String html = room.body();
        assertTrue(html.contains("id=\"roomName\">standup<"), html);
        assertTrue(html.contains("data-name=\"Ada &lt;b&gt;&amp; Co&lt;/b&gt;\""), html);
        assertFalse(html.contains("<b>& Co"), "the display name must be rendered escaped");
        assertTrue(html.contains("id=\"localVideo\""));
        assertTrue(html.contains("id=\"participants\""));
        assertTrue(html.contains("id=\"leave\""));
        assertTrue(html.contains("js/room.js"));
    }

    @Test
    void roomLinkWithoutNameShowsThePreJoinStepAndTheLobbyTakesARoomToo() throws Exception {
        HttpResponse<String> response = get(base.resolve("room.xhtml?room=standup"));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("id=\"join-room\""), response.body());
        String field = response.body().substring(response.body().indexOf("id=\"prejoin-name\""));
        assertFalse(field.substring(0, field.indexOf('>')).contains("value="), "no name prefilled: " + field);

        HttpResponse<String> lobby = get(base.resolve("?room=standup"));
        assertTrue(lobby.body().contains("value=\"standup\""), lobby.body());

        HttpResponse<String> badRoom = get(base.resolve("room.xhtml?room=%3Cscript%3E&name=Ada"));
        assertEquals(302, badRoom.statusCode());
        String lobbyLocation = badRoom.headers().firstValue("Location").orElseThrow();
        assertFalse(lobbyLocation.contains("script"));
        assertEquals(base.getPath(), lobbyLocation, "the lobby, as a path");
    }

    @Test
    void pagesCarryTheSecurityHeadersAndTheLobbyMakesNoSession() throws Exception {
        for (URI page : new URI[] {base, base.resolve("room.xhtml?room=standup"), base.resolve("js/room.js")}) {
            HttpResponse<String> response = get(page);
            String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), page + ": " + csp);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), page.toString());
            assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), page.toString());
            assertTrue(response.headers().allValues("Set-Cookie").isEmpty(), page + " set " + response.headers()
                    .allValues("Set-Cookie"));
        }
        // The whole lobby round trip, an invalid and a valid submit, never starts a session.
        assertTrue(submit("bad room!", "Ada").headers().allValues("Set-Cookie").isEmpty());
        HttpResponse<String> valid = submit("standup", "Ada");
        assertEquals(302, valid.statusCode());
        assertTrue(valid.headers().allValues("Set-Cookie").isEmpty(), valid.headers().toString());
        // No inline script anywhere the policy would have to allow it.
        for (URI page : new URI[] {base, base.resolve("room.xhtml?room=standup&name=Ada")}) {
            String html = get(page).body();
            assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), page + " has an inline script: " + html);
            assertFalse(html.matches("(?s).*\\son[a-z]+=\".*"), page + " has an inline handler");
        }
    }

    @Test
    void theRoomScriptIsServed() throws Exception {
        for (String script : new String[] {"js/room.js", "js/signaling.js", "js/roster.js"}) {
            HttpResponse<String> js = get(base.resolve(script));
            assertEquals(200, js.statusCode(), script);
            assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"), script);
        }
    }

    private HttpResponse<String> submit(String room, String name) throws IOException, InterruptedException {
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
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(base.resolve("index.xhtml"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The text of the {@code <span id="lobby:…Message">} next to a field ("" when there is none). */
    private static String messageOf(String html, String id) {
        Matcher m = Pattern.compile("id=\"lobby:" + id + "\"[^>]*>([^<]*)<").matcher(html);
        return m.find() ? m.group(1) : "";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
