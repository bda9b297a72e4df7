package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.room.ConnectionQuality;

/** The server's view of a participant's uplink, from its receiver reports' loss and jitter. */
class UplinkQualityTest {

    @ParameterizedTest(name = "loss {0}, jitter {1} ms: {2}")
    @CsvSource(textBlock = """
            0,      0,   GOOD
            0.019,  29,  GOOD
            0.02,   0,   FAIR
            0,      30,  FAIR
            0.079,  79,  FAIR
            0.08,   0,   POOR
            0,      80,  POOR
            """)
    void classesAsThePageDoes(double loss, double jitterMs, ConnectionQuality expected) {
        assertEquals(expected, UplinkQuality.classify(loss, jitterMs));
    }

    @Test
    void theWorstStreamOfTheIntervalCounts() {
        UplinkQuality uplink = new UplinkQuality();
        for (int i = 0; i < 2; i++) {
            uplink.add(0, 2); // audio, clean
            uplink.add(26, 5); // a video layer losing about 10 %
            uplink.endInterval();
        }
        uplink.add(0, 2);
        uplink.add(0, 3);
        assertEquals(ConnectionQuality.POOR, uplink.endInterval(), "one clean interval changes nothing yet");
    }

    @Test
    void aNewClassNeedsTwoIntervalsInARow() {
        UplinkQuality uplink = new UplinkQuality();
        uplink.add(13, 0); // 5 %
        assertEquals(ConnectionQuality.GOOD, uplink.endInterval(), "one bad interval is not enough");
        uplink.add(0, 0);
        assertEquals(ConnectionQuality.GOOD, uplink.endInterval());
        uplink.add(13, 0);
        assertEquals(ConnectionQuality.GOOD, uplink.endInterval(), "the bad one before was forgotten");
        uplink.add(13, 0);
        assertEquals(ConnectionQuality.FAIR, uplink.endInterval());
        uplink.add(0, 0);
        assertEquals(ConnectionQuality.FAIR, uplink.endInterval());
        uplink.add(0, 0);
        assertEquals(ConnectionQuality.GOOD, uplink.endInterval(), "and back after two clean ones");
    }

    @Test
    void anIntervalWithoutReportsKeepsTheClass() {
        UplinkQuality uplink = new UplinkQuality();
        uplink.add(40, 0);
        uplink.endInterval();
        uplink.add(40, 0);
        assertEquals(ConnectionQuality.POOR, uplink.endInterval());
        assertEquals(ConnectionQuality.POOR, uplink.endInterval(), "nothing sent, nothing judged");
        assertEquals(ConnectionQuality.POOR, uplink.endInterval());
    }
}
