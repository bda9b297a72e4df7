package org.videoroom.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The load tool's command line. Every option has a default, so {@code LoadTool} alone runs 2 rooms of 3 against
 * the embedded server on 127.0.0.1:8080 for 20 s.
 *
 * @param joinRate   participants joining per second, over all rooms
 * @param settle     after everyone receives media, time before the measurement starts (encoders, estimates)
 * @param serverPid  the server's process, whose CPU time the report states
 * @param relay      measure the raw relay baseline (in this process) instead of the server at {@code url}
 * @param baseline   after the server's run, the same run through the raw relay, and the ratio of the two
 */
public record LoadOptions(URI url, int rooms, int participants, Duration duration, double joinRate, Duration settle,
                          String roomPrefix, Path report, Path plot, OptionalLong serverPid, boolean relay,
                          String address, boolean baseline) {

    static final String USAGE = """
            usage: LoadTool [options]
              --url URL            server under test (default http://127.0.0.1:8080/)
              --rooms R            rooms (default 2)
              --participants P     participants per room (default 3)
              --seconds S          measured seconds once media flows (default 20)
              --join-rate N        joins per second over all rooms (default 10)
              --settle S           seconds between media flowing everywhere and the measurement (default 3)
              --room-prefix NAME   room names are NAME-1..NAME-R (default load-<random>)
              --report FILE        JSON report (default: none)
              --plot FILE          PNG plot of throughput and latency (default: next to the report)
              --server-pid PID     the server's process id: its CPU time goes into the report
              --relay              measure the raw relay baseline instead of the server
              --baseline           then the same run through the raw relay, and the ratio of the two
              --address IP         the loopback address synthetic participants bind (default 127.0.0.1)
            """;

    public static LoadOptions parse(String... args) {
        URI url = URI.create("http://127.0.0.1:8080/");
        int rooms = 2;
        int participants = 3;
        Duration duration = Duration.ofSeconds(20);
        double joinRate = 10;
        Duration settle = Duration.ofSeconds(3);
        String prefix = "load-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        Path report = null;
        Path plot = null;
        OptionalLong pid = OptionalLong.empty();
        boolean relay = false;
        boolean baseline = false;
        String address = "127.0.0.1";
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--url" -> url = URI.create(value(rest, option));
                case "--rooms" -> rooms = positive(option, value(rest, option));
                case "--participants" -> participants = positive(option, value(rest, option));
                case "--seconds" -> duration = Duration.ofMillis((long) (1000 * number(option, value(rest, option))));
                case "--join-rate" -> joinRate = number(option, value(rest, option));
                case "--settle" -> settle = Duration.ofMillis((long) (1000 * number(option, value(rest, option))));
                case "--room-prefix" -> prefix = value(rest, option);
                case "--report" -> report = Path.of(value(rest, option));
                case "--plot" -> plot = Path.of(value(rest, option));
                case "--server-pid" -> pid = OptionalLong.of(positive(option, value(rest, option)));
                case "--relay" -> relay = true;
                case "--baseline" -> baseline = true;
                case "--address" -> address = value(rest, option);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (participants < 2) {
            throw new IllegalArgumentException("--participants must be at least 2: each one receives the others");
        }
        if (!(joinRate > 0) || Double.isInfinite(joinRate)) {
            throw new IllegalArgumentException("--join-rate must be a positive number of joins per second");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--seconds must be positive");
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("--settle must not be negative");
        }
        if (plot == null && report != null) {
            String file = report.getFileName().toString();
            plot = report.resolveSibling(file.replaceAll("\\.json$", "") + ".png");
        }
        return new LoadOptions(url, rooms, participants, duration, joinRate, settle, prefix, report, plot, pid, relay,
                address, baseline && !relay);
    }

    /** The same rooms, participants and timing through the raw relay (the baseline of this run). */
    public LoadOptions asRelay() {
        return new LoadOptions(url, rooms, participants, duration, joinRate, settle, roomPrefix + "-relay", null, null,
                OptionalLong.empty(), true, address, false);
    }

    public int total() {
        return rooms * participants;
    }

    private static String value(List<String> rest, String option) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return rest.remove(0);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException(option + " must be a positive integer, not " + value);
    }

    private static double number(String option, String value) {
        try {
            double n = Double.parseDouble(value);
            if (Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IllegalArgumentException(option + " must be a number, not " + value);
    }
}
