package org.videoroom.rtp;

/**
 * Turns the packets of several source streams (the simulcast layers of one track, each with its
 * own SSRC, sequence numbers, RTP timestamps, VP8 picture ids and TL0PICIDX) into one continuous
 * outgoing stream for one subscriber, as if a single sender with SSRC {@link #outSsrc()} had sent
 * it. Audio uses the same class with no VP8 descriptor: only SSRC, sequence number and timestamp
 * are rewritten.
 *
 * <h2>How the caller drives it</h2>
 *
 * <ul>
 *   <li><b>Selecting a source.</b> {@link #switchTo(long)} names the source the caller's layer
 *       selector wants, the first one included. The switch happens on the first packet of that
 *       source which can start a decodable stream: for VP8 the first packet of a keyframe
 *       ({@link Vp8PayloadDescriptor#isKeyframe()}); for audio ({@code vp8OrNull == null}) any
 *       packet. Until then packets of the current source are still rewritten, and packets of the
 *       target are refused, so the caller may simply pass both layers while a switch is pending
 *       (and should ask the publisher for a keyframe). After the switch every packet of the old
 *       source is refused.</li>
 *   <li><b>Forwarding.</b> {@link #rewrite} rewrites a packet in place and returns true, or
 *       returns false, leaving the packet untouched, when it must not be sent: it belongs to
 *       neither the current nor the (switchable) target source, it is older than the packet the
 *       current source started at, or its number was given away by {@link #skip}.</li>
 *   <li><b>Dropping.</b> A packet of the current source that the caller decides not to send (a
 *       temporal layer filtered out, say) goes to {@link #skip} instead of {@code rewrite}: its
 *       sequence number is taken out of the output numbering, so the receiver sees no gap and sends
 *       no NACK for it. When the skipped packet starts a new frame (its picture id is newer than
 *       any seen from this source), the picture id is taken out too; the caller must then skip
 *       every packet of that frame, which filtering by TID does anyway. Only packets newer than
 *       everything seen from the source can be taken out; for an older one (reordered) the output
 *       number is already fixed, {@code skip} returns false, and forwarding it instead keeps the
 *       output gap-free.</li>
 *   <li><b>NACKs.</b> {@link #sourceSsrc(int)} and {@link #sourceSequenceNumber(int)} map an
 *       outgoing sequence number from a subscriber's NACK back to the source packet, for the last
 *       {@code historySize} outgoing numbers, including numbers of packets the SFU never received
 *       (lost upstream), so the NACK can be answered from the publisher's packet cache or passed
 *       upstream.</li>
 * </ul>
 *
 * <h2>Mapping</h2>
 *
 * Each field is mapped as {@code out = unwrapped source value + offset}, with the offset fixed when
 * a source starts, so reordered and repeated (retransmitted) packets of a source map exactly as
 * they would have in order. The first source keeps its own numbering. A later source starts just
 * after the highest value sent so far: sequence number +1, picture id +1 (a new frame), TL0PICIDX
 * +1 (a keyframe is a base-layer frame), timestamp + the wall time since the last packet was sent
 * in clock ticks, at least one tick. Skips lower the sequence-number (and picture-id) offset for
 * everything newer than the skipped packet; reordered packets older than a skip are mapped with
 * the offset that was in force for them. Sequence numbers, picture ids and TL0PICIDX wrap on the
 * wire at 2^16, 2^15 (2^7 for a 7-bit picture id, whose width is kept) and 2^8.
 *
 * <p>Packets are expected to be primary media: RTX must be unwrapped to the original SSRC and
 * sequence number first. The descriptor passed with a VP8 packet must be {@link
 * Vp8PayloadDescriptor#wrap wrapped} over that packet's payload; one whose wrap failed never
 * starts a source and has its fields left alone.
 *
 * <p>Nothing allocates per packet except {@link #stats()}. Thread-safety: not thread-safe; an
 * instance belongs to its subscriber's media thread (the serial executor of the subscriber leg),
 * which makes every call, including the NACK lookups.
 */
public final class StreamRewriter {

    /** Outgoing sequence numbers remembered for NACK lookups by default. */
    public static final int DEFAULT_HISTORY_SIZE = 1024;

