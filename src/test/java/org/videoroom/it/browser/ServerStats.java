package org.videoroom.it.browser;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads the server's counters from {@code GET /api/stats}. */
final class ServerStats {

    private ServerStats() {
    }

    static JsonObject all(URI base) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("api/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/stats answered " + response.statusCode());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    static JsonObject forwarding(URI base) throws IOException, InterruptedException {
        return all(base).getJsonObject("forwarding");
    }
}
