package org.videoroom.it.browser;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One headless Debian Firefox ESR with its fake camera and microphone, driven over WebDriver BiDi (Firefox's
 * remote agent, no geckodriver: Debian has none). Firefox gathers ICE candidates only on the interface that
 * holds the default route, never on loopback, so it belongs in a network namespace of the tests
 * (scripts/netns-jvm/bin/java), where that interface is a test address and nothing can leave. It runs with a
 * fresh profile whose preferences give the page the fake devices without asking (also on a plain-http test
 * address), keep host addresses unobfuscated (the server cannot resolve mDNS names) and switch off what would
 * call home. {@link #close()} ends the browser and every process it started.
 */
public final class Firefox implements Browser {

    public static final Path BINARY = Path.of("/usr/lib/firefox-esr/firefox-esr");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String PREFERENCES = """
            user_pref("media.navigator.streams.fake", true);
            user_pref("media.navigator.permission.disabled", true);
            user_pref("media.devices.insecure.enabled", true);
            user_pref("media.getusermedia.insecure.enabled", true);
            user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
            user_pref("media.autoplay.default", 0);
            user_pref("media.autoplay.blocking_policy", 0);
            user_pref("media.gmp-manager.updateEnabled", false);
            user_pref("browser.shell.checkDefaultBrowser", false);
            user_pref("browser.startup.homepage_override.mstone", "ignore");
            user_pref("datareporting.policy.dataSubmissionEnabled", false);
            user_pref("datareporting.healthreport.uploadEnabled", false);
            user_pref("toolkit.telemetry.enabled", false);
            user_pref("app.update.disabledForTesting", true);
            user_pref("extensions.update.enabled", false);
            user_pref("network.captive-portal-service.enabled", false);
            user_pref("network.connectivity-service.enabled", false);
            user_pref("browser.safebrowsing.malware.enabled", false);
            user_pref("browser.safebrowsing.phishing.enabled", false);
            user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
            """;

    private final String label;
    private final Path home;
    private final Process process;
    private final WebSocket socket;
    private final String context;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * A Firefox in the current network namespace, or in {@code namespace} when given.
     *
     * @param windowWidth  the window's width in CSS pixels (tiles are sized from it)
     */
    public Firefox(String label, String namespace, int windowWidth, int windowHeight) {
        this.label = label;
        try {
            home = Files.createTempDirectory("videoroom-firefox-" + label + "-");
            Files.createDirectories(home.resolve("profile"));
            Files.createDirectories(home.resolve("tmp"));
            Files.writeString(home.resolve("profile").resolve("user.js"), PREFERENCES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of(BINARY.toString(), "--headless", "--no-remote", "--profile",
                home.resolve("profile").toString(), "--remote-debugging-port", Integer.toString(port),
                "--width", Integer.toString(windowWidth), "--height", Integer.toString(windowHeight),
                "about:blank"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("HOME", home.toString(), "TMPDIR", home.resolve("tmp").toString(),
                "MOZ_HEADLESS", "1", "MOZ_CRASHREPORTER_DISABLE", "1"));
        Process started = null;
        try {
            started = builder.start();
            URI endpoint = awaitListening(started, home.resolve("firefox.log"));
            process = started;
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(endpoint.resolve("/session"), new Listener())
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            send("session.new", Json.createObjectBuilder()
                    .add("capabilities", Json.createObjectBuilder()
                            .add("alwaysMatch", Json.createObjectBuilder().add("acceptInsecureCerts", true)))
                    .build());
            JsonArray contexts = send("browsingContext.getTree", JsonValue.EMPTY_JSON_OBJECT)
                    .getJsonArray("contexts");
            context = contexts.getJsonObject(0).getString("context");
        } catch (IOException | InterruptedException | ExecutionException | TimeoutException
                 | RuntimeException e) {
            if (started != null) {
                stop(started);
            }
            deleteHome();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Firefox " + label + " did not start", e);
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void open(URI url) {
        send("browsingContext.navigate", Json.createObjectBuilder().add("context", context)
                .add("url", url.toString()).add("wait", "complete").build());
    }

    @Override
    public Object script(String script, Object... args) {
        return call("function() {\n" + script + "\n}", args);
    }

    @Override
    public Object async(String script, Object... args) {
        // The body gets the arguments and a callback as its last one, as in Selenium; the promise carries what
        // the callback is given.
        return call("function(...args) { return new Promise((resolve) => {\n"
                + "  (function() {\n" + script + "\n  }).apply(null, [...args, resolve]);\n"
                + "}); }", args);
    }

    @Override
    public void addInitScript(String source) {
        send("script.addPreloadScript", Json.createObjectBuilder()
                .add("functionDeclaration", "() => {\n" + source + "\n}").build());
    }

    @Override
    public void type(String cssSelector, String text) {
        script("""
                const e = document.querySelector(arguments[0]);
                e.focus();
                e.value += arguments[1];
                e.dispatchEvent(new Event('input', { bubbles: true }));
                e.dispatchEvent(new Event('change', { bubbles: true }));
                """, cssSelector, text);
    }

    @Override
    public void click(String cssSelector) {
        script("document.querySelector(arguments[0]).click();", cssSelector);
    }

    @Override
    public String text(String cssSelector) {
        Object text = script("return document.querySelector(arguments[0]).innerText;", cssSelector);
        return text == null ? null : text.toString();
    }

    @Override
    public byte[] screenshot() {
        JsonObject shot = send("browsingContext.captureScreenshot", Json.createObjectBuilder().add("context", context)
                .build());
        return java.util.Base64.getDecoder().decode(shot.getString("data"));
    }

    /** Resizes the page's viewport, as a person resizing the window would. */
    public void viewport(int width, int height) {
        send("browsingContext.setViewport", Json.createObjectBuilder().add("context", context)
                .add("viewport", Json.createObjectBuilder().add("width", width).add("height", height)).build());
    }

    private Object call(String function, Object... args) {
        JsonArrayBuilder arguments = Json.createArrayBuilder();
        for (Object arg : args) {
            arguments.add(localValue(arg));
        }
        JsonObject params = Json.createObjectBuilder()
                .add("functionDeclaration", function)
                .add("target", Json.createObjectBuilder().add("context", context))
                .add("arguments", arguments)
                .add("awaitPromise", true)
                .add("resultOwnership", "none")
                .add("serializationOptions", Json.createObjectBuilder().add("maxObjectDepth", 16))
                .build();
        // A page that is navigating (the lobby's submit) has no realm for a moment: try again shortly.
        for (int attempt = 0; ; attempt++) {
            JsonObject result;
            try {
                result = send("script.callFunction", params);
            } catch (IllegalStateException e) {
                if (attempt < 20) {
                    pause(250);
                    continue;
                }
                throw e;
            }
            if ("exception".equals(result.getString("type"))) {
                throw new IllegalStateException("script failed in Firefox " + label + ": "
                        + result.getJsonObject("exceptionDetails").getString("text", "?"));
            }
            return javaValue(result.getJsonObject("result"));
        }
    }

    private static JsonObject localValue(Object arg) {
        if (arg == null) {
            return Json.createObjectBuilder().add("type", "null").build();
        }
        if (arg instanceof Boolean b) {
            return Json.createObjectBuilder().add("type", "boolean").add("value", b).build();
        }
        if (arg instanceof Number n) {
            return Json.createObjectBuilder().add("type", "number").add("value", n.doubleValue()).build();
        }
        return Json.createObjectBuilder().add("type", "string").add("value", arg.toString()).build();
    }

    /** A BiDi remote value as Selenium would return it: whole numbers as Long, objects as maps. */
    private static Object javaValue(JsonObject remote) {
        String type = remote.getString("type");
        JsonValue value = remote.get("value");
        return switch (type) {
            case "undefined", "null" -> null;
            case "string" -> ((JsonString) value).getString();
            case "boolean" -> value == JsonValue.TRUE;
            case "number" -> {
                if (value instanceof JsonNumber n) {
                    yield n.isIntegral() ? (Object) n.longValue() : (Object) n.doubleValue();
                }
                yield Double.NaN; // "NaN", "Infinity", "-0" arrive as strings
            }
            case "array", "set" -> {
                List<Object> list = new ArrayList<>();
                if (value instanceof JsonArray items) {
                    for (JsonValue item : items) {
                        list.add(javaValue(item.asJsonObject()));
                    }
                }
                yield list;
            }
            case "object", "map" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                if (value instanceof JsonArray entries) {
                    for (JsonValue entry : entries) {
                        JsonArray pair = entry.asJsonArray();
                        JsonValue key = pair.get(0);
                        String name = key instanceof JsonString s ? s.getString()
                                : String.valueOf(javaValue(key.asJsonObject()));
                        map.put(name, javaValue(pair.getJsonObject(1)));
                    }
                }
                yield map;
            }
            default -> type; // nodes, functions and the like: the tests never ask for them
        };
    }

    /** Sends one command and waits for its result; an error reply is an IllegalStateException. */
    private JsonObject send(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String text = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params)
                .build().toString();
        try {
            socket.sendText(text, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonObject message = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if ("error".equals(message.getString("type", ""))) {
                throw new IllegalStateException(method + " failed in Firefox " + label + ": "
                        + message.getString("error", "?") + " " + message.getString("message", ""));
            }
            return message.getJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Firefox " + label, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Collects the fragments of each message and completes the command it answers; events are ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonObject json = Json.createReader(new StringReader(message.toString())).readObject();
                message.setLength(0);
                JsonValue id = json.get("id");
                if (id instanceof JsonNumber n) {
                    CompletableFuture<JsonObject> reply = pending.get(n.intValue());
                    if (reply != null) {
                        reply.complete(json);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            send("browser.close", JsonValue.EMPTY_JSON_OBJECT);
        } catch (RuntimeException e) {
            // It is ended below either way.
        }
        stop(process);
        deleteHome();
    }

    /** Ends Firefox and its content processes (children of the one started, or of ip netns exec's). */
    private static void stop(Process process) {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : family) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** Reads Firefox's output until the remote agent says where it listens; the rest goes to a log file. */
    private static URI awaitListening(Process process, Path log) throws IOException, InterruptedException {
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    int at = line.indexOf("WebDriver BiDi listening on ");
                    if (at >= 0) {
                        endpoint.complete(URI.create(line.substring(at + 28).trim()));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IOException("Firefox exited before its remote agent listened"));
        }, "firefox-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return endpoint.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Firefox's remote agent did not come up within " + START_TIMEOUT);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void deleteHome() {
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir is harmless.
        }
    }
}
