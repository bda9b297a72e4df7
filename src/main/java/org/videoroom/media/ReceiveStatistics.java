package org.videoroom.media;

import org.videoroom.rtcp.NtpTime;
import org.videoroom.rtcp.ReportBlock;
import org.videoroom.rtp.SequenceNumberUnwrapper;

/**
 * What a receiver knows about one incoming RTP stream, kept as RFC 3550 Appendix A.3 (loss) and A.8 (jitter)
 * describe, and turned into a {@link ReportBlock} for the sender's receiver report. Sender reports feed LSR and
 * DLSR (§6.4.1) so the sender can compute the round-trip time.
 *
 * <p>Thread-safety: {@link #onPacket} runs on the publisher's receive thread; {@link #reportBlock} and
 * {@link #onSenderReport} on others, so all methods synchronize (uncontended, a few times a second for the last
 * two).
 */
final class ReceiveStatistics {

    private final long ssrc;
    private final int clockRate;
    private final SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
    private long baseSequence = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private int lastTransit;
    private boolean haveTransit;
    private long firstArrivalNanos;
    private long lastSenderReportCompactNtp;
    private long lastSenderReportArrivalNanos;
    private boolean haveSenderReport;

    ReceiveStatistics(long ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    synchronized void onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        long extended = unwrapper.unwrap(sequenceNumber);
        if (baseSequence < 0) {
            baseSequence = extended;
        }
        received++;
        if (clockRate > 0) {
            // A.8: transit time in RTP units; its successive differences estimate the jitter. Arrival counts from
            // the first packet (no overflow on a long uptime), and transit is kept modulo 2^32 like the RTP
            // timestamp, so the difference stays right when the timestamp wraps.
            if (!haveTransit) {
                firstArrivalNanos = arrivalNanos;
            }
            long arrivalUnits = (arrivalNanos - firstArrivalNanos) / 1000 * clockRate / 1_000_000;
            int transit = (int) (arrivalUnits - rtpTimestamp);
            if (haveTransit) {
                long d = Math.abs((long) (transit - lastTransit));
                jitter += (d - jitter) / 16.0;
            }
            lastTransit = transit;
            haveTransit = true;
        }
    }

    synchronized void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSenderReportCompactNtp = NtpTime.compact(ntpTimestamp);
        lastSenderReportArrivalNanos = arrivalNanos;
        haveSenderReport = true;
    }

    /** The report block for now, or null before the first packet. Advances the "prior" interval (A.3). */
    synchronized ReportBlock reportBlock(long nowNanos) {
        if (baseSequence < 0) {
            return null;
        }
        long highest = unwrapper.highest();
        long expected = highest - baseSequence + 1;
        long lost = Math.max(Math.min(expected - received, ReportBlock.MAX_CUMULATIVE_LOST),
                ReportBlock.MIN_CUMULATIVE_LOST);
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = 0;
        if (haveSenderReport) {
            // DLSR is in units of 1/65536 s.
            dlsr = ((nowNanos - lastSenderReportArrivalNanos) * 65536L) / 1_000_000_000L;
        }
        return new ReportBlock(ssrc, Math.min(fraction, 255), (int) lost, highest & 0xFFFFFFFFL,
                ((long) jitter) & 0xFFFFFFFFL, lastSenderReportCompactNtp, dlsr & 0xFFFFFFFFL);
    }
}
