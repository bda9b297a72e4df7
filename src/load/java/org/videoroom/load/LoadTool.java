package org.videoroom.load;

import java.io.PrintStream;
import org.videoroom.load.report.ThroughputPlot;

/**
 * The load tool's entry point (README "Load test"): parses the options, runs, prints the table and writes the
 * JSON report and the plot. Exit status 0 when media flowed to every synthetic subscriber (browsers in the rooms may add streams), 1 when the run failed,
 * 2 on bad options.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            LoadReport report = run(options, System.out);
            System.exit(report.receivedStreams() >= report.expectedStreams() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("load run failed: " + e);
            System.exit(1);
        }
    }

    /** Runs once and writes what {@code options} ask for; the tests call this. */
    public static LoadReport run(LoadOptions options, PrintStream out) throws Exception {
        IceProperties.apply();
        LoadReport report = new LoadRun(options, out).run();
        out.println();
        out.print(report.toTable());
        if (options.baseline()) {
            out.println();
            out.println("the same through the raw relay:");
            LoadReport relay = new LoadRun(options.asRelay(), out).run();
            out.println();
            out.print(relay.toTable());
            report = report.withBaseline(relay);
            report.ratioToRelay().ifPresent(r -> out.printf("%n  SFU forwarded packets per CPU-second: %.1f %% of the raw relay's%n",
                    100 * r));
        }
        if (options.report() != null) {
            report.writeJson(options.report());
            out.println("  report: " + options.report());
        }
        if (options.plot() != null) {
            ThroughputPlot.write(report.intervals(), options.plot(), String.format(
                    "%s: %d rooms x %d participants, %.1f Mbit/s received, loss %.3f %%, p99 %.2f ms", report.mode(),
                    options.rooms(), options.participants(), report.receivedMbps(), report.lossPercent(),
                    report.p99LatencyMs()));
            out.println("  plot: " + options.plot());
        }
        return report;
    }
}
