package org.videoroom.media;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.BweConfig;
import org.videoroom.jmh.Packets;
import org.videoroom.rtp.RtpPacket;

/**
 * Transport-wide congestion control on the packet path, both ends:
 * <ul>
 *   <li>{@link #record}: a publisher's packet arrives ({@link TransportCcRecorder#onArrival}, as the receive
 *       pipeline calls it); its transport-wide sequence number and arrival time go into
 *       {@link TransportCcFeedback}, and when feedback is due the real {@link RtcpReporter} writes it (a receiver
 *       report and the feedback packet) into a pooled buffer for the transport. Arrivals are 1 ms apart, so
 *       feedback goes out every 50 packets, and its cost is spread over them;</li>
 *   <li>{@link #stamp}: a packet towards a subscriber gets our transport-wide sequence number
 *       ({@link TransportCcStamp#stamp}) and is recorded in the subscriber's bandwidth estimator
 *       ({@link DownlinkController#onPacketSent}).</li>
 * </ul>
 * The transport at the end is a counter; the clocks are synthetic so runs repeat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportCcJmh {

    /** Where the VP8 packet's transport-wide sequence number lies: after the fixed header, the extension
     *  header and abs-send-time's four bytes comes its element header, then the 16-bit value. */
    private static final int TRANSPORT_CC_VALUE_OFFSET = 12 + 4 + 4 + 1;
    private static final PublishedTrack[] NO_TRACKS = new PublishedTrack[0];

    private final BufferPool pool = new BufferPool();
    private final ForwardingCounters counters = new ForwardingCounters();
    private final RtpPacket arriving = new RtpPacket();
    private TransportCcRecorder recorder;
    private TransportCcStamp stamp;
    private byte[] received;
    private byte[] outgoing;
    private int length;
    private int transportSequenceNumber;
    private long arrivalNanos = 1_000_000_000L;
    private long sendClockNanos = 1_000_000_000L;
    private long wireBytes;

    @Setup
    public void setUp() {
        length = Packets.VIDEO_BYTES;
        received = Packets.vp8(length, false);
        outgoing = Packets.vp8(length, false);
        if (arriving.wrap(received, 0, length) != RtpPacket.ParseResult.OK
                || arriving.transportWideCcSequenceNumber(Packets.VIDEO_TRANSPORT_CC_ID) != 42) {
            throw new IllegalStateException("setup: the packet's layout changed");
        }
        TransportCcFeedback feedback = new TransportCcFeedback(0x5151_5151L);
        RtcpReporter reporter = new RtcpReporter(0x5151_5151L, feedback, pool, counters,
                (buf, off, len) -> wireBytes += len);
        recorder = new TransportCcRecorder(feedback, now -> reporter.transportCcFeedback(NO_TRACKS, now));
        recorder.extensionId(Packets.VIDEO_TRANSPORT_CC_ID);

        DownlinkController downlink = new DownlinkController(() -> new Subscription[0], BweConfig.defaults(),
                counters, () -> sendClockNanos);
        stamp = new TransportCcStamp(downlink, () -> sendClockNanos += 500_000, 1);
        stamp.extensionId(Packets.VIDEO_TRANSPORT_CC_ID);
    }

    /** Returns the bytes of feedback sent so far (grows every 50 packets). */
    @Benchmark
    public long record() {
        int seq = transportSequenceNumber++;
        received[TRANSPORT_CC_VALUE_OFFSET] = (byte) (seq >>> 8);
        received[TRANSPORT_CC_VALUE_OFFSET + 1] = (byte) seq;
        arrivalNanos += 1_000_000;
        recorder.onArrival(arriving, arrivalNanos);
        return wireBytes;
    }

    /** Returns the sequence number written into the packet. */
    @Benchmark
    public int stamp() {
        stamp.stamp(outgoing, length);
        return (outgoing[TRANSPORT_CC_VALUE_OFFSET] & 0xFF) << 8 | outgoing[TRANSPORT_CC_VALUE_OFFSET + 1] & 0xFF;
    }
}
