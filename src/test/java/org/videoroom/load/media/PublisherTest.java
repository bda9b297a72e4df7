package org.videoroom.load.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.videoroom.load.recording.RecordedTrack;
import org.videoroom.load.recording.RecordedTrack.Frame;
import org.videoroom.load.recording.RecordedTrack.Kind;
import org.videoroom.load.recording.Recording;
import org.videoroom.load.session.OfferSdp;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.Vp8PayloadDescriptor;

/**
 * The publisher's packets, driven by a fake clock through an {@link Publisher.Output} that keeps copies, and read
 * back with the server's own parsers ({@link RtpPacket}, {@link Vp8PayloadDescriptor}). The recording is built in
 * memory: 20 ms Opus frames and three VP8-like layers whose frames carry their layer and index, so that every
 * packet can be traced to the frame it came from.
 */
class PublisherTest {

    private static final long START = 7_000_000_000_000L;
    private static final long STEP = 5_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** The largest datagram the publisher may produce: RTP header, extensions and {@link Publisher#MAX_PAYLOAD}. */
    private static final int MAX_PACKET = 1_150;

    private static final int AUDIO_FRAMES = 10;
    private static final int VIDEO_FRAMES = 12;
    /** Keyframes at 0 and 6; frame 1 is above the packet size, frames 3 and 4 sit at its edge, frame 6 spans 3. */
    private static final int[] VIDEO_SIZES = {2_500, 1_200, 300, 1_094, 1_095, 50, 3_001, 700, 900, 120, 1_500, 64};
    private static final Set<Integer> KEYFRAMES = Set.of(0, 6);

    private final Recording recording = Recording.of(List.of(audioTrack(), videoTrack(0, 320, 180),
            videoTrack(1, 640, 360), videoTrack(2, 1280, 720)));
    private final List<byte[]> sent = new ArrayList<>();
    private final Publisher publisher = new Publisher(recording, new Random(42),
            (buf, off, len) -> sent.add(Arrays.copyOfRange(buf, off, off + len)));
    private long now = START;

    // ---- audio -----------------------------------------------------------------------------------------------

    @Test
    void audioIsFiftyOpusPacketsPerSecondWith960TicksBetweenThem() {
        runFor(SECOND);

        List<RtpPacket> audio = packetsOf(publisher.audioSsrc());
        assertEquals(50, audio.size(), "one 20 ms frame per packet over 1 s");
        for (int i = 0; i < audio.size(); i++) {
            RtpPacket p = audio.get(i);
            int n = i;
            assertAll("audio packet " + i,
                    () -> assertEquals(OfferSdp.OPUS_PT, p.payloadType()),
                    () -> assertFalse(p.marker()),
                    () -> assertEquals(OfferSdp.AUDIO_MID, p.extensionAsString(OfferSdp.MID_ID)),
                    () -> assertEquals(127, p.audioLevel(OfferSdp.AUDIO_LEVEL_ID), "silence"),
                    () -> assertNull(p.extensionAsString(OfferSdp.RID_ID), "audio has no rid"),
                    () -> assertTrue(p.absSendTime(OfferSdp.ABS_SEND_TIME_ID) >= 0),
                    () -> assertTrue(p.transportWideCcSequenceNumber(OfferSdp.TRANSPORT_CC_ID) >= 0),
                    () -> assertArrayEquals(recording.audio().frames().get(n % AUDIO_FRAMES).data(), payload(p),
                            "the recorded Opus frame, looping"));
            if (i > 0) {
                RtpPacket before = audio.get(i - 1);
                assertEquals((before.sequenceNumber() + 1) & 0xFFFF, p.sequenceNumber(), "packet " + i);
                assertEquals((before.timestamp() + 960) & 0xFFFF_FFFFL, p.timestamp(), "packet " + i);
            }
        }
    }

    // ---- video -----------------------------------------------------------------------------------------------

    @Test
    void eachLayerSendsThirtyFramesPerSecondSplitIntoPacketsBelowTheMtu() {
        runFor(SECOND);

        long[] ssrcs = publisher.videoSsrcs();
        assertEquals(3, ssrcs.length);
        for (int layer = 0; layer < 3; layer++) {
            List<RtpPacket> packets = packetsOf(ssrcs[layer]);
            List<List<RtpPacket>> frames = frames(packets);
            assertEquals(30, frames.size(), "layer " + layer + ": frames every 33.3 ms over 1 s");
            for (RtpPacket p : packets) {
                assertTrue(p.length() <= MAX_PACKET, "a packet of " + p.length() + " bytes");
                assertEquals(OfferSdp.VP8_PT, p.payloadType());
                assertEquals(OfferSdp.VIDEO_MID, p.extensionAsString(OfferSdp.MID_ID));
                assertEquals(OfferSdp.RIDS.get(layer), p.extensionAsString(OfferSdp.RID_ID), "rid, lowest first");
                assertNull(p.extensionAsString(OfferSdp.REPAIRED_RID_ID), "no repaired-rid on the media stream");
                assertEquals(-1, p.audioLevel(OfferSdp.AUDIO_LEVEL_ID));
                assertTrue(p.absSendTime(OfferSdp.ABS_SEND_TIME_ID) >= 0);
                assertTrue(p.transportWideCcSequenceNumber(OfferSdp.TRANSPORT_CC_ID) >= 0);
            }
            for (int i = 1; i < packets.size(); i++) {
                assertEquals((packets.get(i - 1).sequenceNumber() + 1) & 0xFFFF, packets.get(i).sequenceNumber(),
                        "layer " + layer + ": sequence numbers without gaps");
            }
            for (int f = 0; f < frames.size(); f++) {
                int expected = f % VIDEO_FRAMES;
                List<RtpPacket> frame = frames.get(f);
                assertArrayEquals(recording.videoLayers().get(layer).frames().get(expected).data(),
                        reassemble(frame), "layer " + layer + " frame " + f);
                int size = VIDEO_SIZES[expected];
                int packetsForFrame = (size + Publisher.MAX_PAYLOAD - 7) / (Publisher.MAX_PAYLOAD - 6);
                assertEquals(packetsForFrame, frame.size(), "layer " + layer + " frame " + f + " of " + size
                        + " bytes");
            }
        }
    }

    @Test
    void aFramesPacketsShareTheTimestampAndTheLastCarriesTheMarker() {
        runFor(SECOND);

        for (long ssrc : publisher.videoSsrcs()) {
            List<List<RtpPacket>> frames = frames(packetsOf(ssrc));
            long first = frames.get(0).get(0).timestamp();
            for (int f = 0; f < frames.size(); f++) {
                List<RtpPacket> frame = frames.get(f);
                for (int i = 0; i < frame.size(); i++) {
                    assertEquals(i == frame.size() - 1, frame.get(i).marker(), "frame " + f + " packet " + i);
                    assertEquals(frame.get(0).timestamp(), frame.get(i).timestamp());
                }
                // 33,333 µs at 90 kHz is 2999.97 ticks: media time, truncated per frame.
                long expected = (first + f * 33_333L * 90_000L / 1_000_000L) & 0xFFFF_FFFFL;
                assertEquals(expected, frame.get(0).timestamp(), "frame " + f);
                if (f > 0) {
                    long step = (frame.get(0).timestamp() - frames.get(f - 1).get(0).timestamp()) & 0xFFFF_FFFFL;
                    assertTrue(step == 2_999 || step == 3_000, "a step of " + step);
                }
            }
        }
    }

    @Test
    void theVp8DescriptorMarksTheFrameStartAndNumbersPicturesIn15Bits() {
        runFor(SECOND);

        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        for (long ssrc : publisher.videoSsrcs()) {
            List<List<RtpPacket>> frames = frames(packetsOf(ssrc));
            int previousPictureId = -1;
            int previousTl0 = -1;
            for (int f = 0; f < frames.size(); f++) {
                List<RtpPacket> frame = frames.get(f);
                int pictureId = -1;
                for (int i = 0; i < frame.size(); i++) {
                    RtpPacket p = frame.get(i);
                    assertEquals(Vp8PayloadDescriptor.ParseResult.OK,
                            vp8.wrap(p.buffer(), p.payloadOffset(), p.payloadLength()));
                    String where = "frame " + f + " packet " + i;
                    assertEquals(i == 0, vp8.isStartOfFrame(), where);
                    assertEquals(0, vp8.partitionIndex(), where);
                    assertEquals(15, vp8.pictureIdBits(), where);
                    assertTrue(vp8.hasTl0PicIdx() && vp8.hasTid(), where);
                    assertEquals(0, vp8.temporalLayer(), where);
                    assertTrue(p.payloadLength() <= Publisher.MAX_PAYLOAD, where);
                    if (i == 0) {
                        pictureId = vp8.pictureId();
                        assertEquals(KEYFRAMES.contains(f % VIDEO_FRAMES), vp8.isKeyframe(), where);
                        if (previousPictureId >= 0) {
                            assertEquals((previousPictureId + 1) & 0x7FFF, pictureId, where);
                            assertEquals((previousTl0 + 1) & 0xFF, vp8.tl0PicIdx(), where);
                        }
                        previousPictureId = pictureId;
                        previousTl0 = vp8.tl0PicIdx();
                    } else {
                        assertEquals(pictureId, vp8.pictureId(), where + ": one picture id per frame");
                    }
                }
            }
        }
    }

    // ---- what all streams share --------------------------------------------------------------------------------

    @Test
    void theTransportWideSequenceRunsOnAcrossAllStreams() {
        runFor(SECOND);
        long layer = publisher.videoSsrcs()[1];
        List<RtpPacket> media = packetsOf(layer);
        publisher.retransmit(layer, new int[] {media.get(3).sequenceNumber()});
        runFor(SECOND / 10);

        int previous = -1;
        Set<Long> ssrcs = new HashSet<>();
        for (byte[] datagram : sent) {
            RtpPacket p = parse(datagram);
            ssrcs.add(p.ssrc());
            int sequence = p.transportWideCcSequenceNumber(OfferSdp.TRANSPORT_CC_ID);
            if (previous >= 0) {
                assertEquals((previous + 1) & 0xFFFF, sequence, "in send order, whatever the stream");
            }
            previous = sequence;
        }
        assertEquals(5, ssrcs.size(), "audio, three layers and an RTX stream");
        assertEquals(sent.size(), publisher.packetsSent());
        assertEquals(sent.stream().mapToLong(b -> b.length).sum(), publisher.bytesSent());
    }

    @Test
    void absSendTimeIsTheSendingMomentOnTheProcessClock() {
        long before = System.nanoTime();
        runFor(SECOND / 5);
        long after = System.nanoTime();

        for (byte[] datagram : sent) {
            int stamp = parse(datagram).absSendTime(OfferSdp.ABS_SEND_TIME_ID);
            long age = AbsSendTime.elapsedMicros(stamp, after);
            assertTrue(age <= (after - before) / 1_000 + 4, "stamped " + age + " µs before the end");
        }
    }

    @Test
    void aPauseSkipsTheMissedFramesInsteadOfBurstingThem() {
        runFor(SECOND / 10);
        int before = packetsOf(publisher.audioSsrc()).size();

        now += 3 * SECOND;
        publisher.tick(now);

        assertEquals(before + 1, packetsOf(publisher.audioSsrc()).size(), "one frame, not 150");
    }

    // ---- keyframe requests -------------------------------------------------------------------------------------

    @Test
    void aKeyframeRequestMakesTheLayersNextFrameTheRecordingsNextKeyframe() {
        long[] layers = publisher.videoSsrcs();
        // Frames 0, 1, 2 of every layer.
        runUntilFrames(layers[1], 3);

        publisher.requestKeyframe(layers[1]);
        runUntilFrames(layers[1], 5);

        assertEquals(List.of(0, 1, 2, 6, 7), frameIndexes(1), "frame 3 would be next; keyframe 6 comes instead");
        assertEquals(List.of(0, 1, 2, 3, 4), frameIndexes(0), "the other layers carry on");
        assertEquals(List.of(0, 1, 2, 3, 4), frameIndexes(2));
        assertEquals(1, publisher.keyframesForced());
    }

    @Test
    void aKeyframeRequestWhenAKeyframeIsDueAnywayChangesNothing() {
        long[] layers = publisher.videoSsrcs();
        runUntilFrames(layers[0], 6);

        publisher.requestKeyframe(layers[0]);
        publisher.requestKeyframe(publisher.audioSsrc());
        publisher.requestKeyframe(12345);
        runUntilFrames(layers[0], 8);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), frameIndexes(0));
        assertEquals(0, publisher.keyframesForced());
    }

    @Test
    void aKeyframeRequestAfterTheLastKeyframeWrapsToTheFirstFrame() {
        long[] layers = publisher.videoSsrcs();
        runUntilFrames(layers[2], 8);

        publisher.requestKeyframe(layers[2]);
        runUntilFrames(layers[2], 10);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 0, 1), frameIndexes(2));
        assertEquals(1, publisher.keyframesForced());
    }

    // ---- retransmissions ---------------------------------------------------------------------------------------

    @Test
    void aNackIsAnsweredWithRtxAtTheNextTick() {
        runFor(SECOND / 2);
        long ssrc = publisher.videoSsrcs()[2];
        List<RtpPacket> media = packetsOf(ssrc);
        RtpPacket first = media.get(0);
        RtpPacket last = media.get(media.size() - 1);
        RtpPacket middle = media.get(4);
        int sentBefore = sent.size();

        publisher.retransmit(ssrc, new int[] {middle.sequenceNumber(), last.sequenceNumber(), first.sequenceNumber()});
        assertEquals(sentBefore, sent.size(), "nothing until the pacing thread ticks");
        tickAgain(); // nothing new is due at the same instant

        List<RtpPacket> rtx = new ArrayList<>();
        for (byte[] datagram : sent.subList(sentBefore, sent.size())) {
            rtx.add(parse(datagram));
        }
        assertEquals(3, rtx.size());
        assertEquals(3, publisher.retransmissionsSent());
        List<RtpPacket> originals = List.of(middle, last, first);
        Set<Long> mediaSsrcs = Arrays.stream(publisher.videoSsrcs()).boxed().collect(Collectors.toSet());
        mediaSsrcs.add(publisher.audioSsrc());
        for (int i = 0; i < 3; i++) {
            RtpPacket r = rtx.get(i);
            int n = i;
            RtpPacket original = originals.get(i);
            byte[] payload = payload(r);
            assertAll("retransmission " + i,
                    () -> assertEquals(OfferSdp.RTX_PT, r.payloadType()),
                    () -> assertFalse(mediaSsrcs.contains(r.ssrc()), "its own SSRC"),
                    () -> assertEquals(rtx.get(0).ssrc(), r.ssrc(), "one RTX SSRC per layer"),
                    () -> assertEquals((rtx.get(0).sequenceNumber() + n) & 0xFFFF, r.sequenceNumber(),
                            "RTX numbers its own packets"),
                    () -> assertEquals(original.sequenceNumber(), RtpWriter.getUnsignedShort(payload, 0), "OSN"),
                    () -> assertArrayEquals(payload(original), Arrays.copyOfRange(payload, 2, payload.length),
                            "the original payload, VP8 descriptor included"),
                    () -> assertEquals(original.timestamp(), r.timestamp()),
                    () -> assertEquals(original.marker(), r.marker()),
                    () -> assertEquals(OfferSdp.RIDS.get(2), r.extensionAsString(OfferSdp.REPAIRED_RID_ID)),
                    () -> assertNull(r.extensionAsString(OfferSdp.RID_ID)),
                    () -> assertEquals(OfferSdp.VIDEO_MID, r.extensionAsString(OfferSdp.MID_ID)),
                    () -> assertTrue(r.absSendTime(OfferSdp.ABS_SEND_TIME_ID) >= 0),
                    () -> assertTrue(r.transportWideCcSequenceNumber(OfferSdp.TRANSPORT_CC_ID) >= 0));
        }
    }

    @Test
    void eachLayerRetransmitsOnItsOwnRtxSsrc() {
        runFor(SECOND / 2);
        long[] layers = publisher.videoSsrcs();
        int sentBefore = sent.size();
        for (long layer : layers) {
            publisher.retransmit(layer, new int[] {packetsOf(layer).get(2).sequenceNumber()});
        }
        tickAgain();

        Set<Long> rtxSsrcs = new HashSet<>();
        for (byte[] datagram : sent.subList(sentBefore, sent.size())) {
            RtpPacket r = parse(datagram);
            rtxSsrcs.add(r.ssrc());
        }
        assertEquals(3, sent.size() - sentBefore);
        assertEquals(3, rtxSsrcs.size());
    }

    @Test
    void nothingIsRetransmittedThatLeftTheHistoryOrWasNeverSent() {
        runFor(SECOND / 2);
        long ssrc = publisher.videoSsrcs()[0];
        int oldest = packetsOf(ssrc).get(0).sequenceNumber();
        // Well over 256 more packets of this layer, so the oldest left the history.
        runFor(12 * SECOND);
        List<RtpPacket> media = packetsOf(ssrc);
        assertTrue(media.size() > 256 + 20, media.size() + " packets");
        int next = (media.get(media.size() - 1).sequenceNumber() + 1) & 0xFFFF;
        int sentBefore = sent.size();

        publisher.retransmit(ssrc, new int[] {oldest, next});
        publisher.retransmit(publisher.audioSsrc(), new int[] {packetsOf(publisher.audioSsrc()).get(0)
                .sequenceNumber()});
        tickAgain();

        assertEquals(sentBefore, sent.size(), "aged out, not yet sent, and audio (no RTX for Opus)");
        assertEquals(0, publisher.retransmissionsSent());

        int recent = media.get(media.size() - 200).sequenceNumber();
        publisher.retransmit(ssrc, new int[] {recent});
        tickAgain();
        assertEquals(sentBefore + 1, sent.size(), "a packet 200 back is still there");
        byte[] rtx = payload(parse(sent.get(sent.size() - 1)));
        assertEquals(recent, RtpWriter.getUnsignedShort(rtx, 0));
        assertNotEquals(0, rtx.length);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void runFor(long nanos) {
        long end = now + nanos;
        while (now < end) {
            publisher.tick(now);
            now += STEP;
        }
    }

    /** A tick at the instant of the last one: no frame is due, only what was asked for since goes out. */
    private void tickAgain() {
        publisher.tick(now - STEP);
    }

    private void runUntilFrames(long ssrc, int frames) {
        while (frames(packetsOf(ssrc)).size() < frames) {
            publisher.tick(now);
            now += STEP;
        }
    }

    /** Which recorded frame each sent frame of {@code layer} was, by its bytes. */
    private List<Integer> frameIndexes(int layer) {
        List<Frame> recorded = recording.videoLayers().get(layer).frames();
        List<Integer> indexes = new ArrayList<>();
        for (List<RtpPacket> frame : frames(packetsOf(publisher.videoSsrcs()[layer]))) {
            byte[] data = reassemble(frame);
            int found = -1;
            for (int i = 0; i < recorded.size(); i++) {
                if (Arrays.equals(recorded.get(i).data(), data)) {
                    found = i;
                }
            }
            indexes.add(found);
        }
        return indexes;
    }

    private List<RtpPacket> packetsOf(long ssrc) {
        List<RtpPacket> packets = new ArrayList<>();
        for (byte[] datagram : sent) {
            RtpPacket p = parse(datagram);
            if (p.ssrc() == ssrc) {
                packets.add(p);
            }
        }
        return packets;
    }

    /** Consecutive packets grouped by RTP timestamp, in order. */
    private static List<List<RtpPacket>> frames(List<RtpPacket> packets) {
        Map<Long, List<RtpPacket>> byTimestamp = new LinkedHashMap<>();
        for (RtpPacket p : packets) {
            byTimestamp.computeIfAbsent(p.timestamp(), t -> new ArrayList<>()).add(p);
        }
        return new ArrayList<>(byTimestamp.values());
    }

    /** The frame's bytes: each packet's payload after its VP8 descriptor. */
    private static byte[] reassemble(List<RtpPacket> frame) {
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (RtpPacket p : frame) {
            assertEquals(Vp8PayloadDescriptor.ParseResult.OK,
                    vp8.wrap(p.buffer(), p.payloadOffset(), p.payloadLength()));
            data.write(p.buffer(), p.payloadOffset() + vp8.descriptorLength(),
                    p.payloadLength() - vp8.descriptorLength());
        }
        return data.toByteArray();
    }

    private static RtpPacket parse(byte[] datagram) {
        RtpPacket p = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, p.wrap(datagram, 0, datagram.length));
        assertEquals(RtpPacket.ONE_BYTE_EXTENSION_PROFILE, p.extensionProfile());
        return p;
    }

    private static byte[] payload(RtpPacket p) {
        return Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength());
    }

    private static RecordedTrack audioTrack() {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < AUDIO_FRAMES; i++) {
            byte[] data = new byte[40 + i];
            data[0] = 0x78; // Opus TOC: SILK-only wideband 20 ms, mono, one frame
            Arrays.fill(data, 1, data.length, (byte) i);
            frames.add(new Frame(i * 20_000, true, data));
        }
        return new RecordedTrack(Kind.AUDIO, 0, 0, 32_000, 48_000, 20_000, frames);
    }

    /**
     * VP8-like frames: a keyframe's frame tag and start code (RFC 6386 §9.1) or an interframe's tag, then bytes
     * that name the layer, the frame and their position.
     */
    private static RecordedTrack videoTrack(int layer, int width, int height) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < VIDEO_FRAMES; i++) {
            boolean key = KEYFRAMES.contains(i);
            byte[] data = new byte[VIDEO_SIZES[i]];
            for (int b = 0; b < data.length; b++) {
                data[b] = (byte) (layer * 71 + i * 13 + b);
            }
            data[0] = (byte) (key ? 0x10 : 0x31);
            if (key) {
                byte[] header = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) width, (byte) (width >> 8),
                        (byte) height, (byte) (height >> 8)};
                System.arraycopy(header, 0, data, 0, header.length);
            }
            frames.add(new Frame(i * 33_333, key, data));
        }
        return new RecordedTrack(Kind.VIDEO, width, height, 500_000, 90_000, 33_333, frames);
    }
}
