package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NtpTimeTest {

    @ParameterizedTest(name = "unix {0} ns <-> ntp {1}")
    @CsvSource({
            // Unix nanoseconds,       NTP timestamp (hex seconds.fraction)
            "0,                        83aa7e8000000000", // 1970-01-01: 2208988800 s after 1900
            "1500000000,               83aa7e8180000000", // + 1.5 s: fraction 0.5 = 0x80000000
            "1700000000000000000,      e8fe6f8000000000", // 2023-11-14T22:13:20Z
            "2085978496000000000,      0000000000000000", // 2036-02-07T06:28:16Z: era 1 begins
            "2085978497250000000,      0000000140000000", // 1.25 s into era 1
            "-2208988800000000000,     0000000000000000", // 1900-01-01 (era 0) reads back as era 1
    })
    void convertsUnixAndNtp(long unixNanos, String ntpHex) {
        long ntp = Long.parseUnsignedLong(ntpHex, 16);
        assertEquals(ntp, NtpTime.fromUnixNanos(unixNanos));
        if (unixNanos >= 0) {
            assertEquals(unixNanos, NtpTime.toUnixNanos(ntp));
        } else {
            assertEquals(2085978496000000000L, NtpTime.toUnixNanos(ntp));
        }
    }

    @ParameterizedTest(name = "compact({0}) = {1}")
    @CsvSource({
            "83aa7e8180000000, 7e818000",
            "ffffffffffffffff, ffffffff",
            "0000000000010000, 00000001",
    })
    void compactTakesTheMiddle32Bits(String ntpHex, String compactHex) {
        assertEquals(Long.parseLong(compactHex, 16), NtpTime.compact(Long.parseUnsignedLong(ntpHex, 16)));
    }

    @ParameterizedTest(name = "{0} ns <-> {1}/65536 s")
    @CsvSource({
            "0,             0",
            "1000000000,    65536",
            "1500000000,    98304",
            "15258,         0",      // below one unit rounds down
            "15259,         1",
            "65535000000000, 4294901760", // 65535 s, the largest whole second that fits
    })
    void compactDurations(long nanos, long compact) {
        assertEquals(compact, NtpTime.nanosToCompact(nanos));
        long back = NtpTime.compactToNanos(compact);
        assertEquals(true, nanos - back >= 0 && nanos - back < 15259, "round trip within one unit: " + back);
    }
}
