package org.videoroom.load.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Vp8FrameHeaderTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                       frame tag | start code | width | height | more, expected header
            "'keyframe 320x180',           100200 9d012a 4001 b400 ff,  true,  0, true,  16,   320,  180",
            "'keyframe 1280x720',          f02a01 9d012a 0005 d002,     true,  0, true,  2391, 1280, 720",
            "'scale bits are not size',    100200 9d012a 40c1 b480,     true,  0, true,  16,   320,  180",
            "'interframe',                 310100,                      false, 0, true,  9,    0,    0",
            "'hidden interframe, v1',      230100 ffff,                 false, 1, false, 9,    0,    0",
    })
    void parses(String name, String hex, boolean keyframe, int version, boolean showFrame, int firstPartitionSize,
                int width, int height) {
        assertEquals(new Vp8FrameHeader(keyframe, version, showFrame, firstPartitionSize, width, height),
                Vp8FrameHeader.parse(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'two bytes',                  1002",
            "'keyframe without size',      100200 9d012a 4001 b4",
            "'keyframe, wrong start code', 100200 9d012b 4001 b400",
    })
    void rejects(String name, String hex) {
        byte[] frame = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThrows(IllegalArgumentException.class, () -> Vp8FrameHeader.parse(frame));
    }
}
