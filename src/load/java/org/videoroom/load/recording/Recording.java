package org.videoroom.load.recording;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * A recording of encoded media for synthetic participants to replay: one Opus track and the VP8 simulcast layers,
 * lowest first. Read from a file of this format (all integers big-endian, unsigned):
 * <pre>
 *   8 bytes  magic "VRREC001"
 *   u8       track count
 *   per track:  u8 kind (0 = Opus audio, 1 = VP8 video), u16 width, u16 height (0 for audio),
 *               u32 target bitrate (bit/s), u32 RTP clock rate, u32 frame duration (µs), u32 frame count
 *   then for each track in the same order, its frames:
 *               u32 timestamp (µs from the track's first frame), u8 flags (bit 0 = keyframe), u32 length, bytes
 * </pre>
 * Headers first, so that a reader knows every size before it allocates; the limits below stop a damaged or
 * foreign file from asking for absurd amounts of memory. {@link RecordingWriter} writes the format.
 * Immutable (see {@link RecordedTrack} on the frames' bytes) and safe to share between threads.
 */
public final class Recording {

    /** The first eight bytes of the file; the digits are the format's version. */
    static final byte[] MAGIC = "VRREC001".getBytes(StandardCharsets.US_ASCII);
    /** The largest frame a recording may hold (a 1080p VP8 keyframe is well below). */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** The most frames one track may hold (over 30 minutes of 20 ms audio). */
    public static final int MAX_FRAMES = 100_000;
    /** Where {@link #bundled()} reads from, on the classpath. */
    public static final String BUNDLED_RESOURCE = "/org/videoroom/load/recording/fake-devices.vrec";

    static final int FLAG_KEYFRAME = 0x01;

    private final List<RecordedTrack> tracks;

    private Recording(List<RecordedTrack> tracks) {
        this.tracks = tracks;
    }

    /**
     * A recording of these tracks: audio first (at most one track), then the video layers in ascending size, the
     * order the file keeps.
     */
    public static Recording of(List<RecordedTrack> tracks) {
        List<RecordedTrack> copy = List.copyOf(tracks);
        if (copy.isEmpty() || copy.size() > 0xff) {
            throw new IllegalArgumentException(copy.size() + " tracks (1 to 255 allowed)");
        }
        for (int i = 0; i < copy.size(); i++) {
            RecordedTrack track = copy.get(i);
            if (track.kind() == RecordedTrack.Kind.AUDIO && i > 0) {
                throw new IllegalArgumentException("audio track " + i + ": audio is the first track, and the only one");
            }
            if (track.kind() == RecordedTrack.Kind.VIDEO && i > 0 && copy.get(i - 1).kind() == RecordedTrack.Kind.VIDEO
                    && pixels(track) <= pixels(copy.get(i - 1))) {
                throw new IllegalArgumentException("video track " + i + " (" + track.width() + "x" + track.height()
                        + ") not larger than the layer before it");
            }
        }
        return new Recording(copy);
    }

    /** The recording of Chromium's fake camera and microphone stored with the load tool. Reads it anew each call. */
    public static Recording bundled() {
        try (InputStream in = Recording.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_RESOURCE + " is not on the classpath");
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + BUNDLED_RESOURCE, e);
        }
    }

    /**
     * Reads a recording to its end, and leaves the stream open.
     *
     * @throws IllegalArgumentException if it is not a recording (magic), breaks a rule of the format, or declares
     *                                  sizes over the limits, or has bytes after its last frame
     * @throws EOFException             if it ends early
     */
    public static Recording load(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(input));
        byte[] magic = new byte[MAGIC.length];
        readFully(in, magic, "the magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a recording: it starts with " + HexFormat.of().formatHex(magic)
                    + ", not \"VRREC001\"");
        }
        int trackCount = readU8(in, "the track count");
        record Header(RecordedTrack.Kind kind, int width, int height, int bitrate, int clockRate, int duration,
                      int frameCount) {
        }
        List<Header> headers = new ArrayList<>();
        for (int t = 0; t < trackCount; t++) {
            String where = "track " + t + " header";
            RecordedTrack.Kind kind = RecordedTrack.Kind.ofCode(readU8(in, where));
            int width = readU16(in, where + ", width");
            int height = readU16(in, where + ", height");
            int bitrate = readU32(in, Integer.MAX_VALUE, where + ", target bitrate");
            int clockRate = readU32(in, Integer.MAX_VALUE, where + ", clock rate");
            int duration = readU32(in, Integer.MAX_VALUE, where + ", frame duration");
            int frameCount = readU32(in, MAX_FRAMES, where + ", frame count");
            headers.add(new Header(kind, width, height, bitrate, clockRate, duration, frameCount));
        }
        List<RecordedTrack> tracks = new ArrayList<>();
        for (int t = 0; t < trackCount; t++) {
            Header header = headers.get(t);
            List<RecordedTrack.Frame> frames = new ArrayList<>(header.frameCount());
            for (int f = 0; f < header.frameCount(); f++) {
                String where = "track " + t + " frame " + f;
                int timestamp = readU32(in, Integer.MAX_VALUE, where + ", timestamp");
                int flags = readU8(in, where + ", flags");
                int length = readU32(in, MAX_FRAME_BYTES, where + ", length");
                byte[] data = new byte[length];
                readFully(in, data, where + ", data");
                try {
                    frames.add(new RecordedTrack.Frame(timestamp, (flags & FLAG_KEYFRAME) != 0, data));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            try {
                tracks.add(new RecordedTrack(header.kind(), header.width(), header.height(), header.bitrate(),
                        header.clockRate(), header.duration(), frames));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("track " + t + ": " + e.getMessage(), e);
            }
        }
        if (in.read() != -1) {
            throw new IllegalArgumentException("bytes after the last frame of the last track");
        }
        return of(tracks);
    }

    /** Every track, in the file's order: audio, then the video layers lowest first. */
    public List<RecordedTrack> tracks() {
        return tracks;
    }

    /** The Opus track. */
    public RecordedTrack audio() {
        RecordedTrack first = tracks.getFirst();
        if (first.kind() != RecordedTrack.Kind.AUDIO) {
            throw new IllegalStateException("this recording has no audio track");
        }
        return first;
    }

    /** The VP8 simulcast layers, lowest first; empty if the recording has only audio. */
    public List<RecordedTrack> videoLayers() {
        return tracks.stream().filter(t -> t.kind() == RecordedTrack.Kind.VIDEO).toList();
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "Recording[", "]");
        for (RecordedTrack track : tracks) {
            String size = track.kind() == RecordedTrack.Kind.VIDEO ? " " + track.width() + "x" + track.height() : "";
            text.add(track.kind() + size + " " + track.frames().size() + " frames");
        }
        return text.toString();
    }

    private static long pixels(RecordedTrack track) {
        return (long) track.width() * track.height();
    }

    private static int readU8(DataInputStream in, String what) throws IOException {
        int value = in.read();
        if (value < 0) {
            throw truncated(what);
        }
        return value;
    }

    private static int readU16(DataInputStream in, String what) throws IOException {
        try {
            return in.readUnsignedShort();
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    /** An unsigned 32-bit value no larger than {@code max} (so it fits an int). */
    private static int readU32(DataInputStream in, int max, String what) throws IOException {
        long value;
        try {
            value = in.readInt() & 0xffff_ffffL;
        } catch (EOFException e) {
            throw truncated(what);
        }
        if (value > max) {
            throw new IllegalArgumentException(what + " " + value + " is over the limit of " + max);
        }
        return (int) value;
    }

    private static void readFully(DataInputStream in, byte[] into, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw truncated(what);
        }
    }

    private static EOFException truncated(String what) {
        return new EOFException("recording truncated: it ends in " + what);
    }
}
