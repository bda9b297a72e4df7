package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1            | 127.0.0.1
            0.0.0.0              | 0.0.0.0
            255.255.255.255      | 255.255.255.255
            ::1                  | ::1
            [::1]                | ::1
            2001:DB8::1          | 2001:db8::1
            ::ffff:192.0.2.1     | 192.0.2.1
            """)
    void parsesLiterals(String text, String expected) throws Exception {
        assertEquals(InetAddress.getByName(expected), IpLiterals.parse(text).orElseThrow());
    }

    /** Anything else is refused without a DNS lookup (the names below do not exist). */
    @ParameterizedTest
    @ValueSource(strings = {
        "localhost",
        "4f1c2a7e-0000-4000-8000-000000000000.local",
        "example.invalid",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01234.1.1.1",
        "1..2.3",
        "fe80::1%eth0",
        "zz::1",
        ":::",
        ""
    })
    void refusesEverythingElse(String text) {
        assertTrue(IpLiterals.parse(text).isEmpty());
    }
}