    /** Skips per source remembered for mapping reordered packets; older ones are refused. */
    static final int SKIP_HISTORY_SIZE = 64;

    /**
     * Wall time beyond which a pause between sources adds no more timestamp ticks: one minute, so
     * that even a 1 MHz clock steps less than 2^31 ticks.
     */
    static final long MAX_SWITCH_GAP_NANOS = 60_000_000_000L;

    private static final long NONE = -1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * Counters since construction.
     *
     * @param packetsRewritten packets rewritten and to be sent
     * @param packetsSkipped packets whose sequence number {@link #skip} took out of the numbering
     * @param switches sources started (the first one included)
     * @param droppedOtherSource packets refused for belonging to neither the current source nor a
     *     target that could start here (a delta frame while waiting for a keyframe)
     * @param droppedTooOld packets refused for being older than their source's start, older than
     *     the remembered skips, or skipped before
     * @param skipsRefused skip calls that could not take a number out (reordered, duplicate, other source)
     */
    public record Stats(long packetsRewritten, long packetsSkipped, long switches, long droppedOtherSource,
                        long droppedTooOld, long skipsRefused) {
    }

    private final long outSsrc;
    private final int clockRate;

    private final Mapper seq = new Mapper();
    private final Mapper timestamp = new Mapper();
    private final Mapper pictureId = new Mapper();
    private final Mapper tl0PicIdx = new Mapper();

    private long currentSource = NONE;
    private long targetSource = NONE;
    /** Wall time at which the packet with the highest outgoing timestamp was last sent. */
    private long lastSentNanos;

    /** Source of each recent outgoing sequence number: (ssrc << 16 | source sequence number). */
    private final long[] history;
    private final int historyMask;
    private boolean historyStarted;
    /** Highest outgoing (extended) sequence number recorded. */
    private long historyHighest;
    /** Number of valid, contiguous entries ending at {@link #historyHighest}. */
    private int historyCount;

    private long packetsRewritten;
    private long packetsSkipped;
    private long switches;
    private long droppedOtherSource;
    private long droppedTooOld;
    private long skipsRefused;

    /** A rewriter with the {@link #DEFAULT_HISTORY_SIZE default} NACK history. */
    public StreamRewriter(long outSsrc, int clockRate) {
        this(outSsrc, clockRate, DEFAULT_HISTORY_SIZE);
    }

    /**
     * @param outSsrc the SSRC of the outgoing stream, chosen by the server for this subscriber leg
     * @param clockRate the RTP clock rate in Hz (90000 for video, 48000 for Opus), 1..1000000
     * @param historySize outgoing sequence numbers remembered for NACK lookups, a power of two in
     *     1..32768
     * @throws IllegalArgumentException if an argument is out of range
     */
    public StreamRewriter(long outSsrc, int clockRate, int historySize) {
        if (outSsrc < 0 || outSsrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("outSsrc " + outSsrc);
        }
        if (clockRate < 1 || clockRate > 1_000_000) {
            throw new IllegalArgumentException("clockRate " + clockRate);
        }
        if (historySize < 1 || historySize > SequenceNumbers.MODULUS / 2 || Integer.bitCount(historySize) != 1) {
            throw new IllegalArgumentException("historySize " + historySize);
        }
        this.outSsrc = outSsrc;
        this.clockRate = clockRate;
        this.history = new long[historySize];
        this.historyMask = historySize - 1;
    }

    public long outSsrc() {
        return outSsrc;
    }

    public int clockRate() {
        return clockRate;
    }

    /** SSRC of the source being forwarded, or -1 before the first switch. */
    public long currentSource() {
        return currentSource;
    }

    /** SSRC of the source a pending switch waits for, or -1 if none is pending. */
    public long targetSource() {
        return targetSource;
    }

    /** Whether a switch is pending: for video, the caller should request a keyframe of {@link #targetSource()}. */
    public boolean switchPending() {
        return targetSource != NONE;
    }

    /**
     * Asks for {@code sourceSsrc} to be forwarded from its next keyframe (for audio: its next
     * packet) on. Naming the current source cancels a pending switch; naming another target
     * replaces it.
     *
     * @throws IllegalArgumentException if {@code sourceSsrc} is not a 32-bit unsigned value
     */
    public void switchTo(long sourceSsrc) {
        if (sourceSsrc < 0 || sourceSsrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sourceSsrc " + sourceSsrc);
        }
        targetSource = sourceSsrc == currentSource ? NONE : sourceSsrc;
    }

    /**
     * Forgets the current source, to continue it (or the target) at its next keyframe as if it were a new
     * source: for a stream that was paused (its packets not passed here), so the receiver sees no hole in the
     * sequence numbers and starts decoding at a keyframe.
     */
    public void resync() {
        if (currentSource != NONE && targetSource == NONE) {
            targetSource = currentSource;
        }
        currentSource = NONE;
    }

    /**
     * Rewrites {@code packet} in place for the outgoing stream (SSRC, sequence number, timestamp,
     * and for VP8 picture id and TL0PICIDX) and returns true; or returns false, changing nothing,
     * if the packet must not be sent (see the class comment). A packet of the {@link #targetSource()}
     * that can start a stream performs the switch.
     *
     * @param vp8OrNull the packet's VP8 descriptor, wrapped over its payload; null for audio
     * @param nowNanos the current time of a monotonic clock, e.g. {@link System#nanoTime()}
     */
    public boolean rewrite(RtpPacket packet, Vp8PayloadDescriptor vp8OrNull, long nowNanos) {
        long ssrc = packet.ssrc();
        if (ssrc != currentSource) {
            if (ssrc != targetSource || !canStartStream(vp8OrNull)) {
                droppedOtherSource++;
                return false;
            }
            startSource(packet, nowNanos);
        }

        long seqExt = seq.extend(packet.sequenceNumber(), 16);
        long outSeq = seq.map(seqExt, true);
        if (outSeq == Mapper.REFUSED) {
            droppedTooOld++;
            return false;
        }
        fillHistory(outSeq);
        putHistory(outSeq, seqExt);

        long tsExt = timestamp.extend(packet.timestamp(), 32);
        long highestTs = timestamp.outHighest;
        long outTs = timestamp.map(tsExt, false);
        if (outTs >= highestTs) {
            lastSentNanos = nowNanos;
        }

        if (vp8OrNull != null && vp8OrNull.isWrapped()) {
            if (vp8OrNull.hasPictureId()) {
                vp8OrNull.setPictureId((int) mapLazily(pictureId, vp8OrNull.pictureId(), vp8OrNull.pictureIdBits()));
            }
            if (vp8OrNull.hasTl0PicIdx()) {
                vp8OrNull.setTl0PicIdx((int) mapLazily(tl0PicIdx, vp8OrNull.tl0PicIdx(), 8));
            }
        }

        packet.setSsrc(outSsrc);
        packet.setSequenceNumber((int) (outSeq & SequenceNumbers.MASK));
        packet.setTimestamp(outTs & 0xFFFF_FFFFL);
        packetsRewritten++;
        return true;
    }

    /**
     * Drops a packet of the current source without leaving a hole: its sequence number (and, if it
     * starts a frame newer than any seen, its picture id) is taken out of the output numbering.
     * The packet itself is not modified; the caller releases it. Returns false, changing nothing,
     * if the number cannot be taken out: the packet is not of the current source, or is not newer
     * than every packet seen from it (reordered or duplicate; its number is already fixed, so
     * forwarding it keeps the output gap-free, and dropping it leaves a hole a NACK will ask for).
     *
     * @param vp8OrNull the packet's VP8 descriptor, wrapped over its payload; null for audio
     */
    public boolean skip(RtpPacket packet, Vp8PayloadDescriptor vp8OrNull) {
        if (packet.ssrc() != currentSource) {
            skipsRefused++;
            return false;
        }
        long seqExt = seq.extend(packet.sequenceNumber(), 16);
        if (seqExt <= seq.srcHighest) {
            skipsRefused++;
            return false;
        }
        // Numbers of source packets between the newest seen and this one (lost or late) stay
        // reserved at the current offset; record them before the offset moves.
        fillHistory(seqExt + seq.offset);
        seq.skip(seqExt);
        if (vp8OrNull != null && vp8OrNull.isWrapped() && vp8OrNull.hasPictureId() && pictureId.sourceStarted) {
            long picExt = pictureId.extend(vp8OrNull.pictureId(), vp8OrNull.pictureIdBits());
            if (picExt > pictureId.srcHighest) {
                pictureId.skip(picExt);
            }
        }
        packetsSkipped++;
        return true;
    }

    /**
     * The source sequence number behind outgoing sequence number {@code outSequenceNumber}, or -1
     * if it is not among the last {@code historySize} numbers (or was never used). Numbers given
     * to packets the SFU never received are answered too.
     */
    public int sourceSequenceNumber(int outSequenceNumber) {
        int slot = historySlot(outSequenceNumber);
        return slot < 0 ? -1 : (int) (history[slot] & SequenceNumbers.MASK);
    }

    /** The SSRC of the source behind {@code outSequenceNumber}, or -1; see {@link #sourceSequenceNumber}. */
    public long sourceSsrc(int outSequenceNumber) {
        int slot = historySlot(outSequenceNumber);
        return slot < 0 ? -1 : history[slot] >>> 16;
    }

    /**
     * The outgoing RTP timestamp for {@code sourceTimestamp} of the current source, for relaying that source's
     * sender reports on the rewritten stream (RFC 3550 §6.4.1: the NTP/RTP pair must use the stream's timeline);
     * -1 before the first switch or for a source that is not current.
     */
    public long outTimestamp(long sourceSsrc, long sourceTimestamp) {
        if (currentSource == NONE || sourceSsrc != currentSource || !timestamp.sourceStarted) {
            return -1;
        }
        return (timestamp.extend(sourceTimestamp & 0xFFFF_FFFFL, 32) + timestamp.offset) & 0xFFFF_FFFFL;
    }

    /** A snapshot of the counters (allocates). */
    public Stats stats() {
        return new Stats(packetsRewritten, packetsSkipped, switches, droppedOtherSource, droppedTooOld, skipsRefused);
    }

    @Override
    public String toString() {
        return "StreamRewriter[outSsrc=" + outSsrc + ", current=" + currentSource + ", target=" + targetSource
                + ", " + stats() + "]";
    }

    // ---- internals ----------------------------------------------------------------------------

    private static boolean canStartStream(Vp8PayloadDescriptor vp8OrNull) {
        return vp8OrNull == null || vp8OrNull.isWrapped() && vp8OrNull.isKeyframe();
    }

    /** Makes the packet's SSRC the current source, continuing every field after the highest sent. */
    private void startSource(RtpPacket packet, long nowNanos) {
        currentSource = packet.ssrc();
        targetSource = NONE;
        switches++;

        seq.start(packet.sequenceNumber(), 1);
        if (historyStarted && seq.outHighest < historyHighest) {
            // Numbers reserved for the old source above its last sent packet are given to the new one.
            historyCount = (int) Math.max(0, historyCount - (historyHighest - seq.outHighest));
            historyHighest = seq.outHighest;
        }
        timestamp.start(packet.timestamp(), ticksSince(nowNanos));
        pictureId.sourceStarted = false;
        tl0PicIdx.sourceStarted = false;
    }

    /**
     * Clock ticks for the wall time since the last packet was sent: at least 1, and for pauses
     * beyond {@link #MAX_SWITCH_GAP_NANOS} (a publisher gone quiet) no more than that gap's worth,
     * which also keeps the step well inside half the 32-bit timestamp circle.
     */
    private long ticksSince(long nowNanos) {
        long elapsed = Math.min(nowNanos - lastSentNanos, MAX_SWITCH_GAP_NANOS);
        return Math.max(1, elapsed * clockRate / NANOS_PER_SECOND);
    }

    /** Maps a picture id or TL0PICIDX, starting the field for this source on its first value. */
    private static long mapLazily(Mapper mapper, int value, int bits) {
        if (!mapper.sourceStarted) {
            mapper.start(value, 1);
        }
        return mapper.map(mapper.extend(value, bits), false);
    }

    /**
     * Records the source numbers behind the outgoing numbers between the highest recorded and
     * {@code upToOut} (exclusive): packets not received yet, numbered at the current offset.
     */
    private void fillHistory(long upToOut) {
        if (!historyStarted) {
            return;
        }
        long from = historyHighest + 1;
        if (upToOut - from > history.length) {
            from = upToOut - history.length;
            historyHighest = from - 1;
            historyCount = 0;
        }
        for (long out = from; out < upToOut; out++) {
            putHistory(out, out - seq.offset);
        }
    }

    private void putHistory(long out, long sourceExt) {
        if (!historyStarted) {
            historyStarted = true;
            historyHighest = out - 1;
            historyCount = 0;
        }
        if (out > historyHighest) {
            // fillHistory ran first, so out == historyHighest + 1
            historyHighest = out;
            historyCount = Math.min(historyCount + 1, history.length);
        } else if (historyHighest - out >= historyCount) {
            return;
        }
        history[(int) out & historyMask] = currentSource << 16 | (sourceExt & SequenceNumbers.MASK);
    }

    private int historySlot(int outSequenceNumber) {
        if (!historyStarted) {
            return -1;
        }
        int back = SequenceNumbers.forwardDistance(outSequenceNumber, (int) historyHighest);
        if (back >= historyCount) {
            return -1;
        }
        return (int) (historyHighest - back) & historyMask;
    }

    /**
     * One rewritten field: {@code out = ext + offset + (skips above ext)}, where ext is the source
     * value unwrapped relative to the highest seen from the current source. The outgoing side
     * ({@link #outHighest}) spans all sources.
     */
    private static final class Mapper {

        static final long REFUSED = Long.MIN_VALUE;

        boolean sourceStarted;
        /** Highest unwrapped value seen (sent or skipped) from the current source. */
        long srcHighest;
        /** The value the current source started at. */
        long startPoint;
        /** Offset for values above the newest skip. */
        long offset;

        boolean outStarted;
        /** Highest value sent, across all sources. */
        long outHighest;

        /** Skipped source values of the current source, ascending, in a ring. */
        private final long[] skips = new long[SKIP_HISTORY_SIZE];
        private int skipCount;
        private int skipNext;
        /** Highest skip that fell out of the ring; values up to it can no longer be mapped. */
        private long forgottenSkip;

        /** Starts a source at {@code value}, mapped to {@code outHighest + step}, or to itself for the first source. */
        void start(long value, long step) {
            sourceStarted = true;
            srcHighest = value;
            startPoint = value;
            offset = outStarted ? outHighest + step - value : 0;
            skipCount = 0;
            skipNext = 0;
            forgottenSkip = Long.MIN_VALUE;
        }

        /** {@code value}, {@code bits} wide, unwrapped to the nearest of {@link #srcHighest}. */
        long extend(long value, int bits) {
            if (!sourceStarted) {
                return value;
            }
            long modulus = 1L << bits;
            long ahead = (value - srcHighest) & (modulus - 1);
            return srcHighest + (ahead < modulus / 2 ? ahead : ahead - modulus);
        }

        /**
         * The outgoing value for {@code ext}, which becomes sent. Strict mode refuses values below
         * the start point, values that were skipped, and values older than the remembered skips;
         * lenient mode maps them as well as it can.
         */
        long map(long ext, boolean strict) {
            if (strict && ext < startPoint) {
                return REFUSED;
            }
            long above = 0;
            int i = skipNext;
            int remaining = skipCount;
            while (remaining > 0) {
                i = (i - 1) & (SKIP_HISTORY_SIZE - 1);
                long skipped = skips[i];
                if (skipped < ext) {
                    break;
                }
                if (skipped == ext) {
                    if (strict) {
                        return REFUSED;
                    }
                    break;
                }
                above++;
                remaining--;
            }
            if (strict && remaining == 0 && ext <= forgottenSkip) {
                return REFUSED;
            }
            if (ext > srcHighest) {
                srcHighest = ext;
            }
            long out = ext + offset + above;
            if (!outStarted || out > outHighest) {
                outHighest = out;
                outStarted = true;
            }
            return out;
        }

        /** Takes {@code ext}, newer than {@link #srcHighest}, out of the numbering. */
        void skip(long ext) {
            if (skipCount == SKIP_HISTORY_SIZE) {
                forgottenSkip = skips[skipNext];
            } else {
                skipCount++;
            }
            skips[skipNext] = ext;
            skipNext = (skipNext + 1) & (SKIP_HISTORY_SIZE - 1);
            srcHighest = ext;
            offset--;
        }
    }
}
