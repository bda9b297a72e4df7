package org.videoroom.load.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.videoroom.it.browser.Chromium;
import org.videoroom.load.recording.RecordedTrack.Frame;
import org.videoroom.load.recording.RecordedTrack.Kind;

/**
 * Makes the bundled recording ({@link Recording#bundled()}): headless Chromium encodes its fake camera as three VP8
 * simulcast layers and its fake microphone as Opus with WebCodecs ({@code capture.html}), and this writes the
 * chunks in the recording format. It uses the browser's own encoders, not a Java one, so that what synthetic
 * participants replay is what a browser would send and a browser can decode; and it is a program, so the recording
 * can be made again with one command when the plan changes:
 * <pre>
 * flock /tmp/videoroom-browser.lock mvn -B -q test-compile exec:exec \
 *     -Dexec.executable=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath org.videoroom.load.recording.RecordFakeDevices \
 *         src/load/resources/org/videoroom/load/recording/fake-devices.vrec"
 * </pre>
 * It needs Debian's {@code chromium} and {@code chromium-driver} (as the browser tests do) and nothing but loopback.
 * It prints each track's bitrate, frame and keyframe counts, and writes the file only if every VP8 frame's header
 * agrees with its layer and keyframe flag, every track's bitrate is within {@value #BITRATE_TOLERANCE_PERCENT} %
 * of its target and its frame rate within {@value #FRAME_RATE_TOLERANCE_PERCENT} % of the nominal one (what
 * {@code BundledRecordingTest} checks); otherwise it tries again, up to {@value #ATTEMPTS} times.
 * <p>
 * The page passes the camera's frames through a 2D canvas before the encoders: libvpx spends too little on the
 * fake camera's own I420 frames for the upper layers to come near their targets (README.md). The JVM option
 * {@code -Drecord.straight=true} (in {@code exec.args}, before {@code -cp}) feeds them to the encoders as they come.
 */
public final class RecordFakeDevices {

    /** One simulcast layer: its size and the bitrate its encoder is asked for. */
    record Layer(int width, int height, int bitrate) {
    }

    /** Lowest first: the three sizes Chromium's simulcast makes of a 1280x720 camera. */
    static final List<Layer> LAYERS = List.of(
            new Layer(320, 180, 150_000),
            new Layer(640, 360, 500_000),
            new Layer(1280, 720, 1_500_000));
    static final int FRAME_RATE = 30;
    static final int SECONDS = 6;
    /** A keyframe every 2 s per layer: where a replay starts or switches layer without waiting long. */
    static final int KEYFRAME_INTERVAL_FRAMES = 60;
    /**
     * Camera frames the video encoders get before the recorded ones, output dropped: libvpx's rate control needs
     * about a second to settle, and the first second of a call is not what a looping replay should send.
     */
    static final int WARMUP_FRAMES = FRAME_RATE;
    static final int VIDEO_FRAME_MICROS = 33_333;
    static final int VIDEO_CLOCK_RATE = 90_000;
    static final int AUDIO_BITRATE = 32_000;
    static final int AUDIO_FRAME_MICROS = 20_000;
    static final int AUDIO_CLOCK_RATE = 48_000;
    static final int BITRATE_TOLERANCE_PERCENT = 40;
    /**
     * How far a track's frame rate over the loop may be from its nominal one. The fake camera drops frames when
     * the machine is busy, which stretches the loop and thins the video.
     */
    static final int FRAME_RATE_TOLERANCE_PERCENT = 3;
    /**
     * Captures before giving up. On a shared machine the page or the camera can fall behind (dropped frames and
     * audio), which the next attempt may not share.
     */
    static final int ATTEMPTS = 5;

