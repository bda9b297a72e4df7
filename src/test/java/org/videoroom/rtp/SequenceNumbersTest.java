package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceNumbersTest {

    @ParameterizedTest(name = "distance({0} -> {1}) = {2}")
    @CsvSource({
            // from,  to,    distance, forwardDistance, isNewer(to, from)
            "0,      0,      0,       0,     false",
            "100,    101,    1,       1,     true",
            "101,    100,    -1,      65535, false",
            "65535,  0,      1,       1,     true",   // wrap forward
            "0,      65535,  -1,      65535, false",  // wrap backward
            "65530,  5,      11,      11,    true",
            "5,      65530,  -11,     65525, false",
            "0,      32767,  32767,   32767, true",   // largest step still ahead
            "0,      32769,  -32767,  32769, false",  // more than half: behind
            "1000,   33768,  -32768,  32768, true",   // exactly half: numeric order decides
            "33768,  1000,   -32768,  32768, false",
    })
    void wrapAwareComparisons(int from, int to, int distance, int forward, boolean toIsNewer) {
        assertEquals(distance, SequenceNumbers.distance(from, to));
        assertEquals(forward, SequenceNumbers.forwardDistance(from, to));
        assertEquals(toIsNewer, SequenceNumbers.isNewer(to, from));
    }

    @Test
    void isNewerIsAntisymmetricEverywhere() {
        for (int a = 0; a < SequenceNumbers.MODULUS; a += 251) {
            for (int b = 0; b < SequenceNumbers.MODULUS; b += 257) {
                if (a != b) {
                    assertNotEquals(SequenceNumbers.isNewer(a, b), SequenceNumbers.isNewer(b, a), a + " vs " + b);
                }
            }
        }
    }

    @ParameterizedTest(name = "add({0}, {1}) = {2}")
    @CsvSource({
            "0,     1,      1",
            "65535, 1,      0",
            "0,     -1,     65535",
            "65000, 1000,   464",
            "70000, 0,      4464", // inputs are taken modulo 2^16
    })
    void addWraps(int seq, int delta, int expected) {
        assertEquals(expected, SequenceNumbers.add(seq, delta));
    }

    @Test
    void nextAndNewest() {
        assertEquals(0, SequenceNumbers.next(65535));
        assertEquals(2, SequenceNumbers.newest(65535, 2));
        assertEquals(2, SequenceNumbers.newest(2, 65535));
        assertEquals(7, SequenceNumbers.newest(7, 7));
    }
}
