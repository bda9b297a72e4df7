package org.videoroom.load.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.load.recording.RecordedTrack.Frame;
import org.videoroom.load.recording.RecordedTrack.Kind;

class RecordingTest {

    private static final RecordedTrack AUDIO = new RecordedTrack(Kind.AUDIO, 0, 0, 32_000, 48_000, 20_000, List.of(
            new Frame(0, true, bytes(0x78, 0x01)),
            new Frame(20_000, true, bytes(0x78, 0x02, 0x03)),
            new Frame(40_000, true, bytes(0x78))));
    private static final RecordedTrack LOW = new RecordedTrack(Kind.VIDEO, 320, 180, 150_000, 90_000, 33_333, List.of(
            new Frame(0, true, bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00)),
            new Frame(33_366, false, bytes(0x31, 0x01, 0x00)),
            new Frame(66_700, false, bytes(0x31, 0x01, 0x00, 0x07)),
            new Frame(100_033, true, bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00, 0x05))));
    private static final RecordedTrack HIGH = new RecordedTrack(Kind.VIDEO, 1280, 720, 1_500_000, 90_000, 33_333,
            List.of(new Frame(0, true, bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02))));

    @Test
    void roundTrip() throws IOException {
        Recording written = Recording.of(List.of(AUDIO, LOW, HIGH));

        Recording read = Recording.load(new ByteArrayInputStream(write(written)));

        assertEquals(written.tracks().size(), read.tracks().size());
        for (int t = 0; t < written.tracks().size(); t++) {
            RecordedTrack expected = written.tracks().get(t);
            RecordedTrack actual = read.tracks().get(t);
            assertEquals(List.of(expected.kind(), expected.width(), expected.height(), expected.targetBitrate(),
                            expected.clockRate(), expected.frameDurationMicros(), expected.frames().size()),
                    List.of(actual.kind(), actual.width(), actual.height(), actual.targetBitrate(),
                            actual.clockRate(), actual.frameDurationMicros(), actual.frames().size()), "track " + t);
            for (int f = 0; f < expected.frames().size(); f++) {
                Frame e = expected.frames().get(f);
                Frame a = actual.frames().get(f);
                assertEquals(e.timestampMicros(), a.timestampMicros());
                assertEquals(e.keyframe(), a.keyframe());
                assertArrayEquals(e.data(), a.data());
            }
        }
        assertEquals(AUDIO.frames().size(), read.audio().frames().size());
        assertEquals(List.of(320, 1280), read.videoLayers().stream().map(RecordedTrack::width).toList());
    }

    @Test
    void writesTheDocumentedBytes() throws IOException {
        RecordedTrack audio = new RecordedTrack(Kind.AUDIO, 0, 0, 32_000, 48_000, 20_000,
                List.of(new Frame(0, true, bytes(0xfc)), new Frame(20_000, true, bytes(0xfc, 0xff))));

        byte[] written = write(Recording.of(List.of(audio)));

        assertEquals(""
                        + "5652524543303031" // "VRREC001"
                        + "01"               // one track
                        + "00" + "0000" + "0000" // audio, no width or height
                        + "00007d00"         // target bitrate 32000
                        + "0000bb80"         // clock rate 48000
                        + "00004e20"         // frame duration 20000 µs
                        + "00000002"         // two frames
                        + "00000000" + "01" + "00000001" + "fc"            // at 0 µs, keyframe, 1 byte
                        + "00004e20" + "01" + "00000002" + "fcff",         // at 20000 µs, keyframe, 2 bytes
                HexFormat.of().formatHex(written));
    }

    @Test
    void everyTruncationIsReportedAsSuch() throws IOException {
        byte[] whole = write(Recording.of(List.of(AUDIO, LOW, HIGH)));
        for (int length = 0; length < whole.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, length);
            assertThrows(EOFException.class, () -> Recording.load(new ByteArrayInputStream(prefix)),
                    "cut at " + length + " of " + whole.length);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad magic", new Bytes().ascii("VRREC002").u8(1).audioHeader(1).frame(0, 1, 1)),
                Arguments.of("another format", new Bytes().ascii("RIFFWAVE").u8(1).audioHeader(1).frame(0, 1, 1)),
                Arguments.of("no tracks", new Bytes().ascii("VRREC001").u8(0)),
                Arguments.of("unknown kind", new Bytes().ascii("VRREC001").u8(1)
                        .u8(2).u16(0).u16(0).u32(0).u32(48_000).u32(20_000).u32(1).frame(0, 1, 1)),
                Arguments.of("over 100,000 frames", new Bytes().ascii("VRREC001").u8(1).audioHeader(100_001)),
                Arguments.of("frame count over 2^31", new Bytes().ascii("VRREC001").u8(1).audioHeader(-1)),
                Arguments.of("frame over 1 MiB", new Bytes().ascii("VRREC001").u8(1).audioHeader(1)
                        .u32(0).u8(1).u32((1 << 20) + 1)),
                Arguments.of("empty frame", new Bytes().ascii("VRREC001").u8(1).audioHeader(1).frame(0, 1, 0)),
                Arguments.of("track without frames", new Bytes().ascii("VRREC001").u8(1).audioHeader(0)),
                Arguments.of("first timestamp not 0", new Bytes().ascii("VRREC001").u8(1).audioHeader(1)
                        .frame(20_000, 1, 1)),
                Arguments.of("timestamps not rising", new Bytes().ascii("VRREC001").u8(1).audioHeader(2)
                        .frame(0, 1, 1).frame(0, 1, 1)),
                Arguments.of("audio frame not a keyframe", new Bytes().ascii("VRREC001").u8(1).audioHeader(2)
                        .frame(0, 1, 1).frame(20_000, 0, 1)),
                Arguments.of("audio with a size", new Bytes().ascii("VRREC001").u8(1)
                        .u8(0).u16(320).u16(180).u32(32_000).u32(48_000).u32(20_000).u32(1).frame(0, 1, 1)),
                Arguments.of("video without a size", new Bytes().ascii("VRREC001").u8(1)
                        .videoHeader(0, 0, 1).frame(0, 1, 10)),
                Arguments.of("video first frame not a keyframe", new Bytes().ascii("VRREC001").u8(1)
                        .videoHeader(320, 180, 1).frame(0, 0, 10)),
                Arguments.of("clock rate 0", new Bytes().ascii("VRREC001").u8(1)
                        .u8(0).u16(0).u16(0).u32(32_000).u32(0).u32(20_000).u32(1).frame(0, 1, 1)),
                Arguments.of("audio after video", new Bytes().ascii("VRREC001").u8(2)
                        .videoHeader(320, 180, 1).audioHeader(1).frame(0, 1, 10).frame(0, 1, 1)),
                Arguments.of("layers highest first", new Bytes().ascii("VRREC001").u8(2)
                        .videoHeader(640, 360, 1).videoHeader(320, 180, 1).frame(0, 1, 10).frame(0, 1, 10)),
                Arguments.of("bytes after the end", new Bytes().ascii("VRREC001").u8(1).audioHeader(1)
                        .frame(0, 1, 1).u8(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRecordings(String name, Bytes file) {
        assertThrows(IllegalArgumentException.class, () -> Recording.load(new ByteArrayInputStream(file.toArray())));
    }

    @Test
    void loopDurationEndsOneFrameAfterTheLast() {
        assertEquals(60_000, AUDIO.loopDurationMicros());
        assertEquals(133_366, LOW.loopDurationMicros());
    }

    @Test
    void nextKeyframeWrapsPastTheLastFrame() {
        assertEquals(List.of(0, 3, 3, 3, 0, 0, 3),
                Stream.of(0, 1, 2, 3, 4, -4, -1).map(LOW::nextKeyframeIndex).toList());
        assertEquals(0, HIGH.nextKeyframeIndex(1));
        assertEquals(2, AUDIO.nextKeyframeIndex(2));
    }

    @Test
    void measuresBitrateOverOneLoop() {
        assertEquals(6 * 8 * 1_000_000.0 / 60_000, AUDIO.measuredBitrate(), 1e-9);
        assertEquals(2, LOW.keyframeCount());
    }

    @Test
    void audioIsMissingFromAVideoOnlyRecording() {
        Recording videoOnly = Recording.of(List.of(LOW, HIGH));
        assertThrows(IllegalStateException.class, videoOnly::audio);
        assertEquals(2, videoOnly.videoLayers().size());
    }

    private static byte[] write(Recording recording) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingWriter.write(recording, out);
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** A file spelled out field by field, independently of {@link RecordingWriter}. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes ascii(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Bytes u8(int value) {
            out.write(value);
            return this;
        }

        Bytes u16(int value) {
            return u8(value >>> 8).u8(value);
        }

        Bytes u32(int value) {
            return u16(value >>> 16).u16(value);
        }

        Bytes audioHeader(int frameCount) {
            return u8(0).u16(0).u16(0).u32(32_000).u32(48_000).u32(20_000).u32(frameCount);
        }

        Bytes videoHeader(int width, int height, int frameCount) {
            return u8(1).u16(width).u16(height).u32(150_000).u32(90_000).u32(33_333).u32(frameCount);
        }

        /** A frame of {@code length} bytes of 0x55. */
        Bytes frame(int timestampMicros, int flags, int length) {
            u32(timestampMicros).u8(flags).u32(length);
            for (int i = 0; i < length; i++) {
                u8(0x55);
            }
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return out.size() + " bytes";
        }
    }
}
