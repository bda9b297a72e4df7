package org.videoroom.rtcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.videoroom.buffer.Bytes;

/**
 * The one entry point for received RTCP: walks a compound packet (RFC 3550 §6.1) packet by packet
 * using each header's length field, and turns each packet into an {@link RtcpPacket} by its packet
 * type and, for feedback, its FMT (RFC 4585 §6.1):
 *
 * <table>
 * <caption>Dispatch</caption>
 * <tr><th>PT</th><th>FMT/count</th><th>result</th></tr>
 * <tr><td>200</td><td>RC</td><td>{@link SenderReport}</td></tr>
 * <tr><td>201</td><td>RC</td><td>{@link ReceiverReport}</td></tr>
 * <tr><td>202</td><td>SC</td><td>{@link SourceDescription}</td></tr>
 * <tr><td>203</td><td>SC</td><td>{@link Goodbye}</td></tr>
 * <tr><td>205</td><td>1</td><td>{@link TransportLayerNack}</td></tr>
 * <tr><td>205</td><td>15</td><td>{@link TransportWideCc}</td></tr>
 * <tr><td>206</td><td>1</td><td>{@link PictureLossIndication}</td></tr>
 * <tr><td>206</td><td>4</td><td>{@link FullIntraRequest}</td></tr>
 * <tr><td>206</td><td>15 + "REMB"</td><td>{@link ReceiverEstimatedMaxBitrate}</td></tr>
 * <tr><td>other</td><td>any</td><td>{@link RawRtcpPacket} (APP, XR, other FMTs, ...)</td></tr>
 * </table>
 *
 * <p>Malformed input never throws. A header problem (wrong version, a length running past the
 * datagram, bytes left over that cannot hold a header) stops the walk, since the next packet's
 * start is unknown; the packets before it are still returned. A packet whose header is sound but
 * whose body or padding is not is skipped, and the walk continues with the next one. The
 * {@link Result} carries the first problem met and the number of packets skipped, and the counters
 * in {@link #stats()} add them up.
 *
 * <p>The compound rules of RFC 3550 §6.1 (first packet SR or RR, CNAME present) are not enforced:
 * WebRTC peers may send reduced-size RTCP (RFC 5506), and a receiver gains nothing by dropping such
 * packets.
 *
 * <p>Input is plain RTCP: SRTCP must already be decrypted and its trailer (E flag, index, tag)
 * removed. Thread-safety: thread-safe; parsing keeps no state besides {@link LongAdder} counters.
 */
public final class RtcpParser {

    /** The first problem met while parsing a compound packet, or {@link #OK}. */
    public enum Status {
        OK,
        /** The offset/length pair does not lie inside the array (or the array is null). */
        BAD_BOUNDS,
        /** Shorter than one RTCP header (including empty input). */
        TOO_SHORT,
        /** A header's version is not 2; the walk stopped there. */
        BAD_VERSION,
        /** A length field runs past the end, or trailing bytes cannot hold a header; the walk stopped. */
        BAD_LENGTH,
        /** A packet's padding count is 0 or longer than its body; that packet was skipped. */
        BAD_PADDING,
        /** A packet's body does not match its type's format; that packet was skipped. */
        MALFORMED_PACKET
    }

    /**
     * What one compound packet yielded.
     *
     * @param packets        the packets parsed, in wire order
     * @param status         {@link Status#OK}, or the first problem met
     * @param skippedPackets packets with a sound header but a bad body or padding
     */
    public record Result(List<RtcpPacket> packets, Status status, int skippedPackets) {

        public Result {
            packets = List.copyOf(packets);
        }

        public boolean isOk() {
            return status == Status.OK;
        }
    }

    private final LongAdder compoundPackets = new LongAdder();
    private final LongAdder packets = new LongAdder();
    private final LongAdder rawPackets = new LongAdder();
    private final LongAdder skippedPackets = new LongAdder();
    private final LongAdder malformedCompounds = new LongAdder();

    /** Parses a whole array as one compound packet. */
    public Result parse(byte[] compound) {
        return parse(compound, 0, compound == null ? 0 : compound.length);
    }

    /** Parses the compound packet at {@code buf[off..off+len)}. Never throws. */
    public Result parse(byte[] buf, int off, int len) {
        compoundPackets.increment();
        Result result = walk(buf, off, len);
        packets.add(result.packets().size());
        skippedPackets.add(result.skippedPackets());
        if (!result.isOk()) {
            malformedCompounds.increment();
        }
        return result;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(compoundPackets.sum(), packets.sum(), rawPackets.sum(), skippedPackets.sum(),
                malformedCompounds.sum());
    }

