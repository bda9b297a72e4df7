package org.videoroom.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes every parser target, one child JVM each (libFuzzer runs one target per process), with this JVM's class
 * path: {@code mvn verify} runs it briefly after the unit tests, README "Fuzzing" for long. Arguments: executions
 * per target, then optionally the targets ({@code Class#method}). Each target's corpus grows under
 * {@code target/fuzz/<method>/corpus}, a crash is written next to it and fails the run.
 */
public final class FuzzRun {

    static final List<String> TARGETS = List.of(
            "org.videoroom.fuzz.ParserFuzzTest#rtp", "org.videoroom.fuzz.ParserFuzzTest#rtcp",
            "org.videoroom.fuzz.ParserFuzzTest#sdp", "org.videoroom.fuzz.ParserFuzzTest#candidate",
            "org.videoroom.fuzz.ParserFuzzTest#signaling", "org.videoroom.transport.ice.StunFuzzTest#stun",
            "org.videoroom.transport.dtls.DtlsFuzzTest#dtls");

    /** Jazzer's instrumenter cannot read the newest JDK's classes, which these sanitizers hook; no parser runs them. */
    private static final String DISABLED_HOOKS = "com.code_intelligence.jazzer.sanitizers.RegexRoadblocks:"
            + "com.code_intelligence.jazzer.sanitizers.RegexInjection:"
            + "com.code_intelligence.jazzer.sanitizers.OsCommandInjection";
    /**
     * Ours, and the libraries that parse on our behalf: ice4j's STUN decoder, Bouncy Castle's DTLS, Parsson's
     * JSON (by default Jazzer instruments class directories only, not jars).
     */
    private static final String INSTRUMENT = "org.videoroom.**:org.ice4j.**:org.bouncycastle.tls.**:org.eclipse.parsson.**";
    private static final Pattern DONE = Pattern.compile("^#(\\d+)\\s+DONE\\s+cov: (\\d+).*exec/s: (\\d+)",
            Pattern.MULTILINE);

    private FuzzRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        long runs = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        List<String> targets = args.length > 1 ? List.of(args).subList(1, args.length) : TARGETS;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean failed = false;
        for (String target : targets) {
            String type = target.substring(0, target.indexOf('#'));
            String method = target.substring(target.indexOf('#') + 1);
            Path out = Path.of("target", "fuzz", method);
            Files.createDirectories(out.resolve("corpus"));
            Path seeds = Path.of("src/test/resources", type.replace('.', '/') + "Inputs", method);
            List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "com.code_intelligence.jazzer.Jazzer", "--target_class=" + type, "--target_method=" + method,
                    "--reproducer_path=" + out, "--disabled_hooks=" + DISABLED_HOOKS,
                    "--instrumentation_includes=" + INSTRUMENT, "-runs=" + runs,
                    "-artifact_prefix=" + out + "/", out.resolve("corpus").toString(), seeds.toString()));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.resolve("log").toFile()).start();
            int exit = process.waitFor();
            String log = Files.readString(out.resolve("log"));
            Matcher done = DONE.matcher(log);
            String summary = "no DONE line";
            while (done.find()) {
                summary = done.group(1) + " executions, coverage " + done.group(2) + ", " + done.group(3) + " exec/s";
            }
            boolean ok = exit == 0 && !summary.startsWith("no");
            failed |= !ok;
            System.out.printf("fuzz %-10s %s in %d s: %s%s%n", method, ok ? "ok" : "FAILED",
                    (System.nanoTime() - start) / 1_000_000_000L, summary, ok ? "" : " (see " + out.resolve("log") + ")");
        }
        if (failed) {
            System.exit(1);
        }
    }
}
