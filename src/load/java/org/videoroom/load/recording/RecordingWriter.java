package org.videoroom.load.recording;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a {@link Recording} in the format {@link Recording} reads. A {@link Recording} only exists once its tracks
 * passed every rule of the format, so whatever this writes reads back. Kept beside the reader, and tested with it,
 * so the two cannot drift apart.
 */
public final class RecordingWriter {

    private RecordingWriter() {
    }

    /** Writes the recording to the stream, flushes it, and leaves it open. */
    public static void write(Recording recording, OutputStream output) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(output));
        out.write(Recording.MAGIC);
        out.writeByte(recording.tracks().size());
        for (RecordedTrack track : recording.tracks()) {
            out.writeByte(track.kind().code());
            out.writeShort(track.width());
            out.writeShort(track.height());
            out.writeInt(track.targetBitrate());
            out.writeInt(track.clockRate());
            out.writeInt(track.frameDurationMicros());
            out.writeInt(track.frames().size());
        }
        for (RecordedTrack track : recording.tracks()) {
            for (RecordedTrack.Frame frame : track.frames()) {
                out.writeInt(frame.timestampMicros());
                out.writeByte(frame.keyframe() ? Recording.FLAG_KEYFRAME : 0);
                out.writeInt(frame.data().length);
                out.write(frame.data());
            }
        }
        out.flush();
    }

    /** Writes the recording to a file, through a temporary file beside it, so a failed write leaves no half file. */
    public static void write(Recording recording, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                write(recording, out);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
