package org.videoroom.load.media;

import java.util.Arrays;

/**
 * One stream a synthetic subscriber receives from the server (the SSRC the server announced for one of our receive
 * MIDs): what arrived, what is missing, jitter (RFC 3550 §6.4.1) and whether a keyframe came. Retransmissions
 * (RTX) fill the gaps they repair; a packet is counted once however often it comes.
 *
 * <p>Thread-safety: written by the subscriber's receive thread; the counters are volatile for the sampler.
 */
public final class InStream {

    private static final int WINDOW = 2048;
    private static final int WINDOW_MASK = WINDOW - 1;

    private final String mid;
    private final String publisherId;
    private final boolean video;
    private final long ssrc;
    private final long rtxSsrc;
    private final int clockRate;
    private final boolean[] seen = new boolean[WINDOW];

    private long base = -1;
    private long highest = -1;
    private double jitter;
    private long lastTransit;
    private boolean transitKnown;

    private volatile long unique;
    private volatile long duplicates;
    private volatile long recovered;
    private volatile long frames;
    private volatile long keyframes;
    private volatile long bytes;
    private volatile long firstArrivalNanos;

    public InStream(String mid, String publisherId, boolean video, long ssrc, long rtxSsrc) {
        this.mid = mid;
        this.publisherId = publisherId;
        this.video = video;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.clockRate = video ? 90_000 : 48_000;
    }

    public String mid() {
        return mid;
    }

    public String publisherId() {
        return publisherId;
    }

    public boolean video() {
        return video;
    }

    public long ssrc() {
        return ssrc;
    }

    public long rtxSsrc() {
        return rtxSsrc;
    }

    /**
     * A packet of this stream arrived (or was repaired by RTX). Returns the number of sequence numbers newly known
     * missing (the gap it opened), which the caller may NACK: {@code highest - gap + 1 .. highest - 1}.
     */
    int onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos, int length, boolean retransmission,
                 boolean marker, boolean keyframeStart) {
        long extended = extend(sequenceNumber);
        int gap = 0;
        if (base < 0) {
            base = extended;
            highest = extended;
            firstArrivalNanos = arrivalNanos;
        } else if (extended > highest) {
            if (extended - highest >= WINDOW) {
                // A jump beyond the window: what lay between counts as lost, the window starts afresh.
                Arrays.fill(seen, false);
            } else {
                for (long s = highest + 1; s <= extended; s++) {
                    seen[(int) (s & WINDOW_MASK)] = false;
                }
                gap = (int) (extended - highest - 1);
            }
            highest = extended;
        } else if (highest - extended >= WINDOW || extended < base) {
            duplicates++;
            return 0;
        }
        int slot = (int) (extended & WINDOW_MASK);
        if (seen[slot]) {
            duplicates++;
            return 0;
        }
        seen[slot] = true;
        unique++;
        bytes += length;
        if (retransmission) {
            recovered++;
            return gap;
        }
        if (marker) {
            frames++;
        }
        if (keyframeStart) {
            keyframes++;
        }
        // RFC 3550 §6.4.1 and A.8, in timestamp units; only original packets, whose timestamps mean send time.
        long arrivalUnits = arrivalNanos / 1000 * clockRate / 1_000_000;
        long transit = arrivalUnits - rtpTimestamp;
        if (transitKnown) {
            // Modulo 2^32 as the timestamps are (A.8 uses 32-bit arithmetic): a wrap of the RTP timestamp is no
            // jump in transit time.
            long d = Math.abs((long) (int) (transit - lastTransit));
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        transitKnown = true;
        return gap;
    }

    /** The sequence number extended to 64 bits, nearest to the highest so far (RFC 3550 A.1's cycles). */
    private long extend(int sequenceNumber) {
        if (highest < 0) {
            // Room below for packets reordered before the first one.
            return 0x10000L + sequenceNumber;
        }
        short delta = (short) (sequenceNumber - (int) (highest & 0xFFFF));
        return highest + delta;
    }

    /** Sequence numbers from the first to the highest received that never arrived. */
    public long lost() {
        long h = highest;
        long b = base;
        return b < 0 ? 0 : Math.max(0, h - b + 1 - unique);
    }

    public long expected() {
        return base < 0 ? 0 : highest - base + 1;
    }

    public long extendedHighest() {
        return highest;
    }

    public long packets() {
        return unique;
    }

    public long duplicates() {
        return duplicates;
    }

    public long recovered() {
        return recovered;
    }

    public long frames() {
        return frames;
    }

    public long keyframes() {
        return keyframes;
    }

    public long bytes() {
        return bytes;
    }

    public long firstArrivalNanos() {
        return firstArrivalNanos;
    }

    /** Interarrival jitter in timestamp units. */
    public long jitterUnits() {
        return (long) jitter;
    }

    public double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }
}
