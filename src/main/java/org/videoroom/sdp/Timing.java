package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.List;

/**
 * A t= line with the r= lines that follow it (RFC 8866 §5.9, §5.10). WebRTC always writes
 * {@code t=0 0}: an unbounded session.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param startTime NTP seconds, 0 for unbounded
 * @param stopTime NTP seconds, 0 for unbounded
 * @param repeatTimes the values of the r= lines, kept as written
 */
public record Timing(long startTime, long stopTime, List<String> repeatTimes) {

    /** {@code t=0 0}. */
    public static final Timing UNBOUNDED = new Timing(0, 0, List.of());

    public Timing {
        require(startTime >= 0, "t= start-time", startTime);
        require(stopTime >= 0, "t= stop-time", stopTime);
        repeatTimes = List.copyOf(repeatTimes);
        for (String r : repeatTimes) {
            require(!r.isBlank(), "r= value", r);
        }
    }

    static Timing parse(String value) {
        List<String> f = SdpSyntax.words(value);
        long start = f.size() == 2 ? SdpSyntax.parseUnsigned(f.get(0), 19, Long.MAX_VALUE) : -1;
        long stop = f.size() == 2 ? SdpSyntax.parseUnsigned(f.get(1), 19, Long.MAX_VALUE) : -1;
        if (start < 0 || stop < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_TIMING, value);
        }
        return new Timing(start, stop, List.of());
    }

    /** This timing with one more r= line. */
    Timing withRepeat(String repeat) {
        List<String> all = new ArrayList<>(repeatTimes);
        all.add(repeat);
        return new Timing(startTime, stopTime, all);
    }

    /** The value after {@code t=}. */
    public String format() {
        return startTime + " " + stopTime;
    }
}
