package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceNumberUnwrapperTest {

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("in order", new int[] {1, 2, 3}, new long[] {1, 2, 3}, 3L),
                Arguments.of("wrap forward", new int[] {65534, 65535, 0, 1}, new long[] {65534, 65535, 65536, 65537}, 65537L),
                Arguments.of("late packet from before the wrap", new int[] {65535, 0, 1, 65534, 2},
                        new long[] {65535, 65536, 65537, 65534, 65538}, 65538L),
                Arguments.of("reordered across the wrap", new int[] {65535, 1, 0}, new long[] {65535, 65537, 65536}, 65537L),
                Arguments.of("two wraps", new int[] {60000, 10000, 40000, 5000, 30000},
                        new long[] {60000, 75536, 105536, 136072, 161072}, 161072L),
                Arguments.of("packet before the first one, across a wrap", new int[] {1, 65535, 2},
                        new long[] {1, -1, 2}, 2L),
                Arguments.of("duplicate", new int[] {7, 7, 8}, new long[] {7, 7, 8}, 8L),
                Arguments.of("gap then loss recovery", new int[] {100, 150, 120}, new long[] {100, 150, 120}, 150L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void unwrapsRelativeToHighest(String name, int[] input, long[] expected, long highest) {
        SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
        long[] actual = Arrays.stream(input).mapToLong(unwrapper::unwrap).toArray();
        assertArrayEquals(expected, actual);
        assertEquals(highest, unwrapper.highest());
    }

    @Test
    void peekDoesNotRecord() {
        SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
        assertEquals(65535, unwrapper.peek(65535));
        assertFalse(unwrapper.hasValue());
        assertEquals(-1, unwrapper.highest());
        unwrapper.unwrap(65535);
        assertEquals(65536, unwrapper.peek(0));
        assertEquals(65535, unwrapper.highest());
        assertTrue(unwrapper.hasValue());
        unwrapper.reset();
        assertFalse(unwrapper.hasValue());
        assertEquals(3, unwrapper.unwrap(3));
    }
}
