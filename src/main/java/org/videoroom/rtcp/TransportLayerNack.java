package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.videoroom.buffer.Bytes;

/**
 * Generic NACK (RFC 4585 §6.2.1): RTPFB with FMT=1, reporting lost RTP packets of
 * {@code mediaSsrc}. Each FCI entry names one lost packet (PID) and, in the bitmask of following
 * lost packets (BLP), which of the 16 packets after it were lost too: bit i (least significant
 * first) set means PID + i + 1 is lost.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |   PT=205      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            PID                |             BLP               |  FCI entry,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  repeated
 * </pre>
 *
 * Sequence numbers wrap: PID 65535 with BLP bit 0 set reports 65535 and 0.
 *
 * @param senderSsrc SSRC of the endpoint reporting the loss
 * @param mediaSsrc  SSRC of the stream that lost packets
 * @param pairs      at least one PID/BLP entry
 */
public record TransportLayerNack(long senderSsrc, long mediaSsrc, List<NackPair> pairs) implements RtcpPacket {

    private static final int PAIR_BYTES = 4;
    private static final int PACKETS_PER_PAIR = 17;

    /** @throws RtcpException if an SSRC is out of range or there is no entry */
    public TransportLayerNack {
        Fields.uint32("senderSsrc", senderSsrc);
        Fields.uint32("mediaSsrc", mediaSsrc);
        pairs = Fields.list("pairs", pairs, (0xFFFF * 4 - 8) / PAIR_BYTES);
        if (pairs.isEmpty()) {
            throw new RtcpException("a NACK needs at least one FCI entry (RFC 4585 §6.2.1)");
        }
    }

    /**
     * A NACK for the given lost sequence numbers, packed into as few PID/BLP entries as their order
     * allows: each number within 16 after the current entry's PID joins that entry's bitmask,
     * anything else starts a new entry. Pass them oldest first (the order a NACK generator finds
     * them in) for the tightest packing; duplicates are harmless.
     *
     * @throws RtcpException if {@code lostSequenceNumbers} is empty or an SSRC is out of range
     */
    public static TransportLayerNack of(long senderSsrc, long mediaSsrc, int... lostSequenceNumbers) {
        List<NackPair> pairs = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int raw : lostSequenceNumbers) {
            int seq = raw & 0xFFFF;
            int ahead = (seq - pid) & 0xFFFF;
            if (pid >= 0 && ahead <= 16) {
                if (ahead > 0) {
                    blp |= 1 << (ahead - 1);
                }
                continue;
            }
            if (pid >= 0) {
                pairs.add(new NackPair(pid, blp));
            }
            pid = seq;
            blp = 0;
        }
        if (pid >= 0) {
            pairs.add(new NackPair(pid, blp));
        }
        return new TransportLayerNack(senderSsrc, mediaSsrc, pairs);
    }

    /** The same as {@link #of(long, long, int...)} for a list. */
    public static TransportLayerNack of(long senderSsrc, long mediaSsrc, List<Integer> lostSequenceNumbers) {
        return of(senderSsrc, mediaSsrc, lostSequenceNumbers.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Every sequence number reported lost, entry by entry, each entry's PID first and then its
     * bitmask's numbers in increasing order; a number reported by two entries appears twice.
     */
    public int[] lostSequenceNumbers() {
        int[] lost = new int[pairs.size() * PACKETS_PER_PAIR];
        int n = 0;
        for (NackPair pair : pairs) {
            lost[n++] = pair.packetId();
            for (int bit = 0; bit < 16; bit++) {
                if ((pair.lostBitmask() & (1 << bit)) != 0) {
                    lost[n++] = (pair.packetId() + bit + 1) & 0xFFFF;
                }
            }
        }
        return Arrays.copyOf(lost, n);
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_RTPFB;
    }

    @Override
    public int marshalSize() {
        return RtcpFeedback.HEADER_BYTES + PAIR_BYTES * pairs.size();
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, RtcpHeader.FMT_NACK, RtcpHeader.PT_RTPFB, size);
        Bytes.putUint32(buf, off + 4, senderSsrc);
        Bytes.putUint32(buf, off + 8, mediaSsrc);
        int p = off + RtcpFeedback.HEADER_BYTES;
        for (NackPair pair : pairs) {
            Bytes.putUint16(buf, p, pair.packetId());
            Bytes.putUint16(buf, p + 2, pair.lostBitmask());
            p += PAIR_BYTES;
        }
        return size;
    }

    /** Parses one NACK at {@code buf[off..off+len)} (padding excluded); null if malformed. */
    static TransportLayerNack decode(byte[] buf, int off, int len) {
        int fci = len - RtcpFeedback.HEADER_BYTES;
        if (fci < PAIR_BYTES) {
            return null;
        }
        List<NackPair> pairs = new ArrayList<>(fci / PAIR_BYTES);
        for (int p = off + RtcpFeedback.HEADER_BYTES; p + PAIR_BYTES <= off + len; p += PAIR_BYTES) {
            pairs.add(new NackPair(Bytes.uint16(buf, p), Bytes.uint16(buf, p + 2)));
        }
        return new TransportLayerNack(Bytes.uint32(buf, off + 4), Bytes.uint32(buf, off + 8), pairs);
    }

    /**
     * One FCI entry.
     *
     * @param packetId    PID: a lost sequence number
     * @param lostBitmask BLP: bit i set means {@code packetId + i + 1} was lost too
     */
    public record NackPair(int packetId, int lostBitmask) {

        /** @throws RtcpException if a field exceeds 16 bits */
        public NackPair {
            Fields.range("packetId", packetId, 0, 0xFFFF);
            Fields.range("lostBitmask", lostBitmask, 0, 0xFFFF);
        }
    }
}
