package org.videoroom.load;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.videoroom.load.report.SweepPlot;

/**
 * The scaling sweep (docs/performance.md): the load tool at growing rooms × participants against one running
 * server, each point followed by the same traffic through the raw relay, until loss exceeds 1 % or p99 added latency
 * 20 ms. Per point: server CPU per forwarded packet, its ratio to the relay's, and the server's heap and GC (from
 * {@code jstat}). Writes {@code sweep.json}, {@code sweep.md} (the table) and {@code sweep.png}.
 */
public final class LoadSweep {

    static final double MAX_LOSS_PERCENT = 1.0;
    static final double MAX_P99_MS = 20.0;

    /** One point of the sweep. */
    public record Point(int rooms, int participants, LoadReport report, ServerGc gc) {
    }

    /** The server's collector between two {@code jstat -gc} readings, and its heap in use at the end. */
    public record ServerGc(long collections, double pauseSeconds, double heapUsedMb) {
    }

    private LoadSweep() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String points = "1x2,2x3,3x4,4x5,6x6,8x6,10x6,12x6,14x6,16x6";
        Path out = Path.of("target/load-sweep");
        String warmup = "20";
        List<String> common = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            switch (rest.get(i)) {
                case "--points" -> points = rest.get(++i);
                case "--out" -> out = Path.of(rest.get(++i));
                case "--warmup" -> warmup = rest.get(++i);
                default -> common.add(rest.get(i));
            }
        }
        if (common.stream().noneMatch("--server-pid"::equals)) {
            System.err.println("the sweep needs --server-pid PID (the server's CPU per forwarded packet is the point)");
            System.exit(2);
        }
        List<Point> results = run(points, common, out, warmup, System.out);
        System.exit(results.isEmpty() ? 1 : 0);
    }

    /**
     * Runs the points in order, stopping after the first over the loss or latency limit. A warm-up run first (2
     * rooms of 3 for {@code warmupSeconds}, not recorded) lets the server's JIT compile the packet path, so the first
     * points do not measure the interpreter.
     */
    public static List<Point> run(String points, List<String> common, Path out, String warmupSeconds,
                                  PrintStream log) throws Exception {
        IceProperties.apply();
        Files.createDirectories(out);
        if (Double.parseDouble(warmupSeconds) > 0) {
            List<String> args = new ArrayList<>(common);
            args.addAll(List.of("--rooms", "2", "--participants", "3", "--seconds", warmupSeconds, "--room-prefix",
                    "sweep-warmup"));
            log.printf("=== warm-up: 2 rooms x 3 participants for %s s ===%n", warmupSeconds);
            new LoadRun(LoadOptions.parse(args.toArray(String[]::new)), log).run();
        }
        List<Point> results = new ArrayList<>();
        for (String point : points.split(",")) {
            String[] rp = point.trim().split("x");
            int rooms = Integer.parseInt(rp[0]);
            int participants = Integer.parseInt(rp[1]);
            List<String> args = new ArrayList<>(common);
            args.addAll(List.of("--rooms", rp[0], "--participants", rp[1], "--room-prefix", "sweep-" + point.trim(),
                    "--baseline"));
            LoadOptions options = LoadOptions.parse(args.toArray(String[]::new));
            log.printf("%n=== %d rooms x %d participants ===%n", rooms, participants);
            long pid = options.serverPid().orElseThrow();
            double[] gcBefore = jstat(pid);
            LoadReport sfu = new LoadRun(options, log).run();
            double[] gcAfter = jstat(pid);
            LoadReport relay = new LoadRun(options.asRelay(), log).run();
            LoadReport report = sfu.withBaseline(relay);
            ServerGc gc = new ServerGc((long) (gcAfter[0] - gcBefore[0]), gcAfter[1] - gcBefore[1], gcAfter[2]);
            results.add(new Point(rooms, participants, report, gc));
            log.println();
            log.print(report.toTable());
            write(results, out);
            if (report.lossPercent() > MAX_LOSS_PERCENT || report.p99LatencyMs() > MAX_P99_MS) {
                log.printf("stopping: loss %.2f %% (limit %.0f %%), p99 %.1f ms (limit %.0f ms)%n",
                        report.lossPercent(), MAX_LOSS_PERCENT, report.p99LatencyMs(), MAX_P99_MS);
                break;
            }
        }
        return results;
    }

    /** {@code jstat -gc}: collections (young + full + concurrent), their total time in s, heap in use in MB. */
    static double[] jstat(long pid) {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        try {
            Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return parseJstat(text);
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    static double[] parseJstat(String text) {
        String[] lines = text.strip().split("\\R");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double collections = 0;
        double used = 0;
        double time = Double.NaN;
        for (int i = 0; i < names.length && i < values.length; i++) {
            double v = Double.parseDouble(values[i].equals("-") ? "0" : values[i]);
            switch (names[i]) {
                case "YGC", "FGC", "CGC" -> collections += v;
                case "GCT" -> time = v;
                case "S0U", "S1U", "EU", "OU" -> used += v;
                default -> {
                    // capacities and metaspace are not reported
                }
            }
        }
        return new double[] {collections, time, used / 1024};
    }

    static void write(List<Point> points, Path out) throws IOException {
        JsonArrayBuilder array = Json.createArrayBuilder();
        StringBuilder md = new StringBuilder();
        md.append("| rooms × participants | streams forwarded | packets/s forwarded | Mbit/s | loss % | p50 ms | p99 ms "
                + "| server CPU (% of a core) | µs per forwarded packet | relay µs per packet | SFU / relay "
                + "| GCs (s) | heap MB |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Point p : points) {
            LoadReport r = p.report();
            LoadReport relay = r.baseline().orElseThrow();
            JsonObjectBuilder o = Json.createObjectBuilder(r.toJson())
                    .add("gcCollections", p.gc().collections())
                    .add("gcSeconds", finite(p.gc().pauseSeconds()))
                    .add("heapUsedMb", finite(p.gc().heapUsedMb()));
            array.add(o);
            md.append(String.format("| %d × %d | %d | %,.0f | %.1f | %.3f | %.2f | %.2f | %.0f | %.1f | %.1f | %.0f %% "
                            + "| %d (%.2f) | %.0f |%n",
                    p.rooms(), p.participants(), r.receivedStreams(), r.forwardedPackets() / r.seconds(),
                    r.receivedMbps(), r.lossPercent(), r.p50LatencyMs(), r.p99LatencyMs(),
                    100 * r.serverCpuSeconds().orElse(Double.NaN) / r.seconds(),
                    r.serverMicrosPerForwardedPacket().orElse(Double.NaN),
                    relay.serverMicrosPerForwardedPacket().orElse(Double.NaN), 100 * r.ratioToRelay().orElse(Double.NaN),
                    p.gc().collections(), p.gc().pauseSeconds(), p.gc().heapUsedMb()));
        }
        StringWriter text = new StringWriter();
        try (var writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            writer.writeArray(array.build());
        }
        Files.writeString(out.resolve("sweep.json"), text.toString());
        Files.writeString(out.resolve("sweep.md"), md.toString());
        SweepPlot.write(points, out.resolve("sweep.png"));
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }
}
