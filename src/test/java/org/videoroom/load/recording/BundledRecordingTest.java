package org.videoroom.load.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.videoroom.load.recording.RecordedTrack.Frame;
import org.videoroom.load.recording.RecordedTrack.Kind;

/**
 * The recording stored with the load tool is what RecordFakeDevices promises: Opus and three VP8 layers whose
 * bytes say what their headers say, at about the planned rates. It runs on the stored file, so a re-recording
 * that came out wrong fails here before any synthetic participant sends it.
 */
class BundledRecordingTest {

    /** RFC 6716 §3.1: the TOC configurations whose frames last 20 ms (SILK, Hybrid and CELT, every bandwidth). */
    private static final Set<Integer> OPUS_20_MS_CONFIGS = Set.of(1, 5, 9, 13, 15, 19, 23, 27, 31);

    private static Recording recording;

    @BeforeAll
    static void load() {
        recording = Recording.bundled();
    }

    @Test
    void holdsOpusAndThreeVp8LayersLowestFirst() {
        assertEquals(List.of(Kind.AUDIO, Kind.VIDEO, Kind.VIDEO, Kind.VIDEO),
                recording.tracks().stream().map(RecordedTrack::kind).toList());
        RecordedTrack audio = recording.audio();
        assertEquals(List.of(0, 0, 32_000, 48_000, 20_000), List.of(audio.width(), audio.height(),
                audio.targetBitrate(), audio.clockRate(), audio.frameDurationMicros()));
        assertEquals(List.of("320x180 150000", "640x360 500000", "1280x720 1500000"),
                recording.videoLayers().stream()
                        .map(t -> t.width() + "x" + t.height() + " " + t.targetBitrate()).toList());
        for (RecordedTrack layer : recording.videoLayers()) {
            assertEquals(90_000, layer.clockRate());
            assertEquals(33_333, layer.frameDurationMicros());
        }
    }

    @Test
    void everyVp8FrameHeaderAgreesWithItsLayer() {
        for (RecordedTrack layer : recording.videoLayers()) {
            String name = layer.width() + "x" + layer.height();
            assertTrue(layer.frames().getFirst().keyframe(), name);
            for (int i = 0; i < layer.frames().size(); i++) {
                Frame frame = layer.frames().get(i);
                Vp8FrameHeader header = Vp8FrameHeader.parse(frame.data());
                assertEquals(frame.keyframe(), header.keyframe(), name + " frame " + i);
                if (header.keyframe()) {
                    assertEquals(List.of(layer.width(), layer.height()), List.of(header.width(), header.height()),
                            name + " keyframe " + i);
                }
            }
        }
    }

    @Test
    void keyframesEveryTwoSecondsAtTheSameFramesInEveryLayer() {
        for (RecordedTrack layer : recording.videoLayers()) {
            List<Integer> keyframes = IntStream.range(0, layer.frames().size())
                    .filter(i -> layer.frames().get(i).keyframe()).boxed().toList();
            assertEquals(IntStream.iterate(0, i -> i < layer.frames().size(), i -> i + 60).boxed().toList(),
                    keyframes, layer.width() + "x" + layer.height());
        }
        // The layers encode the same camera frames, so a replay can switch between them at any frame.
        List<List<Integer>> timestamps = recording.videoLayers().stream()
                .map(t -> t.frames().stream().map(Frame::timestampMicros).toList()).toList();
        assertEquals(1, Set.copyOf(timestamps).size());
    }

    @Test
    void opusFramesAreMono20MsAtFiftyPerSecond() {
        RecordedTrack audio = recording.audio();
        assertEquals(50.0, audio.measuredFrameRate(), 0.5);
        for (Frame frame : audio.frames()) {
            int toc = frame.data()[0] & 0xff;
            assertTrue(OPUS_20_MS_CONFIGS.contains(toc >>> 3), "TOC config " + (toc >>> 3));
            assertFalse((toc & 0x04) != 0, "stereo");
            assertEquals(0, toc & 0x03, "one frame per packet");
            assertTrue(frame.keyframe());
        }
    }

    @Test
    void videoRunsAtThirtyFramesPerSecond() {
        for (RecordedTrack layer : recording.videoLayers()) {
            assertEquals(30.0, layer.measuredFrameRate(), 0.9, layer.width() + "x" + layer.height());
        }
    }

    @Test
    void bitratesAreNearTheirTargets() {
        for (RecordedTrack track : recording.tracks()) {
            assertEquals(track.targetBitrate(), track.measuredBitrate(), 0.4 * track.targetBitrate(),
                    track.kind() + " " + track.width() + "x" + track.height());
        }
    }

    @Test
    void loopsLastAboutSixSeconds() {
        for (RecordedTrack track : recording.tracks()) {
            assertEquals(6_000_000, track.loopDurationMicros(), 180_000, track.kind() + " " + track.width());
        }
    }
}
