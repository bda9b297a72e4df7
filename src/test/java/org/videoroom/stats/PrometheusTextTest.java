package org.videoroom.stats;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {

    @Test
    void familiesAndSamplesFollowTheFormat() {
        String text = new PrometheusText()
                .counter("videoroom_rtp_forwarded_packets_total", "RTP packets sent to subscribers")
                .sample(12)
                .gauge("videoroom_rooms", "open rooms")
                .sample(0)
                .counter("videoroom_ice_failures_total", "ICE failures, by reason")
                .sample(3, "reason", "connect_timeout")
                .sample(0, "reason", "checks_failed")
                .text();

        assertEquals("""
                # HELP videoroom_rtp_forwarded_packets_total RTP packets sent to subscribers
                # TYPE videoroom_rtp_forwarded_packets_total counter
                videoroom_rtp_forwarded_packets_total 12
                # HELP videoroom_rooms open rooms
                # TYPE videoroom_rooms gauge
                videoroom_rooms 0
                # HELP videoroom_ice_failures_total ICE failures, by reason
                # TYPE videoroom_ice_failures_total counter
                videoroom_ice_failures_total{reason="connect_timeout"} 3
                videoroom_ice_failures_total{reason="checks_failed"} 0
                """, text);

        Map<String, PrometheusTextParser.Family> parsed = PrometheusTextParser.parse(text);
        assertEquals(List.of("videoroom_rtp_forwarded_packets_total", "videoroom_rooms",
                "videoroom_ice_failures_total"), List.copyOf(parsed.keySet()));
        assertEquals("counter", parsed.get("videoroom_ice_failures_total").type());
        assertEquals(3.0, PrometheusTextParser.value(parsed, "videoroom_ice_failures_total",
                "reason", "connect_timeout").orElseThrow());
    }

    @Test
    void helpAndLabelValuesAreEscapedAndReadBack() {
        String awkward = "a \"quoted\" back\\slash and\nnewline";
        String text = new PrometheusText()
                .gauge("g", awkward)
                .sample(1, "what", awkward, "other", "")
                .text();

        assertEquals("""
                # HELP g a "quoted" back\\\\slash and\\nnewline
                # TYPE g gauge
                g{what="a \\"quoted\\" back\\\\slash and\\nnewline",other=""} 1
                """, text);
        PrometheusTextParser.Family g = PrometheusTextParser.parse(text).get("g");
        assertEquals(awkward, g.help());
        assertEquals(Map.of("what", awkward, "other", ""), g.samples().get(0).labels());
    }

    @Test
    void valuesAreIntegersWhenWholeAndSpecialValuesUseTheFormatsSpelling() {
        assertEquals("0", PrometheusText.format(0));
        assertEquals("9007199254740992", PrometheusText.format(0x1p53));
        assertEquals("1.8014398509481984E16", PrometheusText.format(0x1p54));
        assertEquals("-42", PrometheusText.format(-42));
        assertEquals("0.25", PrometheusText.format(0.25));
        assertEquals("NaN", PrometheusText.format(Double.NaN));
        assertEquals("+Inf", PrometheusText.format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.format(Double.NEGATIVE_INFINITY));
        assertEquals("1.0E20", PrometheusText.format(1e20));

        assertEquals("g 9007199254740993\n", new PrometheusText().gauge("g", "h").sample(9007199254740993L)
                .text().lines().skip(2).findFirst().orElseThrow() + "\n", "longs are exact");

        String text = new PrometheusText().gauge("g", "h").sample(Double.NaN, "v", "a")
                .sample(Double.POSITIVE_INFINITY, "v", "b").sample(1e20, "v", "c").sample(-0.5, "v", "d").text();
        Map<String, PrometheusTextParser.Family> parsed = PrometheusTextParser.parse(text);
        assertTrue(Double.isNaN(PrometheusTextParser.value(parsed, "g", "v", "a").orElseThrow()));
        assertEquals(Double.POSITIVE_INFINITY, PrometheusTextParser.value(parsed, "g", "v", "b").orElseThrow());
        assertEquals(1e20, PrometheusTextParser.value(parsed, "g", "v", "c").orElseThrow());
        assertEquals(-0.5, PrometheusTextParser.value(parsed, "g", "v", "d").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "has-dash", "has space", "é"})
    void badMetricNamesAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().counter(name, "h"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1a", "a-b", "__reserved", "a:b"})
    void badLabelNamesAreRejected(String label) {
        PrometheusText text = new PrometheusText().gauge("g", "h");
        assertThrows(IllegalArgumentException.class, () -> text.sample(1, label, "v"));
    }

    @Test
    void misuseIsRejected() {
        PrometheusText text = new PrometheusText();
        assertThrows(IllegalStateException.class, () -> text.sample(1L));
        text.gauge("g", "h");
        assertThrows(IllegalArgumentException.class, () -> text.gauge("g", "again"));
        assertThrows(IllegalArgumentException.class, () -> text.sample(1, "odd"));
    }

    /** The parser the integration tests rely on must itself refuse what Prometheus refuses. */
    @ParameterizedTest
    @ValueSource(strings = {
            "g 1\n",                                              // sample without TYPE
            "# TYPE g gauge\ng 1",                                // no final newline
            "# TYPE g gauge\n# TYPE g gauge\ng 1\n",              // second TYPE
            "# TYPE g gauge\ng one\n",                            // not a number
            "# TYPE g gauge\ng{a=\"x} 1\n",                       // unterminated label value
            "# TYPE g gauge\ng{a=\"x\",a=\"y\"} 1\n",             // label repeated
            "# TYPE g gauge\ng{a=\"\\t\"} 1\n",                   // unknown escape
            "# TYPE g gauge\ng{1a=\"x\"} 1\n",                    // bad label name
            "# TYPE g wobbly\ng 1\n",                             // unknown type
            "# TYPE g gauge\ng  1\n",                             // two spaces
    })
    void theTestParserRejectsBrokenText(String text) {
        assertThrows(PrometheusTextParser.FormatException.class, () -> PrometheusTextParser.parse(text));
    }
}
