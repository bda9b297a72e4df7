package org.videoroom.load.media;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.videoroom.load.recording.Recording;
import org.videoroom.load.recording.RecordedTrack.Frame;
import org.videoroom.load.recording.RecordedTrack;
import org.videoroom.load.session.OfferSdp;

/**
 * What one synthetic participant publishes: the recording's Opus track and its VP8 layers as simulcast, paced by
 * the recording's frame times, packetized as Chromium does (RFC 7587 Opus, one frame per packet; RFC 7741 VP8 with
 * a 15-bit picture id, TL0PICIDX and TID, frames split into equal packets of at most {@link #MAX_PAYLOAD} bytes),
 * with the mid, rid, abs-send-time, transport-wide sequence and audio level extensions of our offer.
 *
 * <p>A PLI or FIR for a layer makes its next frame the recording's next keyframe (skipping ahead, as an encoder
 * would answer at once); a NACK is answered with RTX (RFC 4588) from a short history of what was sent.
 *
 * <p>For tests of the server's defences it can also misbehave: send its video with SSRCs of someone else's
 * ({@link #sendVideoAs}), or RTX copies of old packets nobody asked for ({@link #unsolicitedRtxPerTick}).
 *
 * <p>Thread-safety: {@link #tick} on one pacing thread; {@link #requestKeyframe} and {@link #retransmit} from any
 * (the receive thread, on the server's RTCP), handed over through a flag and a queue.
 */
public final class Publisher {

    /** Encrypts and sends one plain RTP packet in place; {@code buf} has tail room for the tag. */
    @FunctionalInterface
    public interface Output {
        void sendRtp(byte[] buf, int off, int len);
    }

    /** Largest VP8 payload (descriptor included) per packet: Chromium's packets stay below about 1,200 bytes. */
    static final int MAX_PAYLOAD = 1_100;
    private static final int VP8_DESCRIPTOR_BYTES = 6;
    private static final int HISTORY = 256;
    private static final int BUFFER_BYTES = 1_500;
    /** A pacing thread that fell this far behind (a pause) skips the frames instead of bursting them. */
    private static final long MAX_LAG_NANOS = 500_000_000L;
    private static final int SILENCE = 127;

    private final Output output;
    private final OutStream audio;
    private final OutStream[] video;
    private final byte[] packet = new byte[BUFFER_BYTES];
    private final byte[] midAudio = RtpWriter.ascii(OfferSdp.AUDIO_MID);
    private final byte[] midVideo = RtpWriter.ascii(OfferSdp.VIDEO_MID);
    private final ConcurrentLinkedQueue<long[]> nacks = new ConcurrentLinkedQueue<>();
    private int transportSequence;
    private boolean started;

    private volatile long packetsSent;
    private volatile long bytesSent;
    private volatile long retransmissionsSent;
    private volatile long keyframesForced;
    private volatile int unsolicitedRtxPerTick;
    private volatile long unsolicitedRtxSent;

    public Publisher(Recording recording, Random random, Output output) {
        this.output = output;
        transportSequence = random.nextInt(0x10000);
        audio = new OutStream(recording.audio(), OfferSdp.OPUS_PT, null, random, false);
        List<RecordedTrack> layers = recording.videoLayers();
        video = new OutStream[layers.size()];
        for (int i = 0; i < video.length; i++) {
            video[i] = new OutStream(layers.get(i), OfferSdp.VP8_PT, RtpWriter.ascii(OfferSdp.RIDS.get(i)), random,
                    true);
        }
    }

    public long audioSsrc() {
        return audio.ssrc;
    }

    /** The SSRCs of the video layers, lowest first. */
    public long[] videoSsrcs() {
        long[] ssrcs = new long[video.length];
        for (int i = 0; i < video.length; i++) {
            ssrcs[i] = video[i].ssrc;
        }
        return ssrcs;
    }

    /** Sends whatever frames are due at {@code nowNanos}, and the retransmissions asked for since the last tick. */
    public void tick(long nowNanos) {
        if (!started) {
            started = true;
            audio.nextDueNanos = nowNanos;
            for (OutStream s : video) {
                s.nextDueNanos = nowNanos;
            }
        }
        for (long[] nack; (nack = nacks.poll()) != null; ) {
            answerNack(nack);
        }
        for (int i = unsolicitedRtxPerTick; i > 0; i--) {
            for (OutStream s : video) {
                int slot = s.nextFloodSlot();
                if (slot >= 0) {
                    sendRtx(s, slot);
                    unsolicitedRtxSent++;
                }
            }
        }
        sendDue(audio, nowNanos);
        for (OutStream s : video) {
            sendDue(s, nowNanos);
        }
    }

    /** The layer with SSRC {@code mediaSsrc} sends a keyframe next. */
    public void requestKeyframe(long mediaSsrc) {
        for (OutStream s : video) {
            if (s.ssrc == mediaSsrc) {
                s.keyframeWanted = true;
            }
        }
    }

