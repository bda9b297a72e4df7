package org.videoroom.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the JMH benchmarks of {@code src/jmh/java} from rotting: runs every benchmark method once, for every
 * combination of its parameters, in this JVM (no fork, no warm-up, one single-shot measurement), so their setup
 * checks (every subscriber forwarded to, the SRTP ring decrypting, the packet layouts) run in each build. The
 * figures themselves come from {@code mvn -Pjmh test-compile exec:exec} (docs/performance.md).
 */
class JmhBenchmarksTest {

    /** Benchmark method and how many parameter combinations it has. */
    private static final Map<String, Integer> EXPECTED = new TreeMap<>(Map.of(
            "org.videoroom.media.FanOutJmh.fanOut", 6,
            "org.videoroom.media.TransportCcJmh.record", 1,
            "org.videoroom.media.TransportCcJmh.stamp", 1,
            "org.videoroom.rtcp.RtcpParseJmh.parse", 3,
            "org.videoroom.rtp.RtpParseJmh.parse", 2,
            "org.videoroom.rtp.StreamRewriterJmh.rewrite", 2,
            "org.videoroom.transport.srtp.RingCopyJmh.copy", 2,
            "org.videoroom.transport.srtp.SrtpJmh.protect", 4,
            "org.videoroom.transport.srtp.SrtpJmh.unprotect", 4));

    @Test
    void everyBenchmarkRunsOnce() throws RunnerException, java.io.IOException {
        Path output = Path.of("target", "jmh-smoke.txt");
        Files.createDirectories(output.getParent());
        Options options = new OptionsBuilder()
                .include("org\\.videoroom\\..*Jmh\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementBatchSize(1)
                .mode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .timeout(TimeValue.seconds(60))
                .shouldFailOnError(true)
                .output(output.toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Integer> ran = new TreeMap<>();
        for (RunResult result : results) {
            ran.merge(result.getParams().getBenchmark(), 1, Integer::sum);
            assertTrue(result.getPrimaryResult().getSampleCount() >= 1, result.getParams().getBenchmark());
        }
        assertEquals(EXPECTED, ran, "benchmarks run (see " + output + ")");
    }
}
