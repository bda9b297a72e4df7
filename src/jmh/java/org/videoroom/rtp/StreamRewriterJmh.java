package org.videoroom.rtp;

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
 * One subscriber's stream rewrite of one packet, as {@code media.Subscription} runs it on its drain: wrap the RTP
 * view and (for VP8) the payload descriptor, then {@link StreamRewriter#rewrite} SSRC, sequence number, timestamp
 * and VP8 picture id and TL0PICIDX in place.
 *
 * <p>The rewriter has switched once (from a first simulcast layer to a second, at a keyframe) so that every field
 * is mapped with a non-zero offset, as after any layer change. Each operation feeds the next packet of the second
 * layer: the header is set back to that layer's SSRC and the next sequence number, and every fourth packet starts a
 * new frame (timestamp + 3000 ticks, picture id + 1, as 30 frames/s at 90 kHz).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamRewriterJmh {

    private static final long LOW_LAYER_SSRC = 0x1111_1111L;
    private static final long HIGH_LAYER_SSRC = 0x2222_2222L;
    private static final int PACKETS_PER_FRAME = 4;

    @Param({"vp8", "opus"})
    public String codec;

    private StreamRewriter rewriter;
    private final RtpPacket view = new RtpPacket();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private boolean isVp8;
    private byte[] buf;
    private int length;
    private int packets;
    private int sequenceNumber = 40_000;
    private long timestamp = 3_000_000_000L;
    private int pictureId = 30_000;
    private long nowNanos = 1_000_000_000L;

    @Setup
    public void setUp() {
        isVp8 = codec.equals("vp8");
        rewriter = new StreamRewriter(0x3333_3333L, isVp8 ? 90_000 : 48_000);
        length = isVp8 ? Packets.VIDEO_BYTES : Packets.AUDIO_BYTES;
        // The first layer: a keyframe and a few packets.
        buf = isVp8 ? Packets.vp8(length, true) : Packets.opus(length);
        rewriter.switchTo(LOW_LAYER_SSRC);
        for (int i = 0; i < 10; i++) {
            if (!feed(LOW_LAYER_SSRC, 100 + i, 1_000 + i / PACKETS_PER_FRAME * 3_000L, 5 + i / PACKETS_PER_FRAME)) {
                throw new IllegalStateException("setup: the first layer is not forwarded");
            }
        }
        // The switch, at the second layer's keyframe; from then on its inter frames.
        rewriter.switchTo(HIGH_LAYER_SSRC);
        if (!next()) {
            throw new IllegalStateException("setup: no switch");
        }
        buf = isVp8 ? Packets.vp8(length, false) : Packets.opus(length);
    }

    /** Returns the rewritten sequence number (-1 if the packet was refused, which a correct run never sees). */
    @Benchmark
    public int rewrite() {
        return next() ? view.sequenceNumber() : -1;
    }

    private boolean next() {
        int n = packets++;
        if (n % PACKETS_PER_FRAME == 0) {
            timestamp += 3_000;
            pictureId++;
        }
        nowNanos += 8_000_000;
        return feed(HIGH_LAYER_SSRC, sequenceNumber++ & 0xFFFF, timestamp & 0xFFFF_FFFFL,
                pictureId & Vp8PayloadDescriptor.MAX_PICTURE_ID);
    }

    /** What arrives from the publisher, then the subscriber's rewrite of it. */
    private boolean feed(long ssrc, int seq, long ts, int pid) {
        RtpPacket packet = view;
        packet.wrap(buf, 0, length);
        packet.setSsrc(ssrc);
        packet.setSequenceNumber(seq);
        packet.setTimestamp(ts);
        Vp8PayloadDescriptor descriptor = null;
        if (isVp8) {
            descriptor = vp8;
            descriptor.wrap(buf, packet.payloadOffset(), packet.payloadLength());
            descriptor.setPictureId(pid);
        }
        return rewriter.rewrite(packet, descriptor, nowNanos);
    }
}
