package org.videoroom.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: every line must be a {@code # HELP}, a
 * {@code # TYPE}, another comment, blank, or a sample whose family was typed before it, with the
 * label and value grammar of the format. Anything else fails with the line number, so a test that reads a
 * scrape through it also checks that Prometheus could read it.
 */
public final class PrometheusTextParser {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME.pattern() + ") (.*)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE (" + NAME.pattern() + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern VALUE = Pattern.compile(
            "NaN|[+-]Inf|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> SUFFIXES = Set.of("_bucket", "_sum", "_count");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    /** Thrown for a line that breaks the format. */
    public static final class FormatException extends RuntimeException {
        FormatException(int line, String problem, String text) {
            super("line " + line + ": " + problem + ": " + text);
        }
    }

    private PrometheusTextParser() {
    }

    /** The families in the order their TYPE lines appear. */
    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatException(0, "the last line must end with \\n", "");
        }
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            if (help.matches()) {
                if (helps.put(help.group(1), unescape(help.group(2), false, number)) != null) {
                    throw new FormatException(number, "second HELP", line);
                }
            } else if (type.matches()) {
                String name = type.group(1);
                if (families.containsKey(name)) {
                    throw new FormatException(number, "second TYPE", line);
                }
                families.put(name, new Family(name, type.group(2), helps.get(name), new ArrayList<>()));
            } else if (line.startsWith("#")) {
                if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    throw new FormatException(number, "malformed HELP/TYPE", line);
                }
            } else {
                Sample sample = sample(line, number);
                Family family = familyOf(sample.name(), families)
                        .orElseThrow(() -> new FormatException(number, "sample before its TYPE", line));
                family.samples().add(sample);
            }
        }
        return families;
    }

    /** The value of the sample with exactly these labels, if present. */
    public static Optional<Double> value(Map<String, Family> families, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return familyOf(name, families).stream()
                .flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(Sample::value)
                .findFirst();
    }

    private static Optional<Family> familyOf(String sampleName, Map<String, Family> families) {
        Family exact = families.get(sampleName);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                Family base = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (base != null && (base.type().equals("histogram") || base.type().equals("summary"))) {
                    return Optional.of(base);
                }
            }
        }
        return Optional.empty();
    }

    private static Sample sample(String line, int number) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new FormatException(number, "no metric name", line);
        }
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher labelName = LABEL_NAME.matcher(line).region(at, line.length());
                if (!labelName.lookingAt() || !line.startsWith("=\"", labelName.end())) {
                    throw new FormatException(number, "bad label at column " + at, line);
                }
                int valueStart = labelName.end() + 2;
                int end = valueStart;
                while (end < line.length() && line.charAt(end) != '"') {
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= line.length()) {
                    throw new FormatException(number, "unterminated label value", line);
                }
                if (labels.put(labelName.group(), unescape(line.substring(valueStart, end), true, number)) != null) {
                    throw new FormatException(number, "label repeated", line);
                }
                at = end + 1;
                if (line.charAt(at) == ',') {
                    at++;
                } else if (line.charAt(at) != '}') {
                    throw new FormatException(number, "expected , or } at column " + at, line);
                }
            }
            at++;
        }
        String[] rest = line.substring(at).split(" ", -1);
        // " value" or " value timestamp"
        if (rest.length < 2 || rest.length > 3 || !rest[0].isEmpty() || !VALUE.matcher(rest[1]).matches()
                || (rest.length == 3 && !rest[2].matches("-?\\d+"))) {
            throw new FormatException(number, "bad value", line);
        }
        double value = switch (rest[1]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(rest[1]);
        };
        return new Sample(name.group(), labels, value);
    }

    private static String unescape(String text, boolean labelValue, int number) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (labelValue && c == '"') {
                    throw new FormatException(number, "unescaped quote", text);
                }
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                throw new FormatException(number, "dangling backslash", text);
            }
            char next = text.charAt(i);
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case '"' -> {
                    if (!labelValue) {
                        throw new FormatException(number, "HELP does not escape quotes", text);
                    }
                    out.append('"');
                }
                default -> throw new FormatException(number, "unknown escape \\" + next, text);
            }
        }
        return out.toString();
    }
}
