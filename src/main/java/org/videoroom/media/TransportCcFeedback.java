package org.videoroom.media;

import java.util.Arrays;
import org.videoroom.buffer.Bytes;
import org.videoroom.rtcp.RtcpHeader;
import org.videoroom.rtp.SequenceNumberUnwrapper;

/**
 * The receive side of transport-wide congestion control for one publisher's transport
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the arrival time of every RTP packet by its
 * transport-wide sequence number and writes the RTPFB FMT=15 feedback that the publisher's send-side estimator
 * (libwebrtc's goog_cc in a browser) needs to raise its rate. Without it a browser stays at its start bitrate.
 *
 * <p>Feedback goes out at a steady cadence ({@link #FEEDBACK_INTERVAL_NANOS}) and sooner after a gap in the
 * sequence numbers (a loss or a reordering the sender should hear about promptly), never more often than
 * {@link #MIN_FEEDBACK_INTERVAL_NANOS}. One feedback packet reports at most {@link #MAX_PACKETS_PER_FEEDBACK}
 * sequence numbers; the rest follows in the next one, sent at once. A jump ahead beyond {@link #MAX_SPAN} (a
 * sender restart, or garbage) starts a fresh window instead of reporting thousands of losses.
 *
 * <p>The encoder uses run-length chunks for runs of at least {@link #RUN_CHUNK_MIN} equal symbols and status
 * vector chunks otherwise (one-bit when the next fourteen symbols are all "not received" or "small delta",
 * two-bit otherwise), which is what the draft's §3.1.3/§3.1.4 allow; receive deltas that do not fit 16 bits end
 * a feedback packet early so the next one starts from a fresh reference time.
 *
 * <p>Public for the load tool, whose synthetic subscribers give the SFU the same feedback a browser gives.
 *
 * <p>Thread-safety: confined to the transport's receive thread. Nothing here allocates after construction.
 */
public final class TransportCcFeedback {

    /** The steady feedback cadence; libwebrtc's receivers use 50-100 ms. */
    static final long FEEDBACK_INTERVAL_NANOS = 50_000_000L;
    /** Feedback after a gap may come sooner than the cadence, but not more often than this. */
    static final long MIN_FEEDBACK_INTERVAL_NANOS = 10_000_000L;
    /** Sequence numbers reported in one feedback packet at most (about 100 ms of a 10 Mbit/s stream). */
    static final int MAX_PACKETS_PER_FEEDBACK = 1024;
    /** A jump further ahead than this starts a fresh window. */
    static final int MAX_SPAN = 4096;
    /** Runs of at least this many equal symbols become one run-length chunk. */
    static final int RUN_CHUNK_MIN = 14;
    /** Largest encoded feedback packet: header and fixed fields, one chunk per symbol at worst, two-byte deltas. */
    public static final int MAX_FEEDBACK_BYTES = 20 + 2 * MAX_PACKETS_PER_FEEDBACK + 2 * MAX_PACKETS_PER_FEEDBACK + 4;

    private static final int RING = 8192;
    private static final int MASK = RING - 1;
    private static final long NOT_RECEIVED = Long.MIN_VALUE;
    private static final long REFERENCE_UNIT_MICROS = 64_000;
    private static final long DELTA_UNIT_MICROS = 250;
    private static final int SYMBOL_NOT_RECEIVED = 0;
    private static final int SYMBOL_SMALL = 1;
    private static final int SYMBOL_LARGE = 2;
    private static final int MAX_RUN = 0x1FFF;

    private final long senderSsrc;
    private final long[] arrivalMicros = new long[RING];
    private final SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
    // Encoder scratch, reused for every feedback packet.
    private final int[] symbols = new int[MAX_PACKETS_PER_FEEDBACK];
    private final int[] deltas = new int[MAX_PACKETS_PER_FEEDBACK];

    /** First sequence number (unwrapped) not reported yet; -1 before the first packet. */
    private long next = -1;
    /** Highest sequence number (unwrapped) received. */
    private long highest = -1;
    private long lastFeedbackNanos = Long.MIN_VALUE / 2;
    private boolean gapSeen;
    /** The last feedback stopped before the highest packet (size cap or a delta beyond 16 bits). */
    private boolean lastWasCut;
    private int feedbackPacketCount;

