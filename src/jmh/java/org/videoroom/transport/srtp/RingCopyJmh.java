package org.videoroom.transport.srtp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.videoroom.jmh.Packets;

/**
 * The part of {@link SrtpJmh#unprotect} that is not SRTP: copying the next packet out of a ring of
 * {@link SrtpJmh#RING_PACKETS} packets of the same size, to subtract from its figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingCopyJmh {

    @Param({"video1200", "audio100"})
    public String packet;

    private byte[][] ring;
    private byte[] work;
    private int length;
    private int next;

    @Setup
    public void setUp() {
        boolean video = packet.startsWith("video");
        // The protected packet's length: the plain one plus the longer (GCM) tag.
        length = (video ? Packets.VIDEO_BYTES : Packets.AUDIO_BYTES) + SrtpProfile.SRTP_AEAD_AES_128_GCM.rtpAuthTagLength();
        work = video ? Packets.vp8(Packets.VIDEO_BYTES, false) : Packets.opus(Packets.AUDIO_BYTES);
        ring = new byte[SrtpJmh.RING_PACKETS][];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = work.clone();
        }
    }

    @Benchmark
    public byte[] copy() {
        int i = next;
        System.arraycopy(ring[i], 0, work, 0, length);
        next = i + 1 == ring.length ? 0 : i + 1;
        return work;
    }
}
