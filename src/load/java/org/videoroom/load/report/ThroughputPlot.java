package org.videoroom.load.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.videoroom.load.IntervalSample;

/**
 * The run's PNG: received throughput (Mbit/s and packets/s) and one-way added latency (p50, p99) per interval,
 * stacked over one time axis, drawn with java.awt alone so the tool needs no charting library.
 *
 * <p>Stateless; thread-safe.
 */
public final class ThroughputPlot {

    static final int WIDTH = 1200;
    static final int HEIGHT = 700;
    static final int LEFT = 90;
    static final int RIGHT = 90;
    static final int TOP = 50;
    static final int GAP = 60;
    static final int BOTTOM = 50;
    static final Color MBPS = new Color(0x1f77b4);
    static final Color PACKETS = new Color(0xff7f0e);
    static final Color P50 = new Color(0x2ca02c);
    static final Color P99 = new Color(0xd62728);

    private ThroughputPlot() {
    }

    public static void write(List<IntervalSample> samples, Path png, String title) throws IOException {
        double[] t = values(samples, IntervalSample::secondsSinceStart);
        double[] mbps = values(samples, s -> s.bytesReceived() * 8 / 1e6);
        double[] packets = values(samples, s -> s.packetsReceived());
        double[] p50 = values(samples, IntervalSample::p50LatencyMs);
        double[] p99 = values(samples, IntervalSample::p99LatencyMs);
        BufferedImage image = canvas();
        Graphics2D g = begin(image, title);
        try {
            int panel = (HEIGHT - TOP - GAP - BOTTOM) / 2;
            int width = WIDTH - LEFT - RIGHT;
            double tMax = Math.max(1, max(t));
            ChartPanel upper = new ChartPanel(g, LEFT, TOP, width, panel, tMax);
            double mbpsMax = ChartPanel.niceMax(max(mbps));
            double packetsMax = ChartPanel.niceMax(max(packets));
            upper.axes("Mbit/s received", MBPS, mbpsMax, "packets/s received", PACKETS, packetsMax);
            upper.line(t, mbps, mbpsMax, MBPS, false);
            upper.line(t, packets, packetsMax, PACKETS, false);
            upper.legend(new String[] {"Mbit/s", "packets/s"}, new Color[] {MBPS, PACKETS});
            ChartPanel lower = new ChartPanel(g, LEFT, TOP + panel + GAP, width, panel, tMax);
            double latencyMax = ChartPanel.niceMax(max(p99));
            lower.axes("added latency, ms", Color.BLACK, latencyMax, null, null, 0);
            lower.line(t, p50, latencyMax, P50, false);
            lower.line(t, p99, latencyMax, P99, false);
            lower.legend(new String[] {"p50", "p99"}, new Color[] {P50, P99});
            lower.xLabels("seconds since the measurement started");
        } finally {
            g.dispose();
        }
        save(image, png);
    }

    static BufferedImage canvas() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    }

    static Graphics2D begin(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 28);
        return g;
    }

    static void save(BufferedImage image, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    static <T> double[] values(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).toArray();
    }

    static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
