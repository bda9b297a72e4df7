package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BweConfigTest {

    @Test
    void defaults() {
        assertEquals(new BweConfig(1_000_000, 50_000, 10_000_000), BweConfig.defaults());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "min zero,            1000,    0,       2000",
        "min negative,        1000,    -1,      2000",
        "start below min,     999,     1000,    2000",
        "start above max,     2001,    1000,    2000",
        "max above limit,     1000,    1000,    100000000001",
    })
    void rejects(String name, long start, long min, long max) {
        assertThrows(IllegalArgumentException.class, () -> new BweConfig(start, min, max));
    }

    @Test
    void clamps() {
        BweConfig config = new BweConfig(1000, 500, 2000);
        assertEquals(500, config.clamp(0));
        assertEquals(2000, config.clamp(Long.MAX_VALUE));
        assertEquals(1500, config.clamp(1500));
    }
}
