package org.videoroom.rtcp;

/**
 * Conversions for the 64-bit NTP timestamps of sender reports (RFC 3550 §4): seconds since
 * 1900-01-01 in the upper 32 bits, binary fraction of a second in the lower 32.
 *
 * <p>The seconds field wraps in February 2036 (NTP era 1). Following RFC 4330 §3, a timestamp
 * whose top bit is clear is read as era 1 (2036-2104) and one with it set as era 0 (1968-2036), so
 * conversions stay right across the wrap.
 *
 * <p>Round-trip time from a receiver report (RFC 3550 §6.4.1): {@code rtt = arrival - LSR - DLSR},
 * all in the "compact" 16.16 format: {@code NtpTime.compact(nowNtp) - block.lastSenderReport() -
 * block.delaySinceLastSenderReport()}, then {@link #compactToNanos}.
 *
 * <p>Thread-safety: stateless.
 */
public final class NtpTime {

    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long ERA_SECONDS = 1L << 32;

    private NtpTime() {
    }

    /** The NTP timestamp of a wallclock time given in nanoseconds since the Unix epoch. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND) + UNIX_EPOCH_OFFSET_SECONDS;
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return (seconds & 0xFFFF_FFFFL) << 32 | fraction;
    }

    /** Nanoseconds since the Unix epoch of an NTP timestamp (rounded down to the nanosecond). */
    public static long toUnixNanos(long ntp) {
        long seconds = ntp >>> 32;
        if (seconds < 0x8000_0000L) {
            seconds += ERA_SECONDS; // era 1: February 2036 onwards
        }
        long fraction = ntp & 0xFFFF_FFFFL;
        return (seconds - UNIX_EPOCH_OFFSET_SECONDS) * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /** The middle 32 bits (16.16 seconds), as carried in a report block's LSR field (RFC 3550 §6.4.1). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /** A duration in the 16.16 compact format (1/65536 s units, e.g. DLSR), wrapped to 32 bits. */
    public static long nanosToCompact(long nanos) {
        // Whole seconds and the remainder separately, so that long durations cannot overflow.
        long seconds = nanos / NANOS_PER_SECOND;
        long remainder = nanos % NANOS_PER_SECOND;
        return ((seconds << 16) + (remainder << 16) / NANOS_PER_SECOND) & 0xFFFF_FFFFL;
    }

    /** Nanoseconds of a duration in the 16.16 compact format. */
    public static long compactToNanos(long compact) {
        return ((compact & 0xFFFF_FFFFL) * NANOS_PER_SECOND) >>> 16;
    }
}
