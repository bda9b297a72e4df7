package org.videoroom.load.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.videoroom.load.LoadSweep;

/**
 * The sweep's PNG: over the number of forwarded streams, the server's CPU per forwarded packet beside the raw
 * relay's, and the p50/p99 added latency.
 *
 * <p>Stateless; thread-safe.
 */
public final class SweepPlot {

    private static final Color SFU = new Color(0x1f77b4);
    private static final Color RELAY = new Color(0x7f7f7f);

    private SweepPlot() {
    }

    public static void write(List<LoadSweep.Point> points, Path png) throws IOException {
        double[] streams = ThroughputPlot.values(points, p -> p.report().receivedStreams());
        double[] sfu = ThroughputPlot.values(points, p -> p.report().serverMicrosPerForwardedPacket().orElse(0));
        double[] relay = ThroughputPlot.values(points, p -> p.report().baseline()
                .map(r -> r.serverMicrosPerForwardedPacket().orElse(0)).orElse(0.0));
        double[] p50 = ThroughputPlot.values(points, p -> p.report().p50LatencyMs());
        double[] p99 = ThroughputPlot.values(points, p -> p.report().p99LatencyMs());
        BufferedImage image = ThroughputPlot.canvas();
        Graphics2D g = ThroughputPlot.begin(image, "Scaling sweep: server CPU per forwarded packet and added latency");
        try {
            int panel = (ThroughputPlot.HEIGHT - ThroughputPlot.TOP - ThroughputPlot.GAP - ThroughputPlot.BOTTOM) / 2;
            int width = ThroughputPlot.WIDTH - ThroughputPlot.LEFT - ThroughputPlot.RIGHT;
            double xMax = ChartPanel.niceMax(ThroughputPlot.max(streams));
            ChartPanel upper = new ChartPanel(g, ThroughputPlot.LEFT, ThroughputPlot.TOP, width, panel, xMax);
            double cpuMax = ChartPanel.niceMax(Math.max(ThroughputPlot.max(sfu), ThroughputPlot.max(relay)));
            upper.axes("server CPU µs per forwarded packet", Color.BLACK, cpuMax, null, null, 0);
            upper.line(streams, sfu, cpuMax, SFU, true);
            upper.line(streams, relay, cpuMax, RELAY, true);
            upper.legend(new String[] {"SFU", "raw relay"}, new Color[] {SFU, RELAY});
            ChartPanel lower = new ChartPanel(g, ThroughputPlot.LEFT, ThroughputPlot.TOP + panel + ThroughputPlot.GAP,
                    width, panel, xMax);
            double latencyMax = ChartPanel.niceMax(ThroughputPlot.max(p99));
            lower.axes("added latency, ms", Color.BLACK, latencyMax, null, null, 0);
            lower.line(streams, p50, latencyMax, ThroughputPlot.P50, true);
            lower.line(streams, p99, latencyMax, ThroughputPlot.P99, true);
            lower.legend(new String[] {"p50", "p99"}, new Color[] {ThroughputPlot.P50, ThroughputPlot.P99});
            lower.xLabels("streams forwarded (each subscriber's audio and video of every other participant)");
        } finally {
            g.dispose();
        }
        ThroughputPlot.save(image, png);
    }
}
