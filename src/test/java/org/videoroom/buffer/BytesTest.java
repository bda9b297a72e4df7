package org.videoroom.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BytesTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // hex,                 uint8, uint16, uint24,   uint32,     int64
            "0102030405060708,      1,     258,    66051,    16909060,   72623859790382856",
            "ffffffffffffffff,      255,   65535,  16777215, 4294967295, -1",
            "8000000000000000,      128,   32768,  8388608,  2147483648, -9223372036854775808",
    })
    void readsAreUnsignedBigEndian(String hex, int u8, int u16, int u24, long u32, long i64) {
        byte[] b = HEX.parseHex(hex);
        assertEquals(u8, Bytes.uint8(b, 0));
        assertEquals(u16, Bytes.uint16(b, 0));
        assertEquals(u24, Bytes.uint24(b, 0));
        assertEquals(u32, Bytes.uint32(b, 0));
        assertEquals(i64, Bytes.int64(b, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0102030405060708",
            "ffffffffffffffff",
            "8000000000000001",
    })
    void writesRoundTrip(String hex) {
        byte[] in = HEX.parseHex(hex);
        byte[] out = new byte[8];
        Bytes.putInt64(out, 0, Bytes.int64(in, 0));
        assertArrayEquals(in, out);
        out = new byte[8];
        Bytes.putUint32(out, 0, Bytes.uint32(in, 0));
        Bytes.putUint24(out, 4, Bytes.uint24(in, 4));
        Bytes.putUint8(out, 7, Bytes.uint8(in, 7));
        assertArrayEquals(in, out);
        out = new byte[8];
        Bytes.putUint16(out, 6, Bytes.uint16(in, 6));
        assertEquals(Bytes.uint16(in, 6), Bytes.uint16(out, 6));
    }

    @ParameterizedTest(name = "inBounds(len {0}, off {1}, n {2}) = {3}")
    @CsvSource({
            "10, 0,  10, true",
            "10, 10, 0,  true",
            "10, 5,  6,  false",
            "10, -1, 1,  false",
            "10, 0,  -1, false",
            "10, 2147483647, 2147483647, false", // must not overflow into a false positive
    })
    void inBoundsChecksRanges(int arrayLength, int off, int len, boolean expected) {
        assertEquals(expected, Bytes.inBounds(new byte[arrayLength], off, len));
    }
}
