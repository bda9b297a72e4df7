package org.videoroom.load.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
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

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final int LEFT = 90;
    private static final int RIGHT = 90;
    private static final int TOP = 50;
    private static final int GAP = 60;
    private static final int BOTTOM = 50;
    private static final Color MBPS = new Color(0x1f77b4);
    private static final Color PACKETS = new Color(0xff7f0e);
    private static final Color P50 = new Color(0x2ca02c);
    private static final Color P99 = new Color(0xd62728);

    private ThroughputPlot() {
    }

    public static void write(List<IntervalSample> samples, Path png, String title) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, LEFT, 28);
            int panel = (HEIGHT - TOP - GAP - BOTTOM) / 2;
            double tMax = Math.max(1, samples.stream().mapToDouble(IntervalSample::secondsSinceStart).max().orElse(1));
            Panel upper = new Panel(g, TOP, panel, tMax);
            upper.axes("Mbit/s received", MBPS, niceMax(max(samples, ThroughputPlot::mbps)),
                    "packets/s received", PACKETS, niceMax(max(samples, s -> s.packetsReceived())));
            upper.line(samples, ThroughputPlot::mbps, upper.leftMax, MBPS);
            upper.line(samples, s -> s.packetsReceived(), upper.rightMax, PACKETS);
            upper.legend(new String[] {"Mbit/s", "packets/s"}, new Color[] {MBPS, PACKETS});
            Panel lower = new Panel(g, TOP + panel + GAP, panel, tMax);
            double latencyMax = niceMax(max(samples, IntervalSample::p99LatencyMs));
            lower.axes("added latency, ms", Color.BLACK, latencyMax, null, null, 0);
            lower.line(samples, IntervalSample::p50LatencyMs, latencyMax, P50);
            lower.line(samples, IntervalSample::p99LatencyMs, latencyMax, P99);
            lower.legend(new String[] {"p50", "p99"}, new Color[] {P50, P99});
            lower.timeLabels();
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static double mbps(IntervalSample s) {
        return s.bytesReceived() * 8 / 1e6;
    }

    private static double max(List<IntervalSample> samples, ToDoubleFunction<IntervalSample> value) {
        return samples.stream().mapToDouble(value).max().orElse(0);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value} (and at least 1). */
    static double niceMax(double value) {
        if (value <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** One plot area and its axes. */
    private static final class Panel {
        private final Graphics2D g;
        private final int top;
        private final int height;
        private final int width = WIDTH - LEFT - RIGHT;
        private final double tMax;
        double leftMax;
        double rightMax;

        Panel(Graphics2D g, int top, int height, double tMax) {
            this.g = g;
            this.top = top;
            this.height = height;
            this.tMax = tMax;
        }

        void axes(String leftLabel, Color leftColor, double leftMax, String rightLabel, Color rightColor,
                  double rightMax) {
            this.leftMax = leftMax;
            this.rightMax = rightMax;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 5; i++) {
                int y = top + height - i * height / 5;
                g.setColor(new Color(0xdddddd));
                g.drawLine(LEFT, y, LEFT + width, y);
                g.setColor(leftColor);
                String left = format(leftMax * i / 5);
                g.drawString(left, LEFT - 8 - g.getFontMetrics().stringWidth(left), y + 4);
                if (rightLabel != null) {
                    g.setColor(rightColor);
                    g.drawString(format(rightMax * i / 5), LEFT + width + 8, y + 4);
                }
            }
            for (int i = 0; i <= 10; i++) {
                int x = LEFT + i * width / 10;
                g.setColor(new Color(0xeeeeee));
                g.drawLine(x, top, x, top + height);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, top, width, height);
            g.setColor(leftColor);
            g.drawString(leftLabel, LEFT, top - 8);
            if (rightLabel != null) {
                g.setColor(rightColor);
                g.drawString(rightLabel, LEFT + width - g.getFontMetrics().stringWidth(rightLabel), top - 8);
            }
        }

        void timeLabels() {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 10; i++) {
                int x = LEFT + i * width / 10;
                String label = format(tMax * i / 10);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + height + 16);
            }
            g.drawString("seconds since the measurement started", LEFT + width / 2 - 110, top + height + 36);
        }

        void line(List<IntervalSample> samples, ToDoubleFunction<IntervalSample> value, double max, Color color) {
            if (samples.isEmpty() || max <= 0) {
                return;
            }
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (IntervalSample s : samples) {
                double x = LEFT + s.secondsSinceStart() / tMax * width;
                double y = top + height - Math.min(1, value.applyAsDouble(s) / max) * height;
                if (first) {
                    path.moveTo(x, y);
                    first = false;
                } else {
                    path.lineTo(x, y);
                }
            }
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            g.draw(path);
            g.setStroke(new BasicStroke(1f));
        }

        void legend(String[] names, Color[] colors) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int x = LEFT + 12;
            for (int i = 0; i < names.length; i++) {
                g.setColor(colors[i]);
                g.fillRect(x, top + 10, 14, 4);
                g.setColor(Color.BLACK);
                g.drawString(names[i], x + 18, top + 16);
                x += 30 + g.getFontMetrics().stringWidth(names[i]);
            }
        }

        private static String format(double v) {
            if (v >= 10_000) {
                return String.format("%,.0f", v);
            }
            return v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
        }
    }
}
