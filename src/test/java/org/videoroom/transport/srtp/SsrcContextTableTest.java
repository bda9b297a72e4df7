package org.videoroom.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrcContextTableTest {
    @Test
    void storesLooksUpAndRemoves() {
        SsrcContextTable<String> table = new SsrcContextTable<>(8);
        table.putIfAbsent(0xcafebabe, "a");
        table.putIfAbsent(0, "b");
        table.putIfAbsent(-1, "c");

        assertEquals("a", table.get(0xcafebabe));
        assertEquals("b", table.get(0));
        assertEquals("c", table.get(-1));
        assertNull(table.get(1));
        assertEquals("b", table.remove(0));
        assertNull(table.get(0));
        assertEquals(2, table.size());
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        SsrcContextTable<String> table = new SsrcContextTable<>(8);
        table.putIfAbsent(5, "first");
        table.putIfAbsent(5, "second");

        assertEquals("first", table.get(5));
        assertEquals(1, table.size());
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        SsrcContextTable<String> table = new SsrcContextTable<>(3);
        table.putIfAbsent(1, "one");
        table.putIfAbsent(2, "two");
        table.putIfAbsent(3, "three");
        table.get(1); // 2 is now the least recently used

        assertSame("two", table.putIfAbsent(4, "four"));
        assertNull(table.get(2));
        assertEquals("one", table.get(1));
        assertEquals(3, table.size());
        assertEquals(1, table.evictions());
    }

    /** Random operations against a LinkedHashMap in access order: probing and deletion stay correct. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64})
    void behavesLikeAnAccessOrderedMap(int maxEntries) {
        SsrcContextTable<Integer> table = new SsrcContextTable<>(maxEntries);
        Map<Integer, Integer> model = new LinkedHashMap<>(16, 0.75f, true);
        Random random = new Random(maxEntries);
        for (int step = 0; step < 20_000; step++) {
            // A small key space forces collisions, reuse and deletions in long probe chains.
            int ssrc = random.nextInt(3 * maxEntries + 3) - maxEntries;
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(model.get(ssrc), table.get(ssrc), "get " + ssrc);
                case 1 -> assertEquals(model.remove(ssrc), table.remove(ssrc), "remove " + ssrc);
                default -> {
                    Integer expectedEvicted = null;
                    if (!model.containsKey(ssrc)) {
                        if (model.size() == maxEntries) {
                            Integer eldest = model.keySet().iterator().next();
                            expectedEvicted = model.remove(eldest);
                        }
                        model.put(ssrc, step);
                    }
                    assertEquals(expectedEvicted, table.putIfAbsent(ssrc, step), "put " + ssrc);
                }
            }
            assertEquals(model.size(), table.size());
        }
    }
}
