package org.videoroom.load;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The load tool's command line: defaults, each option, and the mistakes it refuses. */
class LoadOptionsTest {

    @Test
    void everyOptionHasADefault() {
        LoadOptions o = LoadOptions.parse();

        assertAll(
                () -> assertEquals(URI.create("http://127.0.0.1:8080/"), o.url()),
                () -> assertEquals(2, o.rooms()),
                () -> assertEquals(3, o.participants()),
                () -> assertEquals(6, o.total()),
                () -> assertEquals(Duration.ofSeconds(20), o.duration()),
                () -> assertEquals(10.0, o.joinRate()),
                () -> assertEquals(Duration.ofSeconds(3), o.settle()),
                () -> assertTrue(o.roomPrefix().matches("load-[0-9a-z]+"), o.roomPrefix()),
                () -> assertNull(o.report()),
                () -> assertNull(o.plot(), "no report, no plot"),
                () -> assertEquals(OptionalLong.empty(), o.serverPid()),
                () -> assertFalse(o.relay()),
                () -> assertFalse(o.baseline()),
                () -> assertEquals("127.0.0.1", o.address()));
    }

    @Test
    void eachOptionSetsItsField() {
        LoadOptions o = LoadOptions.parse("--url", "https://127.0.0.2:8181/room", "--rooms", "5", "--participants",
                "4", "--seconds", "2.5", "--join-rate", "0.5", "--settle", "0.25", "--room-prefix", "sweep",
                "--report", "out/run.json", "--plot", "elsewhere/p.png", "--server-pid", "4242", "--address",
                "127.0.0.3", "--baseline");

        assertAll(
                () -> assertEquals(URI.create("https://127.0.0.2:8181/room"), o.url()),
                () -> assertEquals(5, o.rooms()),
                () -> assertEquals(4, o.participants()),
                () -> assertEquals(20, o.total()),
                () -> assertEquals(Duration.ofMillis(2_500), o.duration()),
                () -> assertEquals(0.5, o.joinRate()),
                () -> assertEquals(Duration.ofMillis(250), o.settle()),
                () -> assertEquals("sweep", o.roomPrefix()),
                () -> assertEquals(Path.of("out/run.json"), o.report()),
                () -> assertEquals(Path.of("elsewhere/p.png"), o.plot(), "an explicit plot path wins"),
                () -> assertEquals(OptionalLong.of(4242), o.serverPid()),
                () -> assertEquals("127.0.0.3", o.address()),
                () -> assertTrue(o.baseline()),
                () -> assertFalse(o.relay()));
    }

    @Test
    void theRelayMeasuresItselfSoThereIsNoBaselineToCompare() {
        LoadOptions o = LoadOptions.parse("--relay", "--baseline");

        assertTrue(o.relay());
        assertFalse(o.baseline());
    }

    @Test
    void theBaselineRunIsTheSameRunThroughTheRelay() {
        LoadOptions o = LoadOptions.parse("--rooms", "3", "--participants", "2", "--seconds", "7", "--room-prefix",
                "x", "--report", "r.json", "--server-pid", "9", "--baseline");

        LoadOptions relay = o.asRelay();

        assertAll(
                () -> assertTrue(relay.relay()),
                () -> assertFalse(relay.baseline()),
                () -> assertEquals("x-relay", relay.roomPrefix()),
                () -> assertEquals(o.total(), relay.total()),
                () -> assertEquals(o.duration(), relay.duration()),
                () -> assertEquals(o.joinRate(), relay.joinRate()),
                () -> assertNull(relay.report(), "the server run writes the report"),
                () -> assertEquals(OptionalLong.empty(), relay.serverPid()));
    }

    static Stream<Arguments> plotPaths() {
        return Stream.of(
                Arguments.of("out/run.json", Path.of("out/run.png")),
                Arguments.of("run.json", Path.of("run.png")),
                Arguments.of("/tmp/load/report", Path.of("/tmp/load/report.png")),
                Arguments.of("out/a.json.json", Path.of("out/a.json.png")),
                Arguments.of("out.json/run.txt", Path.of("out.json/run.txt.png")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("plotPaths")
    void thePlotGoesNextToTheReport(String report, Path plot) {
        assertEquals(plot, LoadOptions.parse("--report", report).plot());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of((Object) new String[] {"--verbose"}),
                Arguments.of((Object) new String[] {"rooms", "2"}),
                Arguments.of((Object) new String[] {"--rooms"}),
                Arguments.of((Object) new String[] {"--participants", "3", "--report"}),
                Arguments.of((Object) new String[] {"--participants", "1"}),
                Arguments.of((Object) new String[] {"--participants", "0"}),
                Arguments.of((Object) new String[] {"--rooms", "0"}),
                Arguments.of((Object) new String[] {"--rooms", "-2"}),
                Arguments.of((Object) new String[] {"--rooms", "two"}),
                Arguments.of((Object) new String[] {"--seconds", "ten"}),
                Arguments.of((Object) new String[] {"--join-rate", "0"}),
                Arguments.of((Object) new String[] {"--join-rate", "-1"}),
                Arguments.of((Object) new String[] {"--join-rate", "NaN"}),
                Arguments.of((Object) new String[] {"--join-rate", "Infinity"}),
                Arguments.of((Object) new String[] {"--seconds", "0"}),
                Arguments.of((Object) new String[] {"--seconds", "-5"}),
                Arguments.of((Object) new String[] {"--settle", "-1"}),
                Arguments.of((Object) new String[] {"--server-pid", "0"}),
                Arguments.of((Object) new String[] {"--url", "http://bad host/"}));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void mistakesAreRefused(String[] args) {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args));
    }
}
