package org.videoroom.stats;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds one scrape in the Prometheus text exposition format, version 0.0.4: per metric family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, {@code name{label="value",…} value}, one per
 * line, each line ending in {@code \n}.
 *
 * <pre>
 * # HELP videoroom_ice_failures_total ICE transports that failed, by reason
 * # TYPE videoroom_ice_failures_total counter
 * videoroom_ice_failures_total{reason="connect_timeout"} 3
 * </pre>
 *
 * <p>Names are checked against the format's grammar and a family may appear only once, so a mistake shows
 * up as an {@link IllegalArgumentException} in a unit test rather than as a scrape Prometheus rejects.
 * Not thread-safe: build one per scrape.
 */
public final class PrometheusText {

    /** The {@code Content-Type} of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Metric types this writer emits (histograms and summaries need suffixed samples it does not write). */
    public enum Type {
        COUNTER, GAUGE;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final double MAX_EXACT_DOUBLE = 0x1p53;

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();
    private String family;

    /** Starts a counter family; its samples follow with {@link #sample}. Counters only ever grow. */
    public PrometheusText counter(String name, String help) {
        return family(name, Type.COUNTER, help);
    }

    /** Starts a gauge family (a value that goes up and down); its samples follow with {@link #sample}. */
    public PrometheusText gauge(String name, String help) {
        return family(name, Type.GAUGE, help);
    }

    public PrometheusText family(String name, Type type, String help) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (!families.add(name)) {
            throw new IllegalArgumentException("metric family written twice: " + name);
        }
        family = name;
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.wire()).append('\n');
        return this;
    }

    /**
     * A sample of the current family with an exact integer value (counters, counts).
     *
     * @param labels label names and values, alternating: {@code "reason", "connect_timeout"}
     */
    public PrometheusText sample(long value, String... labels) {
        return append(Long.toString(value), labels);
    }

    /**
     * A sample of the current family.
     *
     * @param labels label names and values, alternating: {@code "reason", "connect_timeout"}
     */
    public PrometheusText sample(double value, String... labels) {
        return append(format(value), labels);
    }

    private PrometheusText append(String value, String... labels) {
        if (family == null) {
            throw new IllegalStateException("a sample needs a family first");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        out.append(family);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + labels[i]);
                }
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(Objects.requireNonNull(labels[i + 1], "label value"), true);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** The scrape so far. */
    public String text() {
        return out.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Whole values print without a fraction, as far as a double holds them exactly ("12", not "12.0"). */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_DOUBLE) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** HELP text escapes backslash and newline; label values also the double quote. */
    private void escape(String text, boolean quote) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
