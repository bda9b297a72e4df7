package org.videoroom.media;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.sdp.Codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodecMatchTest {

    @ParameterizedTest(name = "[{index}] {0} {1} ~ {2} {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
        // published rtpmap | published fmtp | received rtpmap | received fmtp | compatible
        "96 VP8/90000    | ''                                                         | 120 VP8/90000 | ''  | true",
        "111 opus/48000/2 | minptime=10;useinbandfec=1                                | 109 opus/48000/2 | maxplaybackrate=48000 | true",
        "111 opus/48000/2 | ''                                                        | 0 PCMU/8000   | ''  | false",
        "96 VP8/90000    | ''                                                         | 98 VP9/90000  | ''  | false",
        // H264: same profile (42e0 = constrained baseline), other level: compatible.
        "108 H264/90000  | level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f | 126 H264/90000 | profile-level-id=42e034;packetization-mode=1 | true",
        // Main profile (4d00) is not constrained baseline.
        "116 H264/90000  | packetization-mode=1;profile-level-id=4d001f | 126 H264/90000 | profile-level-id=42e01f;packetization-mode=1 | false",
        // Packetization mode 0 (the default) is not mode 1.
        "108 H264/90000  | profile-level-id=42e01f                     | 126 H264/90000 | profile-level-id=42e01f;packetization-mode=1 | false",
        "98 VP9/90000    | profile-id=0                                | 121 VP9/90000 | ''  | true",
        "100 VP9/90000   | profile-id=2                                | 121 VP9/90000 | profile-id=0 | false",
    })
    void decidesWhetherTheSubscriberCanDecodeThePublisherFormat(String published, String publishedFmtp,
                                                               String received, String receivedFmtp,
                                                               boolean compatible) {
        assertEquals(compatible, CodecMatch.compatible(codec(published, publishedFmtp), codec(received, receivedFmtp)));
    }

    /** "96 VP8/90000" or "111 opus/48000/2", as in a=rtpmap. */
    private static Codec codec(String rtpmap, String fmtp) {
        String[] ptAndEncoding = rtpmap.split(" ");
        String[] encoding = ptAndEncoding[1].split("/");
        OptionalInt channels = encoding.length > 2 ? OptionalInt.of(Integer.parseInt(encoding[2])) : OptionalInt.empty();
        return new Codec(Integer.parseInt(ptAndEncoding[0]), encoding[0], Integer.parseInt(encoding[1]), channels,
                fmtp, List.of());
    }
}
