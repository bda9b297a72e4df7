package org.videoroom.room;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DisplayNameTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "Ada|Ada",
        "  Ada Lovelace  |Ada Lovelace",
        "<b>Bob</b> & 'Eve'|<b>Bob</b> & 'Eve'",        // markup is text: rendering escapes it
        "Zoë 🙂|Zoë 🙂",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀|"
                + "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", // 40 code points
        "1234567890123456789012345678901234567890|1234567890123456789012345678901234567890"
    })
    void acceptsAndTrims(String raw, String expected) {
        assertEquals(expected, DisplayName.of(raw).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n",
        "12345678901234567890123456789012345678901",   // 41
        "Ada\u0000", "Ada\nBob", "Ada\u0007", "\u202EevE", "Ada\u2066x", "Ada\u2028Bob", "Ada\u007F"})
    void rejects(String raw) {
        assertFalse(DisplayName.isValid(raw));
        assertNotNull(DisplayName.problem(raw));
        assertThrows(InvalidNameException.class, () -> DisplayName.of(raw));
    }
}
