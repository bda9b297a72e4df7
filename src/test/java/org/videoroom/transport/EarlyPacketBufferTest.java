package org.videoroom.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarlyPacketBufferTest {

    @Test
    void holdsCopiesInArrivalOrder() {
        EarlyPacketBuffer buffer = new EarlyPacketBuffer(4, 16);
        byte[] source = {9, 9, 1, 2, 3, 9};
        assertTrue(buffer.offer(source, 2, 3, 1_000));
        assertTrue(buffer.offer(new byte[] {4, 5}, 0, 2, 2_000));
        source[2] = 0; // the caller reuses its buffer at once

        assertEquals(2, buffer.size());
        assertArrayEquals(new byte[] {1, 2, 3}, held(buffer, 0));
        assertArrayEquals(new byte[] {4, 5}, held(buffer, 1));
        assertEquals(1_000, buffer.arrivalNanos(0), "a held packet keeps the time it reached the socket");
        assertEquals(2_000, buffer.arrivalNanos(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # name                           | capacity | maxBytes | already held | length | accepted
            room left                        | 2        | 8        | 1            | 8      | true
            full                             | 2        | 8        | 2            | 1      | false
            one byte too long                | 2        | 8        | 0            | 9      | false
            empty datagram                   | 2        | 8        | 0            | 0      | true
            """)
    void refusesWhenFullOrTooLong(String name, int capacity, int maxBytes, int alreadyHeld, int length,
                                  boolean accepted) {
        EarlyPacketBuffer buffer = new EarlyPacketBuffer(capacity, maxBytes);
        for (int i = 0; i < alreadyHeld; i++) {
            assertTrue(buffer.offer(new byte[1], 0, 1, 0));
        }

        assertEquals(accepted, buffer.offer(new byte[length], 0, length, 0));
        assertEquals(alreadyHeld + (accepted ? 1 : 0), buffer.size());
    }

    @Test
    void clearReportsWhatWasHeldAndTheBufferWorksAgain() {
        EarlyPacketBuffer buffer = new EarlyPacketBuffer(2, 8);
        buffer.offer(new byte[] {1}, 0, 1, 1);
        buffer.offer(new byte[] {2}, 0, 1, 2);

        assertEquals(2, buffer.clear());
        assertTrue(buffer.isEmpty());
        assertEquals(0, buffer.clear());
        assertTrue(buffer.offer(new byte[] {3}, 0, 1, 3), "capacity is free again");
        assertArrayEquals(new byte[] {3}, held(buffer, 0));
    }

    @Test
    void indexesBeyondWhatIsHeldAreRejected() {
        EarlyPacketBuffer buffer = new EarlyPacketBuffer(2, 8);
        buffer.offer(new byte[] {1}, 0, 1, 1);

        assertThrows(IndexOutOfBoundsException.class, () -> buffer.data(1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.length(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.offer(new byte[2], 1, 2, 0));
        assertFalse(buffer.isEmpty());
    }

    @Test
    void sizesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyPacketBuffer(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new EarlyPacketBuffer(8, 0));
    }

    private static byte[] held(EarlyPacketBuffer buffer, int index) {
        return Arrays.copyOf(buffer.data(index), buffer.length(index));
    }
}
