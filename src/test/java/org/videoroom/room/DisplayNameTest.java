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
        "1234567890123456789012345678901234567890|1234567890123456789012345678901234567890",
        "Ada   Lovelace|Ada Lovelace",                   // runs of spaces collapse
        "Ada\u00A0\u2003Lovelace|Ada Lovelace",           // no-break and em spaces are plain spaces
        "Ze\u0301|Z\u00E9",                               // NFC: e + combining acute is é
        "\u00C5ngstr\u00F6m|\u00C5ngstr\u00F6m",
        "\u2014|\u2014",                                   // a dash is visible
        "\u1100\u1161|\uAC00"                               // Hangul jamo compose
    })
    void acceptsAndTrims(String raw, String expected) {
        assertEquals(expected, DisplayName.of(raw).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n",
        "12345678901234567890123456789012345678901",   // 41
        "Ada\u0000", "Ada\nBob", "Ada\u0007", "\u202EevE", "Ada\u2066x", "Ada\u2028Bob", "Ada\u007F",
        // invisible: zero-width space, joiners, marks, word joiner, BOM, Hangul fillers, Braille blank
        "Bob\u200B", "B\u200Cob", "Bob\u200D", "Bob\u200E", "Bob\u200F", "Bob\u2060", "\uFEFFBob",
        "\u3164", "Bob\u3164", "\uFFA0", "\u115F", "\u2800", "Bob\u034F",
        // render empty or start with a mark
        "\u0301", "\u0301Bob", "\u20DD", "\u00A0", "\u2003\u2003"})
    void rejects(String raw) {
        assertFalse(DisplayName.isValid(raw));
        assertNotNull(DisplayName.problem(raw));
        assertThrows(InvalidNameException.class, () -> DisplayName.of(raw));
    }
}
