package org.videoroom.media;

import org.videoroom.rtp.RtpPacket;

/**
 * How loud one publisher is, from the RFC 6464 audio level its microphone packets carry: a smoothed loudness in
 * dB above the extension's floor (0 = silence or -127 dBov, 127 = 0 dBov). It is a receive-pipeline arrival
 * observer: it reads one byte of the packet that the demux would route anyway, and keeps two numbers.
 *
 * <p>Thread-safety: {@link #onArrival} on the transport's receive thread only; {@link #loudness} from any thread.
 */
final class SpeechActivity implements ReceivePipeline.ArrivalObserver {

    /** Without a packet for this long the publisher counts as silent (DTX, muted, gone). */
    static final long SILENT_AFTER_NANOS = 400_000_000L;
    /** Weight of one packet (20 ms of audio) in the average: about 100 ms of memory, as a syllable. */
    private static final double WEIGHT = 0.2;

    private volatile int extensionId = -1;
    /** Smoothed loudness times 256, written by the receive thread only. */
    private volatile int smoothed;
    private volatile long lastNanos;
    private volatile boolean heard;

    /** The audio level extension's id in what the publisher sends, -1 when not negotiated. */
    void extensionId(int id) {
        extensionId = id;
    }

    @Override
    public void onArrival(RtpPacket packet, long arrivalNanos) {
        int id = extensionId;
        if (id <= 0) {
            return;
        }
        // Only audio packets carry the extension (one id means one URI across a bundle).
        int level = packet.audioLevel(id);
        if (level < 0) {
            return;
        }
        int loudness = (127 - level) << 8;
        int before = !heard || arrivalNanos - lastNanos > SILENT_AFTER_NANOS ? 0 : smoothed;
        smoothed = before + (int) Math.round((loudness - before) * WEIGHT);
        lastNanos = arrivalNanos;
        heard = true;
    }

    /** The smoothed loudness now, 0 (silent) .. 127 (0 dBov). */
    double loudness(long nowNanos) {
        if (!heard || nowNanos - lastNanos > SILENT_AFTER_NANOS) {
            return 0;
        }
        return smoothed / 256.0;
    }
}
