package org.videoroom.rtcp;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link RtcpParser#parse} of one decrypted compound packet of the kinds a browser sends an SFU, marshalled by our
 * own encoders:
 * <ul>
 *   <li>{@code rr+sdes}: a receiver report with blocks for the two streams it receives (audio, video) and its
 *       CNAME, sent every second or so;</li>
 *   <li>{@code rr+twcc}: an empty receiver report leading transport-wide feedback on 20 packets (one lost), what
 *       Chromium sends every 50-100 ms while media flows;</li>
 *   <li>{@code rr+nack+pli}: a receiver report, a NACK of three packets and a keyframe request.</li>
 * </ul>
 * The parser turns each packet into an immutable record (the control plane's types), so this stage allocates by
 * design; the figures say how much.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcpParseJmh {

    private static final long BROWSER_SSRC = 0x4a1b_2c3dL;
    private static final long AUDIO_SSRC = 0x0a0a_0a0aL;
    private static final long VIDEO_SSRC = 0x0b0b_0b0bL;

    @Param({"rr+sdes", "rr+twcc", "rr+nack+pli"})
    public String compound;

    private final RtcpParser parser = new RtcpParser();
    private byte[] buf;
    private int length;

    @Setup
    public void setUp() {
        ReceiverReport rr = new ReceiverReport(BROWSER_SSRC, List.of(
                new ReportBlock(AUDIO_SSRC, 0, 0, 0x0001_2345L, 12, 0x1234_5678L, 0x0000_8000L),
                new ReportBlock(VIDEO_SSRC, 3, 17, 0x0002_4680L, 180, 0x1234_5678L, 0x0000_4000L)));
        ReceiverReport empty = new ReceiverReport(BROWSER_SSRC, List.of());
        List<RtcpPacket> packets = switch (compound) {
            case "rr+sdes" -> List.of(rr, SourceDescription.ofCname(BROWSER_SSRC, "4TOk42mSjXCkVIa6"));
            case "rr+twcc" -> {
                long[] arrivals = new long[20];
                for (int i = 0; i < arrivals.length; i++) {
                    arrivals[i] = i == 7 ? TransportWideCc.NOT_RECEIVED : 5_000_000L + i * 2_500L + (i % 3) * 400L;
                }
                yield List.of(empty, TransportWideCc.fromArrivalTimes(BROWSER_SSRC, VIDEO_SSRC, 1_000, 12, arrivals));
            }
            case "rr+nack+pli" -> List.of(rr, TransportLayerNack.of(BROWSER_SSRC, VIDEO_SSRC, 4_001, 4_002, 4_009),
                    new PictureLossIndication(BROWSER_SSRC, VIDEO_SSRC));
            default -> throw new IllegalArgumentException(compound);
        };
        length = RtcpCompound.marshalSize(packets);
        buf = new byte[length];
        RtcpCompound.marshalTo(packets, buf, 0);
        RtcpParser.Result check = parser.parse(buf, 0, length);
        if (!check.isOk() || check.packets().size() != packets.size()) {
            throw new IllegalStateException("setup: " + check);
        }
    }

    @Benchmark
    public RtcpParser.Result parse() {
        return parser.parse(buf, 0, length);
    }
}