    /** Retransmits the listed sequence numbers of {@code mediaSsrc} at the next tick, those still in the history. */
    public void retransmit(long mediaSsrc, int[] sequenceNumbers) {
        long[] request = new long[sequenceNumbers.length + 1];
        request[0] = mediaSsrc;
        for (int i = 0; i < sequenceNumbers.length; i++) {
            request[i + 1] = sequenceNumbers[i];
        }
        nacks.add(request);
    }

    /**
     * Hostile: the video layers go out with these SSRCs (lowest layer first; fewer leave the rest as they are),
     * say another participant's. Call before media starts.
     */
    public void sendVideoAs(long[] ssrcs) {
        for (int i = 0; i < Math.min(ssrcs.length, video.length); i++) {
            video[i].ssrc = ssrcs[i];
        }
    }

    /** Hostile: from the next tick on, each video layer also resends this many old packets a tick, unasked. */
    public void unsolicitedRtxPerTick(int count) {
        unsolicitedRtxPerTick = count;
    }

    public long unsolicitedRtxSent() {
        return unsolicitedRtxSent;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long retransmissionsSent() {
        return retransmissionsSent;
    }

    public long keyframesForced() {
        return keyframesForced;
    }

    private void sendDue(OutStream s, long nowNanos) {
        if (nowNanos - s.nextDueNanos > MAX_LAG_NANOS) {
            s.nextDueNanos = nowNanos;
        }
        while (nowNanos >= s.nextDueNanos) {
            if (s.isVideo) {
                sendVideoFrame(s);
            } else {
                sendAudioFrame(s);
            }
            s.nextDueNanos += s.frameDurationNanos;
        }
    }

    private void sendAudioFrame(OutStream s) {
        Frame frame = s.nextFrame();
        int p = RtpWriter.header(packet, 0, true, false, s.payloadType, s.nextSequence(), s.timestamp(), s.ssrc);
        int block = p;
        p = RtpWriter.beginExtensions(packet, p);
        p = RtpWriter.audioLevel(packet, p, OfferSdp.AUDIO_LEVEL_ID, SILENCE, false);
        p = RtpWriter.stringElement(packet, p, OfferSdp.MID_ID, midAudio);
        p = stampTimes(p);
        p = RtpWriter.endExtensions(packet, block, p);
        byte[] data = frame.data();
        System.arraycopy(data, 0, packet, p, data.length);
        send(p + data.length);
        s.framesSent++;
    }

    private void sendVideoFrame(OutStream s) {
        if (s.keyframeWanted) {
            s.keyframeWanted = false;
            if (!s.track.frames().get(s.frameIndex).keyframe()) {
                s.frameIndex = s.track.nextKeyframeIndex(s.frameIndex);
                keyframesForced++;
            }
        }
        Frame frame = s.nextFrame();
        byte[] data = frame.data();
        int packets = Math.max(1, (data.length + MAX_PAYLOAD - VP8_DESCRIPTOR_BYTES - 1)
                / (MAX_PAYLOAD - VP8_DESCRIPTOR_BYTES));
        int chunk = (data.length + packets - 1) / packets;
        long timestamp = s.timestamp();
        s.pictureId = (s.pictureId + 1) & 0x7FFF;
        s.tl0PicIdx = (s.tl0PicIdx + 1) & 0xFF;
        for (int i = 0, from = 0; i < packets; i++, from += chunk) {
            int length = Math.min(chunk, data.length - from);
            int sequence = s.nextSequence();
            int p = RtpWriter.header(packet, 0, true, i == packets - 1, s.payloadType, sequence, timestamp, s.ssrc);
            int block = p;
            p = RtpWriter.beginExtensions(packet, p);
            p = RtpWriter.stringElement(packet, p, OfferSdp.MID_ID, midVideo);
            p = RtpWriter.stringElement(packet, p, OfferSdp.RID_ID, s.rid);
            p = stampTimes(p);
            p = RtpWriter.endExtensions(packet, block, p);
            int payload = p;
            // RFC 7741 §4.2: X, S on a frame's first packet, partition 0; I with a 15-bit id, L, T (TID 0, Y).
            packet[p++] = (byte) (i == 0 ? 0x90 : 0x80);
            packet[p++] = (byte) 0xE0;
            packet[p++] = (byte) (0x80 | (s.pictureId >>> 8));
            packet[p++] = (byte) s.pictureId;
            packet[p++] = (byte) s.tl0PicIdx;
            packet[p++] = (byte) 0x20;
            System.arraycopy(data, from, packet, p, length);
            p += length;
            s.remember(sequence, packet, payload, p - payload);
            send(p);
        }
        s.framesSent++;
    }

    /** abs-send-time and the transport-wide sequence number, stamped last so pacing delays do not count. */
    private int stampTimes(int p) {
        p = RtpWriter.absSendTime(packet, p, OfferSdp.ABS_SEND_TIME_ID, AbsSendTime.of(System.nanoTime()));
        p = RtpWriter.transportSequence(packet, p, OfferSdp.TRANSPORT_CC_ID, transportSequence);
        transportSequence = (transportSequence + 1) & 0xFFFF;
        return p;
    }

    private void answerNack(long[] request) {
        for (OutStream s : video) {
            if (s.ssrc != request[0]) {
                continue;
            }
            for (int i = 1; i < request.length; i++) {
                int slot = s.historySlot((int) request[i]);
                if (slot >= 0) {
                    sendRtx(s, slot);
                }
            }
        }
    }

    private void sendRtx(OutStream s, int slot) {
        int p = RtpWriter.header(packet, 0, true, s.historyMarker[slot], OfferSdp.RTX_PT, s.rtxSequence,
                s.historyTimestamp[slot], s.rtxSsrc);
        s.rtxSequence = (s.rtxSequence + 1) & 0xFFFF;
        int block = p;
        p = RtpWriter.beginExtensions(packet, p);
        p = RtpWriter.stringElement(packet, p, OfferSdp.MID_ID, midVideo);
        p = RtpWriter.stringElement(packet, p, OfferSdp.REPAIRED_RID_ID, s.rid);
        p = stampTimes(p);
        p = RtpWriter.endExtensions(packet, block, p);
        // RFC 4588 §4: the original sequence number, then the original payload.
        int original = s.historySequence[slot];
        packet[p++] = (byte) (original >>> 8);
        packet[p++] = (byte) original;
        System.arraycopy(s.history[slot], 0, packet, p, s.historyLength[slot]);
        p += s.historyLength[slot];
        retransmissionsSent++;
        send(p);
    }

    private void send(int length) {
        packetsSent++;
        bytesSent += length;
        output.sendRtp(packet, 0, length);
    }

    /** One outgoing stream: a recorded track and where its replay stands. */
    private static final class OutStream {
        final RecordedTrack track;
        final int payloadType;
        final byte[] rid;
        final boolean isVideo;
        /** Written only before media starts ({@link #sendVideoAs}). */
        volatile long ssrc;
        final long rtxSsrc;
        final long frameDurationNanos;
        final long timestampBase;
        final long clockRate;
        int sequence;
        int rtxSequence;
        int frameIndex;
        long framesSent;
        long nextDueNanos;
        int pictureId;
        int tl0PicIdx;
        int floodCursor;
        volatile boolean keyframeWanted;
        // The history of sent packets, for RTX: payload (VP8 descriptor on), sequence number, timestamp, marker.
        final byte[][] history;
        final int[] historySequence;
        final int[] historyLength;
        final long[] historyTimestamp;
        final boolean[] historyMarker;

        OutStream(RecordedTrack track, int payloadType, byte[] rid, Random random, boolean isVideo) {
            this.track = track;
            this.payloadType = payloadType;
            this.rid = rid;
            this.isVideo = isVideo;
            this.ssrc = random.nextInt() & 0xFFFF_FFFFL;
            this.rtxSsrc = random.nextInt() & 0xFFFF_FFFFL;
            this.frameDurationNanos = track.frameDurationMicros() * 1_000L;
            this.timestampBase = random.nextInt() & 0xFFFF_FFFFL;
            this.clockRate = track.clockRate();
            this.sequence = random.nextInt(0x10000);
            this.rtxSequence = random.nextInt(0x10000);
            this.pictureId = random.nextInt(0x8000);
            this.tl0PicIdx = random.nextInt(0x100);
            int slots = isVideo ? HISTORY : 0;
            history = new byte[slots][BUFFER_BYTES];
            historySequence = new int[slots];
            Arrays.fill(historySequence, -1);
            historyLength = new int[slots];
            historyTimestamp = new long[slots];
            historyMarker = new boolean[slots];
        }

        Frame nextFrame() {
            List<Frame> frames = track.frames();
            Frame frame = frames.get(frameIndex);
            frameIndex = (frameIndex + 1) % frames.size();
            return frame;
        }

        int nextSequence() {
            int s = sequence;
            sequence = (sequence + 1) & 0xFFFF;
            return s;
        }

        /** The RTP timestamp of the frame about to be sent: media time, whatever frames were skipped. */
        long timestamp() {
            return (timestampBase + framesSent * track.frameDurationMicros() * clockRate / 1_000_000L) & 0xFFFF_FFFFL;
        }

        void remember(int sequenceNumber, byte[] buf, int payloadOff, int payloadLen) {
            int slot = sequenceNumber % HISTORY;
            System.arraycopy(buf, payloadOff, history[slot], 0, payloadLen);
            historySequence[slot] = sequenceNumber;
            historyLength[slot] = payloadLen;
            historyTimestamp[slot] = timestamp();
            historyMarker[slot] = (buf[1] & 0x80) != 0;
        }

        /** The next remembered packet after the last one flooded, or -1 while nothing was sent. */
        int nextFloodSlot() {
            for (int tried = 0; tried < historySequence.length; tried++) {
                floodCursor = (floodCursor + 1) % historySequence.length;
                if (historySequence[floodCursor] >= 0) {
                    return floodCursor;
                }
            }
            return -1;
        }

        int historySlot(int sequenceNumber) {
            int slot = (sequenceNumber & 0xFFFF) % HISTORY;
            return historySequence[slot] == (sequenceNumber & 0xFFFF) ? slot : -1;
        }
    }
}