    // Counters (receive thread writes; others may read a slightly stale value).
    private volatile long packetsRecorded;
    private volatile long packetsTooLate;
    private volatile long windowsRestarted;
    private volatile long feedbackSent;

    /** @param senderSsrc our SSRC on this transport, the "SSRC of packet sender" of every feedback packet */
    public TransportCcFeedback(long senderSsrc) {
        this.senderSsrc = senderSsrc;
        Arrays.fill(arrivalMicros, NOT_RECEIVED);
    }

    /** Records one packet's arrival. */
    public void onPacket(int transportSequenceNumber, long arrivalNanos) {
        long seq = unwrapper.unwrap(transportSequenceNumber & 0xFFFF);
        long micros = arrivalNanos / 1_000;
        if (next < 0) {
            next = seq;
            highest = seq;
        } else if (seq < next) {
            // Already reported as lost (or a duplicate of a reported one): the sender has moved on.
            packetsTooLate++;
            return;
        } else if (seq - next >= MAX_SPAN) {
            clear(next, highest);
            next = seq;
            highest = seq;
            windowsRestarted++;
        } else if (seq > highest) {
            if (seq > highest + 1) {
                gapSeen = true;
            }
            highest = seq;
        }
        arrivalMicros[(int) (seq & MASK)] = micros;
        packetsRecorded++;
    }

    /** Whether a feedback packet is due now. */
    public boolean feedbackDue(long nowNanos) {
        if (next < 0 || next > highest) {
            return false;
        }
        long since = nowNanos - lastFeedbackNanos;
        return since >= FEEDBACK_INTERVAL_NANOS || (gapSeen && since >= MIN_FEEDBACK_INTERVAL_NANOS);
    }

