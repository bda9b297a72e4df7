package org.videoroom.load.recording;

import java.util.List;
import java.util.Objects;

/**
 * One recorded track: Opus audio or one VP8 simulcast layer, and its encoded frames in capture order. A replaying
 * participant sends the frames in a loop ({@link #loopDurationMicros()}), starting a layer or answering a keyframe
 * request at the next keyframe ({@link #nextKeyframeIndex(int)}). The compact constructor holds every rule the
 * format promises, so a track that exists can be replayed: at least one frame, timestamps from 0 and rising, a video
 * track starting with a keyframe. Immutable, apart from the frames' byte arrays, which are shared, never copied:
 * callers must not change them.
 *
 * @param kind                what the frames are
 * @param width               video width in pixels, 0 for audio
 * @param height              video height in pixels, 0 for audio
 * @param targetBitrate       the bitrate the encoder was asked for, bit/s
 * @param clockRate           the RTP clock rate for this track's timestamps: 48000 for Opus, 90000 for VP8
 * @param frameDurationMicros nominal time one frame lasts: 20000 for 20 ms Opus frames, 33333 for 30 fps video
 * @param frames              the encoded frames, in order
 */
public record RecordedTrack(Kind kind, int width, int height, int targetBitrate, int clockRate,
                            int frameDurationMicros, List<Frame> frames) {

    /** VP8 stores width and height in 14 bits (RFC 6386 §9.1). */
    public static final int MAX_DIMENSION = 0x3fff;

    /** The kind byte of the format; the codec follows from it. */
    public enum Kind {
        /** Opus, every frame independently decodable. */
        AUDIO(0),
        /** VP8, one simulcast layer. */
        VIDEO(1);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** The value of the kind byte in the file. */
        public int code() {
            return code;
        }

        /** The kind a file's kind byte names. */
        public static Kind ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown track kind " + code);
        }
    }

    /**
     * One encoded frame: an Opus packet, or a VP8 frame as the encoder gave it (what an RTP packetizer splits).
     *
     * @param timestampMicros capture time from the track's first frame, microseconds
     * @param keyframe        decodable without earlier frames (always true for Opus)
     * @param data            the encoded bytes; shared, not copied
     */
    public record Frame(int timestampMicros, boolean keyframe, byte[] data) {
        public Frame {
            Objects.requireNonNull(data, "data");
            if (timestampMicros < 0) {
                throw new IllegalArgumentException("negative timestamp " + timestampMicros);
            }
            if (data.length == 0 || data.length > Recording.MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("frame of " + data.length + " bytes (1 to "
                        + Recording.MAX_FRAME_BYTES + " allowed)");
            }
        }
    }

    public RecordedTrack {
        Objects.requireNonNull(kind, "kind");
        frames = List.copyOf(frames);
        if (kind == Kind.AUDIO ? width != 0 || height != 0
                : width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException(kind + " track of " + width + "x" + height);
        }
        if (targetBitrate < 0 || clockRate <= 0 || frameDurationMicros <= 0) {
            throw new IllegalArgumentException("target bitrate " + targetBitrate + ", clock rate " + clockRate
                    + ", frame duration " + frameDurationMicros + " µs");
        }
        if (frames.isEmpty() || frames.size() > Recording.MAX_FRAMES) {
            throw new IllegalArgumentException(frames.size() + " frames (1 to " + Recording.MAX_FRAMES
                    + " allowed)");
        }
        if (frames.getFirst().timestampMicros() != 0) {
            throw new IllegalArgumentException("first frame at " + frames.getFirst().timestampMicros()
                    + " µs, not 0");
        }
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).timestampMicros() <= frames.get(i - 1).timestampMicros()) {
                throw new IllegalArgumentException("frame " + i + " at " + frames.get(i).timestampMicros()
                        + " µs, not after the one before");
            }
        }
        if (!frames.getFirst().keyframe()) {
            throw new IllegalArgumentException("first frame is no keyframe: a replay could not start");
        }
        if (kind == Kind.AUDIO && !frames.stream().allMatch(Frame::keyframe)) {
            throw new IllegalArgumentException("an Opus frame not flagged keyframe: each one decodes alone");
        }
    }

    /** The time one pass of the frames lasts: the next pass's first frame follows at this offset. */
    public long loopDurationMicros() {
        return (long) frames.getLast().timestampMicros() + frameDurationMicros;
    }

    /**
     * The index of the first keyframe at or after {@code fromIndex}, wrapping past the last frame to the first:
     * where a replay starts or resumes after a keyframe request. There always is one, as the first frame is one.
     *
     * @param fromIndex a frame index, taken modulo the frame count (so the index after the last frame works)
     */
    public int nextKeyframeIndex(int fromIndex) {
        int size = frames.size();
        int start = Math.floorMod(fromIndex, size);
        for (int step = 0; step < size; step++) {
            int index = (start + step) % size;
            if (frames.get(index).keyframe()) {
                return index;
            }
        }
        throw new AssertionError("the first frame is a keyframe");
    }

    /** The encoded bytes of all frames. */
    public long totalBytes() {
        long bytes = 0;
        for (Frame frame : frames) {
            bytes += frame.data().length;
        }
        return bytes;
    }

    /** The bitrate a looping replay sends, bit/s: all bytes over one loop. */
    public double measuredBitrate() {
        return totalBytes() * 8.0 * 1_000_000.0 / loopDurationMicros();
    }

    /** Frames per second over one loop (30 for the fake camera, 50 for 20 ms Opus frames). */
    public double measuredFrameRate() {
        return frames.size() * 1_000_000.0 / loopDurationMicros();
    }

    /** How many frames are keyframes. */
    public int keyframeCount() {
        return (int) frames.stream().filter(Frame::keyframe).count();
    }
}