    private RecordFakeDevices() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RecordFakeDevices <output .vrec file>");
            System.exit(2);
        }
        // Exits in every case: Selenium's HTTP client may leave threads behind that would keep the JVM up.
        try {
            System.exit(record(Path.of(args[0])) ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Captures until an attempt passes the checks, and writes it; false if none did. */
    private static boolean record(Path output) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            System.out.println("attempt " + attempt + " of " + ATTEMPTS);
            List<String> problems = new ArrayList<>();
            Recording recording = capture(problems);
            for (RecordedTrack track : recording.tracks()) {
                System.out.println(summary(track));
                problems.addAll(problems(track));
            }
            if (problems.isEmpty()) {
                RecordingWriter.write(recording, output);
                System.out.println("wrote " + output);
                return true;
            }
            problems.forEach(problem -> System.out.println("problem: " + problem));
        }
        System.err.println(output + " not written: no attempt passed the checks");
        return false;
    }

    /** One capture in a fresh browser; adds to {@code problems} what the page noticed. */
    private static Recording capture(List<String> problems) throws IOException {
        Map<?, ?> result;
        String browserVersion;
        try (CapturePage page = new CapturePage();
             Chromium chromium = Chromium.withArguments("record", List.of())) {
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
            browserVersion = chromium.driver().getCapabilities().getBrowserVersion();
            chromium.open(page.uri());
            result = (Map<?, ?>) chromium.async(
                    "capture(arguments[0]).then(arguments[1], e => arguments[1]({error: String(e && e.stack || e)}))",
                    plan());
        }
        System.out.println("Chromium " + browserVersion);
        if (result.get("log") instanceof List<?> log) {
            log.forEach(line -> System.out.println("  page: " + line));
        }
        if (result.get("error") != null) {
            throw new IllegalStateException("capture failed in the page: " + result.get("error"));
        }
        List<RecordedTrack> tracks = new ArrayList<>();
        for (Object track : (List<?>) result.get("tracks")) {
            Map<?, ?> fields = (Map<?, ?>) track;
            tracks.add(toTrack(fields));
            long gaps = ((Number) fields.get("inputGaps")).longValue();
            if (gaps > 0) {
                problems.add(fields.get("kind") + ": " + gaps + " gaps in the device's timestamps (dropped input)");
            }
        }
        return Recording.of(tracks);
    }

    /** What the page is to capture; it reads these names. */
    private static Map<String, Object> plan() {
        return Map.of(
                "frames", SECONDS * FRAME_RATE,
                "warmupFrames", WARMUP_FRAMES,
                "frameRate", FRAME_RATE,
                "keyframeInterval", KEYFRAME_INTERVAL_FRAMES,
                "throughCanvas", !Boolean.getBoolean("record.straight"),
                "layers", LAYERS.stream().map(l -> Map.of(
                        "width", l.width(), "height", l.height(), "bitrate", l.bitrate())).toList(),
                "audio", Map.of(
                        "bitrate", AUDIO_BITRATE,
                        "frameDurationMicros", AUDIO_FRAME_MICROS,
                        "frames", SECONDS * 1_000_000 / AUDIO_FRAME_MICROS));
    }

    /** A track from the page's {kind, width, height, bitrate, frames: [[timestamp µs, keyframe, base64]]}. */
    private static RecordedTrack toTrack(Map<?, ?> track) {
        boolean audio = "audio".equals(track.get("kind"));
        List<?> chunks = (List<?>) track.get("frames");
        if (chunks.isEmpty()) {
            throw new IllegalStateException(track.get("kind") + " " + track.get("width") + ": no frames encoded");
        }
        long first = ((Number) ((List<?>) chunks.getFirst()).getFirst()).longValue();
        List<Frame> frames = new ArrayList<>(chunks.size());
        for (Object chunk : chunks) {
            List<?> fields = (List<?>) chunk;
            long timestamp = ((Number) fields.get(0)).longValue() - first;
            frames.add(new Frame(Math.toIntExact(timestamp), (Boolean) fields.get(1),
                    Base64.getDecoder().decode((String) fields.get(2))));
        }
        return new RecordedTrack(audio ? Kind.AUDIO : Kind.VIDEO,
                ((Number) track.get("width")).intValue(), ((Number) track.get("height")).intValue(),
                ((Number) track.get("bitrate")).intValue(),
                audio ? AUDIO_CLOCK_RATE : VIDEO_CLOCK_RATE,
                audio ? AUDIO_FRAME_MICROS : VIDEO_FRAME_MICROS, frames);
    }

    private static String summary(RecordedTrack track) {
        String name = track.kind() == Kind.AUDIO ? "Opus" : "VP8 " + track.width() + "x" + track.height();
        return String.format(Locale.ROOT,
                "%-14s target %5d kbit/s, measured %7.1f kbit/s (%+5.1f %%), %4d frames, %3d keyframes, "
                        + "%5.2f frames/s, loop %d ms, %d bytes",
                name, track.targetBitrate() / 1000, track.measuredBitrate() / 1000,
                100.0 * (track.measuredBitrate() / track.targetBitrate() - 1), track.frames().size(),
                track.keyframeCount(), track.measuredFrameRate(),
                track.loopDurationMicros() / 1000, track.totalBytes());
    }

    /** Why the track should not be stored: headers that disagree with it, or a bitrate far from the target. */
    static List<String> problems(RecordedTrack track) {
        List<String> problems = new ArrayList<>();
        String name = track.kind() + " " + track.width() + "x" + track.height();
        double ratio = track.measuredBitrate() / track.targetBitrate();
        if (Math.abs(ratio - 1) * 100 > BITRATE_TOLERANCE_PERCENT) {
            problems.add(String.format(Locale.ROOT, "%s: %.0f bit/s, target %d", name, track.measuredBitrate(),
                    track.targetBitrate()));
        }
        int planned = track.kind() == Kind.AUDIO ? SECONDS * 1_000_000 / AUDIO_FRAME_MICROS : SECONDS * FRAME_RATE;
        if (track.frames().size() != planned) {
            problems.add(name + ": " + track.frames().size() + " frames, not " + planned);
        }
        double frameRate = track.measuredFrameRate();
        double nominal = 1e6 / track.frameDurationMicros();
        if (Math.abs(frameRate / nominal - 1) * 100 > FRAME_RATE_TOLERANCE_PERCENT) {
            problems.add(String.format(Locale.ROOT, "%s: %.2f frames/s, not %.2f", name, frameRate, nominal));
        }
        if (track.kind() != Kind.VIDEO) {
            return problems;
        }
        for (int i = 0; i < track.frames().size(); i++) {
            Frame frame = track.frames().get(i);
            Vp8FrameHeader header;
            try {
                header = Vp8FrameHeader.parse(frame.data());
            } catch (IllegalArgumentException e) {
                problems.add(name + " frame " + i + ": " + e.getMessage());
                continue;
            }
            if (header.keyframe() != frame.keyframe()) {
                problems.add(name + " frame " + i + ": flagged keyframe " + frame.keyframe() + ", VP8 header says "
                        + header.keyframe());
            } else if (header.keyframe() && (header.width() != track.width() || header.height() != track.height())) {
                problems.add(name + " frame " + i + ": a " + header.width() + "x" + header.height() + " keyframe");
            }
        }
        return problems;
    }
}
