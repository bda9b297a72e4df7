package org.videoroom.load.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;

/**
 * One panel of the load tool's charts: a plot area with a left and an optional right value axis, a grid, lines
 * and a legend, over an x axis from 0 to {@code xMax}. The charts stack panels on one image.
 *
 * <p>Not thread-safe: one drawing thread.
 */
final class ChartPanel {

    private static final Color GRID = new Color(0xdddddd);
    private static final Color VERTICAL_GRID = new Color(0xeeeeee);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private final Graphics2D g;
    private final int left;
    private final int top;
    private final int width;
    private final int height;
    private final double xMax;

    ChartPanel(Graphics2D g, int left, int top, int width, int height, double xMax) {
        this.g = g;
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
        this.xMax = xMax <= 0 ? 1 : xMax;
    }

    /** Grid, frame and value axes; {@code rightLabel} null for none. */
    void axes(String leftLabel, Color leftColor, double leftMax, String rightLabel, Color rightColor,
              double rightMax) {
        g.setFont(LABEL);
        for (int i = 0; i <= 5; i++) {
            int y = top + height - i * height / 5;
            g.setColor(GRID);
            g.drawLine(left, y, left + width, y);
            g.setColor(leftColor);
            String value = format(leftMax * i / 5);
            g.drawString(value, left - 8 - g.getFontMetrics().stringWidth(value), y + 4);
            if (rightLabel != null) {
                g.setColor(rightColor);
                g.drawString(format(rightMax * i / 5), left + width + 8, y + 4);
            }
        }
        for (int i = 0; i <= 10; i++) {
            int x = left + i * width / 10;
            g.setColor(VERTICAL_GRID);
            g.drawLine(x, top, x, top + height);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, width, height);
        g.setColor(leftColor);
        g.drawString(leftLabel, left, top - 8);
        if (rightLabel != null) {
            g.setColor(rightColor);
            g.drawString(rightLabel, left + width - g.getFontMetrics().stringWidth(rightLabel), top - 8);
        }
    }

    void xLabels(String caption) {
        g.setColor(Color.BLACK);
        g.setFont(LABEL);
        for (int i = 0; i <= 10; i++) {
            int x = left + i * width / 10;
            String label = format(xMax * i / 10);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + height + 16);
        }
        g.drawString(caption, left + width / 2 - g.getFontMetrics().stringWidth(caption) / 2, top + height + 36);
    }

    /** A line through the points ({@code xs[i]}, {@code ys[i]}), scaled to {@code max}; dots when {@code marks}. */
    void line(double[] xs, double[] ys, double max, Color color, boolean marks) {
        if (xs.length == 0 || max <= 0) {
            return;
        }
        Path2D path = new Path2D.Double();
        g.setColor(color);
        for (int i = 0; i < xs.length; i++) {
            double x = left + xs[i] / xMax * width;
            double y = top + height - Math.min(1, Math.max(0, ys[i] / max)) * height;
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
            if (marks) {
                g.fillOval((int) x - 4, (int) y - 4, 8, 8);
            }
        }
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    void legend(String[] names, Color[] colors) {
        g.setFont(LABEL);
        int x = left + 12;
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, top + 10, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 18, top + 16);
            x += 30 + g.getFontMetrics().stringWidth(names[i]);
        }
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

    private static String format(double v) {
        if (v >= 10_000) {
            return String.format("%,.0f", v);
        }
        return v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
    }
}
