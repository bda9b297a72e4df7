package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1): RTPFB with FMT=15, reporting for a range of transport-wide sequence numbers whether each
 * packet arrived and when.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |  ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         recv delta            |  recv delta   | padding       |  ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Each packet gets a 2-bit status symbol: 0 not received, 1 received with a 1-byte delta (0..255),
 * 2 received with a 2-byte signed delta. Chunks carry the symbols either as a run (T=0: symbol and
 * 13-bit run length) or as a vector (T=1: fourteen 1-bit symbols if S=0, seven 2-bit symbols if
 * S=1); a vector may extend past the status count, the excess being ignored. Then follows one delta
 * per received packet, in units of {@link #DELTA_UNIT_MICROS}, relative to the previous received
 * packet (the first one to the reference time, in units of {@link #REFERENCE_TIME_UNIT_MICROS}).
 * Padding to 32 bits uses the RTCP P bit, as libwebrtc does.
 *
 * <p>The reference time is read as an unsigned 24-bit counter that wraps about every 12.4 days, the
 * way libwebrtc treats it. A packet without receive deltas (allowed by libwebrtc) is treated as
 * malformed.
 *
 * @param senderSsrc          SSRC of the endpoint giving feedback
 * @param mediaSsrc           SSRC of a media source of the reported transport (informational)
 * @param baseSequenceNumber  transport-wide sequence number of the first reported packet
 * @param referenceTime       24-bit arrival reference in units of 64 ms
 * @param feedbackPacketCount 8-bit counter of feedback packets sent, to detect lost feedback
 * @param packets             one status per sequence number from the base on (1..65535 of them)
 */
public record TransportWideCc(long senderSsrc, long mediaSsrc, int baseSequenceNumber, int referenceTime,
                              int feedbackPacketCount, List<PacketStatus> packets) implements RtcpPacket {

    /** Unit of {@link #referenceTime()}. */
    public static final long REFERENCE_TIME_UNIT_MICROS = 64_000;

    /** Unit of a receive delta. */
    public static final long DELTA_UNIT_MICROS = 250;

    /** Marks a packet that did not arrive in {@link #fromArrivalTimes}/{@link #arrivalTimesMicros}. */
    public static final long NOT_RECEIVED = -1;

    private static final int FIXED_BYTES = 20;
    private static final int MAX_RUN_LENGTH = 0x1FFF;
    /**
     * Statuses one feedback may declare. A browser reports every ~100 ms, a few hundred packets at most; the field
     * allows 65,535, which one 20-byte packet could make the parser allocate for.
     */
    static final int MAX_STATUS_COUNT = 4096;
    private static final int ONE_BIT_VECTOR_SYMBOLS = 14;
    private static final int TWO_BIT_VECTOR_SYMBOLS = 7;
    private static final int SYMBOL_NOT_RECEIVED = 0;
    private static final int SYMBOL_SMALL_DELTA = 1;
    private static final int SYMBOL_LARGE_DELTA = 2;

    /** @throws RtcpException if a field is out of range or the packet list is empty or too long */
    public TransportWideCc {
        Fields.uint32("senderSsrc", senderSsrc);
        Fields.uint32("mediaSsrc", mediaSsrc);
        Fields.range("baseSequenceNumber", baseSequenceNumber, 0, 0xFFFF);
        Fields.range("referenceTime", referenceTime, 0, 0xFF_FFFF);
        Fields.range("feedbackPacketCount", feedbackPacketCount, 0, 0xFF);
        packets = Fields.list("packets", packets, 0xFFFF);
        if (packets.isEmpty()) {
            throw new RtcpException("transport-wide feedback must report at least one packet");
        }
    }

    /**
     * Feedback for the packets {@code baseSequenceNumber, baseSequenceNumber + 1, ...} given their
     * arrival times in microseconds on the receiver's clock ({@link #NOT_RECEIVED}, or any negative
     * value, for a packet that did not arrive). The reference time comes from the first arrival;
     * deltas are rounded to 250 µs without accumulating rounding error.
     *
     * @throws RtcpException if two consecutive arrivals are more than about 8 s apart (a delta beyond
     *                       16 bits), or other fields are out of range
     */
    public static TransportWideCc fromArrivalTimes(long senderSsrc, long mediaSsrc, int baseSequenceNumber,
                                                   int feedbackPacketCount, long[] arrivalTimesMicros) {
        long referenceUnits = -1;
        long previous = 0;
        List<PacketStatus> packets = new ArrayList<>(arrivalTimesMicros.length);
        for (long arrival : arrivalTimesMicros) {
            if (arrival < 0) {
                packets.add(PacketStatus.LOST);
                continue;
            }
            if (referenceUnits < 0) {
                referenceUnits = arrival / REFERENCE_TIME_UNIT_MICROS;
                previous = referenceUnits * REFERENCE_TIME_UNIT_MICROS;
            }
            long ticks = Math.floorDiv(arrival - previous + DELTA_UNIT_MICROS / 2, DELTA_UNIT_MICROS);
            if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
                throw new RtcpException("receive delta does not fit 16 bits: " + ticks + " x 250 us");
            }
            previous += ticks * DELTA_UNIT_MICROS;
            packets.add(PacketStatus.received((int) ticks));
        }
        int referenceTime = referenceUnits < 0 ? 0 : (int) (referenceUnits & 0xFF_FFFF);
        return new TransportWideCc(senderSsrc, mediaSsrc, baseSequenceNumber, referenceTime, feedbackPacketCount,
                packets);
    }

    /** The transport-wide sequence number of {@code packets().get(index)}. */
    public int sequenceNumber(int index) {
        return (baseSequenceNumber + index) & 0xFFFF;
    }

    /**
     * Arrival time of each reported packet in microseconds on the receiver's clock (reference time
     * plus accumulated deltas), or {@link #NOT_RECEIVED}.
     */
    public long[] arrivalTimesMicros() {
        long[] times = new long[packets.size()];
        long time = referenceTime * REFERENCE_TIME_UNIT_MICROS;
        for (int i = 0; i < times.length; i++) {
            PacketStatus status = packets.get(i);
            if (status.received()) {
                time += status.receiveDelta() * DELTA_UNIT_MICROS;
                times[i] = time;
            } else {
                times[i] = NOT_RECEIVED;
            }
        }
        return times;
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_RTPFB;
    }

    @Override
    public int marshalSize() {
        return (unpaddedSize(encodeChunks()) + 3) & ~3;
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int[] chunks = encodeChunks();
        int unpadded = unpaddedSize(chunks);
        int size = (unpadded + 3) & ~3;
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, RtcpHeader.FMT_TRANSPORT_WIDE_CC, RtcpHeader.PT_RTPFB, size);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, mediaSsrc);
        Bytes.putUint16(buf, off + 12, baseSequenceNumber);
        Bytes.putUint16(buf, off + 14, packets.size());
        Bytes.putUint24(buf, off + 16, referenceTime);
        Bytes.putUint8(buf, off + 19, feedbackPacketCount);
        int p = off + FIXED_BYTES;
        for (int chunk : chunks) {
            Bytes.putUint16(buf, p, chunk);
            p += 2;
        }
        for (PacketStatus status : packets) {
            switch (status.symbol()) {
                case SYMBOL_SMALL_DELTA -> buf[p++] = (byte) status.receiveDelta();
                case SYMBOL_LARGE_DELTA -> {
                    Bytes.putUint16(buf, p, status.receiveDelta());
                    p += 2;
                }
                default -> { } // not received: no delta
            }
        }
        if (size > unpadded) {
            // RTCP padding (RFC 3550 §6.4.1): zeros, the last byte counting them all.
            while (p < off + size - 1) {
                buf[p++] = 0;
            }
            buf[p] = (byte) (size - unpadded);
            buf[off] |= 0x20;
        }
        return size;
    }

    private int unpaddedSize(int[] chunks) {
        int size = FIXED_BYTES + 2 * chunks.length;
        for (PacketStatus status : packets) {
            size += status.symbol(); // the symbol value is the delta's byte count
        }
        return size;
    }

    /**
     * Chooses chunks greedily: a run chunk for a run of 14 or more equal symbols or one that ends the
     * list, else a 1-bit vector when the next 14 symbols need no 2-byte delta, else a 2-bit vector.
     */
    private int[] encodeChunks() {
        int n = packets.size();
        int[] chunks = new int[n];
        int count = 0;
        int i = 0;
        while (i < n) {
            int symbol = packets.get(i).symbol();
            int run = 1;
            while (i + run < n && run < MAX_RUN_LENGTH && packets.get(i + run).symbol() == symbol) {
                run++;
            }
            if (run >= ONE_BIT_VECTOR_SYMBOLS || i + run == n) {
                chunks[count++] = symbol << 13 | run;
                i += run;
                continue;
            }
            int span = Math.min(ONE_BIT_VECTOR_SYMBOLS, n - i);
            boolean oneBit = true;
            for (int j = i; j < i + span; j++) {
                oneBit &= packets.get(j).symbol() != SYMBOL_LARGE_DELTA;
            }
            if (oneBit) {
                int chunk = 0x8000;
                for (int j = 0; j < span; j++) {
                    chunk |= packets.get(i + j).symbol() << (ONE_BIT_VECTOR_SYMBOLS - 1 - j);
                }
                chunks[count++] = chunk;
                i += span;
            } else {
                span = Math.min(TWO_BIT_VECTOR_SYMBOLS, n - i);
                int chunk = 0xC000;
                for (int j = 0; j < span; j++) {
                    chunk |= packets.get(i + j).symbol() << (2 * (TWO_BIT_VECTOR_SYMBOLS - 1 - j));
                }
                chunks[count++] = chunk;
                i += span;
            }
        }
        return Arrays.copyOf(chunks, count);
    }

    /** Parses one feedback packet at {@code buf[off..off+len)} (padding excluded); null if malformed. */
    static TransportWideCc decode(byte[] buf, int off, int len) {
        if (len < FIXED_BYTES) {
            return null;
        }
        int count = Bytes.uint16(buf, off + 14);
        if (count == 0 || count > MAX_STATUS_COUNT) {
            return null;
        }
        int end = off + len;
        int p = off + FIXED_BYTES;
        int[] symbols = new int[count];
        int k = 0;
        while (k < count) {
            if (p + 2 > end) {
                return null;
            }
            int chunk = Bytes.uint16(buf, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >>> 13 & 3;
                if (symbol == 3) {
                    return null; // reserved symbol
                }
                for (int run = chunk & MAX_RUN_LENGTH; run > 0 && k < count; run--) {
                    symbols[k++] = symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int j = ONE_BIT_VECTOR_SYMBOLS - 1; j >= 0 && k < count; j--) {
                    symbols[k++] = chunk >>> j & 1;
                }
            } else {
                for (int j = TWO_BIT_VECTOR_SYMBOLS - 1; j >= 0 && k < count; j--) {
                    int symbol = chunk >>> (2 * j) & 3;
                    if (symbol == 3) {
                        return null;
                    }
                    symbols[k++] = symbol;
                }
            }
        }
        List<PacketStatus> packets = new ArrayList<>(count);
        for (int symbol : symbols) {
            if (symbol == SYMBOL_NOT_RECEIVED) {
                packets.add(PacketStatus.LOST);
            } else if (p + symbol > end) {
                return null;
            } else if (symbol == SYMBOL_SMALL_DELTA) {
                packets.add(PacketStatus.received(Bytes.uint8(buf, p++)));
            } else {
                packets.add(PacketStatus.received((short) Bytes.uint16(buf, p)));
                p += 2;
            }
        }
        return new TransportWideCc(Bytes.uint32(buf, off + 4), Bytes.uint32(buf, off + 8), Bytes.uint16(buf, off + 12),
                Bytes.uint24(buf, off + 16), Bytes.uint8(buf, off + 19), packets);
    }

    /**
     * Whether one reported packet arrived, and its receive delta.
     *
     * @param received     whether the packet arrived
     * @param receiveDelta arrival minus the previous received packet's, in 250 µs units
     *                     (-32768..32767); 0 for a packet that did not arrive
     */
    public record PacketStatus(boolean received, int receiveDelta) {

        /** A packet that did not arrive. */
        public static final PacketStatus LOST = new PacketStatus(false, 0);

        /** @throws RtcpException if the delta exceeds 16 signed bits, or a lost packet has a delta */
        public PacketStatus {
            Fields.range("receiveDelta", receiveDelta, received ? Short.MIN_VALUE : 0, received ? Short.MAX_VALUE : 0);
        }

        /** A packet that arrived {@code receiveDelta} x 250 µs after the previous one. */
        public static PacketStatus received(int receiveDelta) {
            return new PacketStatus(true, receiveDelta);
        }

        /** The 2-bit status symbol, which is also the delta's size in bytes. */
        int symbol() {
            if (!received) {
                return SYMBOL_NOT_RECEIVED;
            }
            return receiveDelta >= 0 && receiveDelta <= 0xFF ? SYMBOL_SMALL_DELTA : SYMBOL_LARGE_DELTA;
        }
    }
}
