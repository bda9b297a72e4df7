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
import org.openjdk.jmh.infra.Blackhole;
import org.videoroom.jmh.Packets;

/**
 * What the receive path reads of each decrypted RTP packet through the {@link RtpPacket} view: the RFC 7983
 * classification, {@link RtpPacket#wrap} (which validates header, CSRCs, extension block and padding), the fixed
 * header fields, the transport-wide sequence number, and for audio the level (RFC 6464) the speech detector
 * reads; for VP8 the payload descriptor. The sequence number changes with each operation so nothing can be
 * folded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpParseJmh {

    @Param({"vp8", "opus"})
    public String codec;

    private final RtpPacket view = new RtpPacket();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private boolean isVp8;
    private byte[] buf;
    private int length;
    private int sequenceNumber;

    @Setup
    public void setUp() {
        isVp8 = codec.equals("vp8");
        length = isVp8 ? Packets.VIDEO_BYTES : Packets.AUDIO_BYTES;
        buf = isVp8 ? Packets.vp8(length, false) : Packets.opus(length);
    }

    @Benchmark
    public void parse(Blackhole bh) {
        int seq = sequenceNumber++;
        buf[2] = (byte) (seq >>> 8);
        buf[3] = (byte) seq;
        if (!PacketClassifier.looksLikeRtp(buf, 0, length)) {
            bh.consume(-1);
            return;
        }
        RtpPacket packet = view;
        if (packet.wrap(buf, 0, length) != RtpPacket.ParseResult.OK) {
            bh.consume(-2);
            return;
        }
        bh.consume(packet.ssrc());
        bh.consume(packet.sequenceNumber());
        bh.consume(packet.timestamp());
        bh.consume(packet.payloadType());
        bh.consume(packet.marker());
        if (isVp8) {
            bh.consume(packet.transportWideCcSequenceNumber(Packets.VIDEO_TRANSPORT_CC_ID));
            bh.consume(vp8.wrap(buf, packet.payloadOffset(), packet.payloadLength()));
            bh.consume(vp8.pictureId());
            bh.consume(vp8.isKeyframe());
        } else {
            bh.consume(packet.transportWideCcSequenceNumber(Packets.AUDIO_TRANSPORT_CC_ID));
            bh.consume(packet.audioLevel(Packets.AUDIO_LEVEL_ID));
            bh.consume(packet.payloadLength());
        }
    }
}