    /**
     * Counter snapshot.
     *
     * @param compoundPackets    calls to {@link #parse}
     * @param packets            packets returned (raw ones included)
     * @param rawPackets         packets returned as {@link RawRtcpPacket}
     * @param skippedPackets     packets skipped for a bad body or padding
     * @param malformedCompounds compound packets whose status was not OK
     */
    public record Stats(long compoundPackets, long packets, long rawPackets, long skippedPackets,
                        long malformedCompounds) {
    }

    private Result walk(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len)) {
            return new Result(List.of(), Status.BAD_BOUNDS, 0);
        }
        if (len < RtcpHeader.HEADER_BYTES) {
            return new Result(List.of(), Status.TOO_SHORT, 0);
        }
        List<RtcpPacket> out = new ArrayList<>(4);
        Status status = Status.OK;
        int skipped = 0;
        int end = off + len;
        int p = off;
        while (p < end) {
            if (end - p < RtcpHeader.HEADER_BYTES) {
                status = first(status, Status.BAD_LENGTH);
                break;
            }
            if (RtcpHeader.version(buf, p) != RtcpHeader.VERSION) {
                status = first(status, Status.BAD_VERSION);
                break;
            }
            int packetLength = RtcpHeader.packetLength(buf, p);
            if (packetLength > end - p) {
                status = first(status, Status.BAD_LENGTH);
                break;
            }
            int contentLength = packetLength;
            if (RtcpHeader.hasPadding(buf, p)) {
                // The last octet counts the padding, itself included (RFC 3550 §6.4.1).
                int padding = buf[p + packetLength - 1] & 0xFF;
                if (padding == 0 || padding > packetLength - RtcpHeader.HEADER_BYTES) {
                    status = first(status, Status.BAD_PADDING);
                    skipped++;
                    p += packetLength;
                    continue;
                }
                contentLength -= padding;
            }
            RtcpPacket packet = decodeOne(buf, p, contentLength, packetLength);
            if (packet == null) {
                status = first(status, Status.MALFORMED_PACKET);
                skipped++;
            } else {
                out.add(packet);
            }
            p += packetLength;
        }
        return new Result(out, status, skipped);
    }

    /**
     * Decodes one packet: {@code contentLength} excludes padding, {@code packetLength} includes it.
     * Returns null if the body is malformed. The records' constructors validate ranges that the
     * wire format already bounds, but a decoded text can still exceed them (invalid UTF-8 grows
     * when replaced), so their exception is caught here and counted like any malformed body.
     */
    private RtcpPacket decodeOne(byte[] buf, int p, int contentLength, int packetLength) {
        try {
            int fmt = RtcpHeader.count(buf, p);
            return switch (RtcpHeader.packetType(buf, p)) {
                case RtcpHeader.PT_SR -> SenderReport.decode(buf, p, contentLength);
                case RtcpHeader.PT_RR -> ReceiverReport.decode(buf, p, contentLength);
                case RtcpHeader.PT_SDES -> SourceDescription.decode(buf, p, contentLength);
                case RtcpHeader.PT_BYE -> Goodbye.decode(buf, p, contentLength);
                case RtcpHeader.PT_RTPFB -> switch (fmt) {
                    case RtcpHeader.FMT_NACK -> TransportLayerNack.decode(buf, p, contentLength);
                    case RtcpHeader.FMT_TRANSPORT_WIDE_CC -> TransportWideCc.decode(buf, p, contentLength);
                    default -> raw(buf, p, packetLength);
                };
                case RtcpHeader.PT_PSFB -> switch (fmt) {
                    case RtcpHeader.FMT_PLI -> PictureLossIndication.decode(buf, p, contentLength);
                    case RtcpHeader.FMT_FIR -> FullIntraRequest.decode(buf, p, contentLength);
                    case RtcpHeader.FMT_AFB -> ReceiverEstimatedMaxBitrate.isRemb(buf, p, contentLength)
                            ? ReceiverEstimatedMaxBitrate.decode(buf, p, contentLength)
                            : raw(buf, p, packetLength);
                    default -> raw(buf, p, packetLength);
                };
                default -> raw(buf, p, packetLength);
            };
        } catch (RtcpException e) {
            return null;
        }
    }

    private RawRtcpPacket raw(byte[] buf, int p, int packetLength) {
        rawPackets.increment();
        return RawRtcpPacket.copyOf(buf, p, packetLength);
    }

    private static Status first(Status current, Status next) {
        return current == Status.OK ? next : current;
    }
}
