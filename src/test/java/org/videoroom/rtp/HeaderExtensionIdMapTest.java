package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderExtensionIdMapTest {

    // Chromium's audio ids on the way in, a hypothetical subscriber's ids on the way out.
    private static final HeaderExtensionIdMap CHROMIUM_TO_SUBSCRIBER = HeaderExtensionIdMap.of(Map.of(
            1, 10,   // ssrc-audio-level
            3, 5,    // transport-wide-cc
            4, 200)); // sdes:mid (two-byte form only)

    @ParameterizedTest(name = "map({0}) = {1}")
    @CsvSource({
            "1,   10",
            "3,   5",
            "4,   200",
            "2,   0", // not negotiated by the subscriber: strip
            "0,   0",
            "-3,  0",
            "256, 0",
    })
    void mapsOrStrips(int oldId, int newId) {
        assertEquals(newId, CHROMIUM_TO_SUBSCRIBER.map(oldId));
    }

    static Stream<Arguments> invalidMaps() {
        return Stream.of(
                Arguments.of("old id 0", Map.of(0, 1)),
                Arguments.of("new id 0", Map.of(1, 0)),
                Arguments.of("old id 256", Map.of(256, 1)),
                Arguments.of("new id 256", Map.of(1, 256)),
                Arguments.of("two old ids onto one new id", Map.of(1, 3, 2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMaps")
    void rejectsInvalidMaps(String name, Map<Integer, Integer> map) {
        assertThrows(IllegalArgumentException.class, () -> HeaderExtensionIdMap.of(map));
    }

    @Test
    void stripAllMapsNothing() {
        for (int id = 0; id <= HeaderExtensionIdMap.MAX_ID; id++) {
            assertEquals(0, HeaderExtensionIdMap.STRIP_ALL.map(id));
        }
    }

    @Test
    void valueSemantics() {
        HeaderExtensionIdMap same = HeaderExtensionIdMap.of(Map.of(4, 200, 3, 5, 1, 10));
        assertEquals(CHROMIUM_TO_SUBSCRIBER, same);
        assertEquals(CHROMIUM_TO_SUBSCRIBER.hashCode(), same.hashCode());
        assertEquals("HeaderExtensionIdMap{1->10, 3->5, 4->200}", same.toString());
    }
}
