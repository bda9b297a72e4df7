package org.videoroom.load;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The soak of issue 13: for {@code --minutes}, one room of synthetic participants stays while rooms of others join,
 * publish and leave in cycles, each cycle with hostile traffic mixed in (malformed, oversize and deeply nested
 * messages, candidates before offers, a chat flood, random and malformed datagrams at the ICE port). Before (after
 * a warm-up cycle) and at the end, once the server is quiet again, it reads the server's threads, file
 * descriptors, heap after a collection, ICE transports, pool buffers and sockets from {@code /api/stats?gc=true}
 * and requires them back at their start values within small bounds, and the room that stayed to have lost nothing.
 * README "Soak" has the command; {@code LoadToolIT} runs a short one.
 */
public final class Soak {

    /**
     * @param adminToken sent as a bearer token to /api/stats (needed unless the server is on this machine)
     */
    public record Options(URI url, Duration duration, Duration cycle, int rooms, int participants, int icePort,
                          String adminToken) {

        static final String USAGE = """
                usage: Soak [options]
                  --url URL            server under test (default http://127.0.0.1:8080/)
                  --minutes M          how long (default 30)
                  --cycle-seconds S    how long each churning room publishes (default 20)
                  --rooms R            churning rooms per cycle (default 2)
                  --participants P     participants per churning room (default 3)
                  --ice-port N         the server's media port, for the hostile datagrams (default 10000)
                  --admin-token T      the server's videoroom.admin.token (default: none; fine on this machine)
                """;

        public static Options parse(String... args) {
            URI url = URI.create("http://127.0.0.1:8080/");
            Duration duration = Duration.ofMinutes(30);
            Duration cycle = Duration.ofSeconds(20);
            int rooms = 2;
            int participants = 3;
            int icePort = 10000;
            String token = null;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--url" -> url = URI.create(value);
                    case "--minutes" -> duration = Duration.ofMillis((long) (60_000 * Double.parseDouble(value)));
                    case "--cycle-seconds" -> cycle = Duration.ofMillis((long) (1000 * Double.parseDouble(value)));
                    case "--rooms" -> rooms = Integer.parseInt(value);
                    case "--participants" -> participants = Integer.parseInt(value);
                    case "--ice-port" -> icePort = Integer.parseInt(value);
                    case "--admin-token" -> token = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("every option takes a value\n" + USAGE);
            }
            return new Options(url, duration, cycle, rooms, participants, icePort, token);
        }
    }

    /** The server's holdings at one moment. */
    public record Resources(long threads, long fileDescriptors, long heapMb, long iceTransports,
                            long buffersOutstanding, long sockets, long participants) {
    }

    /** What the soak found; {@link #problems} is empty when everything came back. */
    public record Report(Resources before, Resources after, int cycles, long hostileMessages,
                         long hostileDatagrams, LoadReport stayed, List<String> problems) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options = Options.parse(args);
        Report report = run(options, System.out);
        System.exit(report.problems().isEmpty() ? 0 : 1);
    }

    public static Report run(Options options, PrintStream out) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String prefix = "soak-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // Warm-up: pools and timers the first room starts are part of the server, not a leak.
        LoadTool.run(LoadOptions.parse("--url", options.url().toString(), "--rooms", "1", "--participants", "2",
                "--seconds", "2", "--settle", "0", "--room-prefix", prefix + "-warm"), quiet);
        Resources before = awaitQuiet(http, options, null);
        out.println("soak: before " + before);

        ExecutorService stayers = Executors.newSingleThreadExecutor();
        long churnSeconds = Math.max(1, options.cycle().toSeconds());
        CompletableFuture<LoadReport> stayed = CompletableFuture.supplyAsync(() -> {
            try {
                return LoadTool.run(LoadOptions.parse("--url", options.url().toString(), "--rooms", "1",
                        "--participants", "2", "--seconds", Long.toString(Math.max(2, options.duration().toSeconds())),
                        "--settle", "0", "--room-prefix", prefix + "-stay"), quiet);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, stayers);
        stayers.shutdown();

        long deadline = System.nanoTime() + options.duration().toNanos();
        int cycles = 0;
        long[] hostile = new long[2];
        List<String> problems = new ArrayList<>();
        while (System.nanoTime() < deadline || cycles == 0) {
            cycles++;
            ExecutorService attacker = Executors.newSingleThreadExecutor();
            String cyclePrefix = prefix + "-c" + cycles;
            CompletableFuture<long[]> attacks = CompletableFuture.supplyAsync(() -> attack(options, cyclePrefix),
                    attacker);
            attacker.shutdown();
            LoadReport churn = LoadTool.run(LoadOptions.parse("--url", options.url().toString(), "--rooms",
                    Integer.toString(options.rooms()), "--participants", Integer.toString(options.participants()),
                    "--seconds", Long.toString(churnSeconds), "--settle", "0", "--room-prefix", cyclePrefix), quiet);
            long[] sent = attacks.get(60, TimeUnit.SECONDS);
            hostile[0] += sent[0];
            hostile[1] += sent[1];
            if (churn.receivedStreams() < churn.expectedStreams()) {
                problems.add("cycle " + cycles + ": " + churn.receivedStreams() + " of " + churn.expectedStreams()
                        + " streams received");
            }
            out.printf("soak: cycle %d, %d streams, %d packets, %d lost, %d hostile messages and %d datagrams so far%n",
                    cycles, churn.receivedStreams(), churn.packetsReceived(), churn.packetsLost(), hostile[0],
                    hostile[1]);
        }
        LoadReport stay = stayed.get(options.duration().toSeconds() + 120, TimeUnit.SECONDS);
        if (stay.packetsLost() > 0 || stay.receivedStreams() < stay.expectedStreams()) {
            problems.add("the room that stayed lost " + stay.packetsLost() + " packets, received "
                    + stay.receivedStreams() + " of " + stay.expectedStreams() + " streams");
        }
        Resources after = awaitQuiet(http, options, before);
        out.println("soak: after  " + after);
        compare(before, after, problems);
        out.println(table(before, after));
        out.println(problems.isEmpty() ? "soak: everything came back" : "soak: " + problems);
        return new Report(before, after, cycles, hostile[0], hostile[1], stay, List.copyOf(problems));
    }

    /** Bounds for what a server may hold more after the soak than before (pools refill, the JIT settles). */
    private static void compare(Resources before, Resources after, List<String> problems) {
        bound(problems, "threads", before.threads(), after.threads(), 4);
        bound(problems, "file descriptors", before.fileDescriptors(), after.fileDescriptors(), 8);
        bound(problems, "heap MB after GC", before.heapMb(), after.heapMb(), Math.max(32, before.heapMb() / 4));
        bound(problems, "ICE transports", before.iceTransports(), after.iceTransports(), 0);
        bound(problems, "pool buffers outstanding", before.buffersOutstanding(), after.buffersOutstanding(), 8);
        bound(problems, "signaling sockets", before.sockets(), after.sockets(), 0);
        bound(problems, "participants", before.participants(), after.participants(), 0);
    }

    private static void bound(List<String> problems, String what, long before, long after, long slack) {
        if (after > before + slack) {
            problems.add(what + " " + before + " -> " + after + " (more than " + slack + " up)");
        }
    }

    public static String table(Resources before, Resources after) {
        StringBuilder out = new StringBuilder(String.format("%-26s %10s %10s%n", "", "before", "after"));
        row(out, "threads", before.threads(), after.threads());
        row(out, "file descriptors", before.fileDescriptors(), after.fileDescriptors());
        row(out, "heap MB after GC", before.heapMb(), after.heapMb());
        row(out, "ICE transports", before.iceTransports(), after.iceTransports());
        row(out, "pool buffers outstanding", before.buffersOutstanding(), after.buffersOutstanding());
        row(out, "signaling sockets", before.sockets(), after.sockets());
        row(out, "participants", before.participants(), after.participants());
        return out.toString();
    }

    private static void row(StringBuilder out, String what, long before, long after) {
        out.append(String.format("%-26s %10d %10d%n", what, before, after));
    }

    /**
     * Waits (at most 90 s: idle sockets close after a minute) until no participant, socket or transport is left,
     * then (at most 90 s more) until threads and descriptors are back at the baseline's.
     */
    private static Resources awaitQuiet(HttpClient http, Options options, Resources baseline) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Resources now = resources(http, options);
        while (System.nanoTime() < deadline && (now.participants() > (baseline == null ? 0 : baseline.participants())
                || now.sockets() > (baseline == null ? 0 : baseline.sockets())
                || now.iceTransports() > (baseline == null ? 0 : baseline.iceTransports()))) {
            Thread.sleep(500);
            now = resources(http, options);
        }
        // Pools shrink back after their keep-alive (30 s for the handshake threads, 60 s for cached pools) and
        // take their selectors' descriptors with them: give them the time (a 30-minute soak here was 20
        // descriptors up the moment the last room closed, and back at its start value two minutes later).
        if (baseline != null) {
            long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < settleDeadline && (now.threads() > baseline.threads()
                    || now.fileDescriptors() > baseline.fileDescriptors())) {
                Thread.sleep(1000);
                now = resources(http, options);
            }
        }
        return now;
    }

    static Resources resources(HttpClient http, Options options) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(options.url().resolve("api/stats?gc=true"));
        if (options.adminToken() != null) {
            request.header("Authorization", "Bearer " + options.adminToken());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/stats answered " + response.statusCode() + ": " + response.body());
        }
        JsonObject stats = Json.createReader(new StringReader(response.body())).readObject();
        JsonObject process = stats.getJsonObject("process");
        long participants = stats.getJsonObject("rooms").values().stream()
                .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue()).sum();
        return new Resources(process.getJsonNumber("threads").longValue(),
                process.getJsonNumber("openFileDescriptors").longValue(),
                process.getJsonNumber("heapUsedBytes").longValue() >> 20,
                stats.getJsonObject("ice").getJsonNumber("transports").longValue(),
                stats.getJsonObject("buffers").getJsonNumber("outstanding").longValue(),
                stats.getJsonObject("signaling").getJsonNumber("sockets").longValue(), participants);
    }

    /** One cycle's hostile traffic: returns {messages, datagrams} sent. */
    private static long[] attack(Options options, String prefix) {
        long messages = 0;
        long datagrams = 0;
        String ws = options.url().toString().replaceFirst("^http", "ws") + "ws/rooms/" + prefix + "-hostile";
        HttpClient client = HttpClient.newHttpClient();
        try {
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(ws), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            List<String> hostile = new ArrayList<>(List.of("not json", "{\"type\":",
                    "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}",
                    "{\"type\":\"join\",\"name\":\"\\u200b\"}", "{\"type\":\"join\",\"name\":\"Mallory\"}",
                    "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}",
                    "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n" + "a=x\\r\\n".repeat(2000) + "\"}",
                    "{\"type\":\"viewport\",\"tiles\":" + "[".repeat(50) + "]".repeat(50) + "}",
                    "{\"type\":\"state\",\"audioMuted\":1e" + "9".repeat(100) + "}",
                    "{\"x\":\"" + "y".repeat(70_000) + "\"}"));
            for (int i = 0; i < 30; i++) {
                hostile.add("{\"type\":\"chat\",\"text\":\"flood " + i + "\"}");
            }
            for (String text : hostile) {
                socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                messages++;
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The server may close a hostile socket; that is its right.
        }
        Random random = new Random(prefix.hashCode());
        byte[] malformedStun = java.util.HexFormat.of().parseHex("000100010000" + "2112a442b7310606"
                + "43db297afa87ae");
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress target = new InetSocketAddress(options.url().getHost(), options.icePort());
            for (int i = 0; i < 500; i++) {
                byte[] noise = i % 5 == 0 ? malformedStun : new byte[1 + random.nextInt(1400)];
                if (i % 5 != 0) {
                    random.nextBytes(noise);
                }
                udp.send(new DatagramPacket(noise, noise.length, target));
                datagrams++;
            }
        } catch (IOException e) {
            // Loopback sends do not fail; if they do, the count says so.
        }
        return new long[] {messages, datagrams};
    }
}
