package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportBlockTest {

    @ParameterizedTest(name = "cumulative lost {1} <-> {0}")
    @CsvSource({
            // 24-bit wire value, signed value
            "000000, 0",
            "000001, 1",
            "7fffff, 8388607",
            "800000, -8388608",
            "ffffff, -1",
            "fffffe, -2",
    })
    void cumulativeLostIsSigned24Bit(String wire, int value) {
        String hex = "00000001" + "00" + wire + "00000000 00000000 00000000 00000000";
        byte[] bytes = Hex.bytes(hex);
        ReportBlock block = ReportBlock.decode(bytes, 0);
        assertEquals(value, block.cumulativeLost());
        byte[] out = new byte[ReportBlock.BYTES];
        block.encode(out, 0);
        assertEquals(Hex.of(bytes), Hex.of(out));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ssrc negative,          -1, 0,   0",
            "fraction above 255,     1,  256, 0",
            "cumulative too large,   1,  0,   8388608",
            "cumulative too small,   1,  0,   -8388609",
    })
    void rejectsOutOfRange(String name, long ssrc, int fraction, int cumulative) {
        assertThrows(RtcpException.class, () -> new ReportBlock(ssrc, fraction, cumulative, 0, 0, 0, 0));
    }
}