    /**
     * Writes the next feedback packet (one RTCP packet, padded to 32 bits with the P bit) at {@code off} and
     * marks what it reports as done; returns its length, or 0 when there is nothing to report. {@code buf} needs
     * {@link #MAX_FEEDBACK_BYTES} free bytes from {@code off}. Call again at once while {@link #hasMore()}.
     *
     * @param mediaSsrc one of the transport's media SSRCs (informational, as libwebrtc fills it)
     */
    public int writeFeedback(long mediaSsrc, long nowNanos, byte[] buf, int off) {
        if (next < 0 || next > highest) {
            return 0;
        }
        lastFeedbackNanos = nowNanos;
        gapSeen = false;
        // Losses right after the previous feedback lead this one; the reference time is the first arrival's.
        long base = next;
        long firstReceived = base;
        while (arrivalMicros[(int) (firstReceived & MASK)] == NOT_RECEIVED) {
            firstReceived++; // terminates: the highest sequence number was received
        }
        if (firstReceived - base >= MAX_PACKETS_PER_FEEDBACK) {
            // More losses in a row than one feedback holds: the sender learns of the gap from where it ends.
            base = firstReceived;
            next = base;
        }
        long referenceUnits = Math.floorDiv(arrivalMicros[(int) (firstReceived & MASK)], REFERENCE_UNIT_MICROS);
        long previous = referenceUnits * REFERENCE_UNIT_MICROS;
        int count = 0;
        int deltaCount = 0;
        int deltaBytes = 0;
        long seq = base;
        while (seq <= highest && count < MAX_PACKETS_PER_FEEDBACK) {
            long arrival = arrivalMicros[(int) (seq & MASK)];
            if (arrival == NOT_RECEIVED) {
                symbols[count++] = SYMBOL_NOT_RECEIVED;
            } else {
                long ticks = Math.floorDiv(arrival - previous + DELTA_UNIT_MICROS / 2, DELTA_UNIT_MICROS);
                if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
                    break; // the next feedback starts here with its own reference time
                }
                previous += ticks * DELTA_UNIT_MICROS;
                boolean small = ticks >= 0 && ticks <= 0xFF;
                symbols[count++] = small ? SYMBOL_SMALL : SYMBOL_LARGE;
                deltas[deltaCount++] = (int) ticks;
                deltaBytes += small ? 1 : 2;
            }
            seq++;
        }
        // Trailing losses are reported by the next feedback, after the packet that follows them.
        while (count > 0 && symbols[count - 1] == SYMBOL_NOT_RECEIVED) {
            count--;
            seq--;
        }
        int length = encode(buf, off, (int) (base & 0xFFFF), (int) (referenceUnits & 0xFF_FFFF), mediaSsrc,
                count, deltaCount, deltaBytes);
        clear(base, seq - 1);
        next = seq;
        lastWasCut = next <= highest;
        feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
        feedbackSent++;
        return length;
    }

    /** Whether recorded packets remain that the last feedback had no room for. */
    public boolean hasMore() {
        return lastWasCut && next >= 0 && next <= highest;
    }

    private int encode(byte[] buf, int off, int baseSequenceNumber, int referenceTime, long mediaSsrc, int count,
                       int deltaCount, int deltaBytes) {
        int p = off + 20;
        int i = 0;
        while (i < count) {
            int symbol = symbols[i];
            int run = 1;
            while (i + run < count && symbols[i + run] == symbol && run < MAX_RUN) {
                run++;
            }
            if (run >= RUN_CHUNK_MIN || i + run == count && run >= 7) {
                // Run length chunk: T=0, S (2 bits), run length (13 bits).
                Bytes.putUint16(buf, p, (symbol << 13) | run);
                i += run;
            } else if (fitsOneBit(i, count)) {
                int chunk = 0x8000;
                for (int k = 0; k < 14; k++) {
                    int s = i + k < count ? symbols[i + k] : 0;
                    chunk |= s << (13 - k);
                }
                Bytes.putUint16(buf, p, chunk);
                i += 14;
            } else {
                int chunk = 0xC000;
                for (int k = 0; k < 7; k++) {
                    int s = i + k < count ? symbols[i + k] : 0;
                    chunk |= s << (12 - 2 * k);
                }
                Bytes.putUint16(buf, p, chunk);
                i += 7;
            }
            p += 2;
        }
        for (int d = 0; d < deltaCount; d++) {
            int ticks = deltas[d];
            if (ticks >= 0 && ticks <= 0xFF) {
                Bytes.putUint8(buf, p++, ticks);
            } else {
                Bytes.putUint16(buf, p, ticks & 0xFFFF);
                p += 2;
            }
        }
        int unpadded = p - off;
        int size = (unpadded + 3) & ~3;
        int padding = size - unpadded;
        for (int k = 0; k < padding; k++) {
            buf[p + k] = 0;
        }
        if (padding > 0) {
            buf[off + size - 1] = (byte) padding;
        }
        int words = size / 4 - 1;
        buf[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | RtcpHeader.FMT_TRANSPORT_WIDE_CC);
        buf[off + 1] = (byte) RtcpHeader.PT_RTPFB;
        Bytes.putUint16(buf, off + 2, words);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, mediaSsrc);
        Bytes.putUint16(buf, off + 12, baseSequenceNumber);
        Bytes.putUint16(buf, off + 14, count);
        Bytes.putUint24(buf, off + 16, referenceTime);
        Bytes.putUint8(buf, off + 19, feedbackPacketCount);
        return size;
    }

    /** The next fourteen symbols (those past the count read as 0) fit a one-bit vector: none is a large delta. */
    private boolean fitsOneBit(int from, int count) {
        for (int k = from; k < Math.min(count, from + 14); k++) {
            if (symbols[k] == SYMBOL_LARGE) {
                return false;
            }
        }
        return true;
    }

    private void clear(long from, long to) {
        if (to - from >= RING) {
            Arrays.fill(arrivalMicros, NOT_RECEIVED);
            return;
        }
        for (long s = from; s <= to; s++) {
            arrivalMicros[(int) (s & MASK)] = NOT_RECEIVED;
        }
    }

    /** Counters, for stats. */
    public record Stats(long packetsRecorded, long packetsTooLate, long windowsRestarted, long feedbackSent) {
    }

    Stats stats() {
        return new Stats(packetsRecorded, packetsTooLate, windowsRestarted, feedbackSent);
    }
}
