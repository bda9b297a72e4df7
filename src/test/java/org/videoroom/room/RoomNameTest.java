package org.videoroom.room;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "standup", "Team_42", "a-b_c", "0",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) // 64
    void accepts(String name) {
        assertTrue(RoomName.isValid(name));
        assertEquals(name, new RoomName(name).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" standup", "stand up", "room/1", "../etc", "<script>", "räume", "a.b", "a\u0000",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) // 65
    void rejects(String name) {
        assertFalse(RoomName.isValid(name));
        assertThrows(InvalidNameException.class, () -> new RoomName(name));
    }
}
