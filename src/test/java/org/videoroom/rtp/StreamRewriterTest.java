package org.videoroom.rtp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamRewriterTest {

    static final long OUT = 0xCAFE_BABEL;
    static final long LOW = 0x1111_1111L;
    static final long HIGH = 0x2222_2222L;
    static final long T0 = 5_000_000_000L;
    static final long MS = 1_000_000L;

    // ---- packet building -------------------------------------------------------------------------

    /**
     * An RTP packet (PT 96, no extensions) carrying a VP8 descriptor with X; I (M=1, 15-bit or M=0,
     * 7-bit picture id); L; T (TID, Y set on TID 0); then a frame tag octet (keyframe or not) on
     * frame starts, or two bytes of partition data on continuation packets.
     */
    static byte[] vp8(long ssrc, int seq, long ts, boolean start, boolean key, int pictureId, int pictureIdBits,
                      int tl0, int tid) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put((byte) 0x80).put((byte) 96).putShort((short) seq).putInt((int) ts).putInt((int) ssrc);
        b.put((byte) (start ? 0x90 : 0x80));                // X=1, S
        b.put((byte) 0xE0);                                 // I L T
        if (pictureIdBits == 15) {
            b.putShort((short) (0x8000 | pictureId));       // M=1
        } else {
            b.put((byte) (pictureId & 0x7F));               // M=0
        }
        b.put((byte) tl0);
        b.put((byte) (tid << 6 | (tid == 0 ? 0x20 : 0)));   // TID, Y on base layer
        if (start) {
            b.put((byte) (key ? 0x10 : 0x11));              // frame tag: show_frame, P
            b.put(new byte[] {0x02, 0x00, (byte) 0x9d, 0x01, 0x2a});
        } else {
            b.put(new byte[] {0x33, 0x44});
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** An Opus-like packet: fixed header and 3 payload bytes. */
    static byte[] audio(long ssrc, int seq, long ts) {
        ByteBuffer b = ByteBuffer.allocate(15);
        b.put((byte) 0x80).put((byte) 111).putShort((short) seq).putInt((int) ts).putInt((int) ssrc);
        b.put(new byte[] {0x78, 0x01, 0x02});
        return b.array();
    }

    /** What came out of one successful rewrite, with the source fields read before it. */
    record Out(long ssrc, int seq, long ts, int pictureId, int pictureIdBits, int tl0, int tid, boolean keyframe,
               long srcSsrc, int srcSeq) {
    }

    /** Feeds packets through one rewriter, as a subscriber leg would. */
    static final class Leg {
        final StreamRewriter rewriter;
        final RtpPacket rtp = new RtpPacket();
        final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        final List<Out> sent = new ArrayList<>();

        Leg(StreamRewriter rewriter) {
            this.rewriter = rewriter;
        }

        Leg() {
            this(new StreamRewriter(OUT, 90_000));
        }

        boolean video(byte[] packet, long now) {
            wrap(packet);
            long srcSsrc = rtp.ssrc();
            int srcSeq = rtp.sequenceNumber();
            if (!rewriter.rewrite(rtp, vp8, now)) {
                return false;
            }
            assertEquals(Vp8PayloadDescriptor.ParseResult.OK,
                    vp8.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()), "still a VP8 packet");
            sent.add(new Out(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), vp8.pictureId(), vp8.pictureIdBits(),
                    vp8.tl0PicIdx(), vp8.temporalLayer(), vp8.isKeyframe(), srcSsrc, srcSeq));
            return true;
        }

        boolean skipVideo(byte[] packet) {
            wrap(packet);
            byte[] before = packet.clone();
            boolean taken = rewriter.skip(rtp, vp8);
            assertArrayEquals(before, packet, "skip leaves the packet alone");
            return taken;
        }

        boolean audio(byte[] packet, long now) {
            assertEquals(RtpPacket.ParseResult.OK, rtp.wrap(packet, 0, packet.length));
            long srcSsrc = rtp.ssrc();
            int srcSeq = rtp.sequenceNumber();
            if (!rewriter.rewrite(rtp, null, now)) {
                return false;
            }
            sent.add(new Out(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), -1, 0, -1, -1, false, srcSsrc, srcSeq));
            return true;
        }

        boolean skipAudio(byte[] packet) {
            rtp.wrap(packet, 0, packet.length);
            return rewriter.skip(rtp, null);
        }

        Out last() {
            return sent.get(sent.size() - 1);
        }

        private void wrap(byte[] packet) {
            assertEquals(RtpPacket.ParseResult.OK, rtp.wrap(packet, 0, packet.length));
            assertEquals(Vp8PayloadDescriptor.ParseResult.OK,
                    vp8.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()));
        }
    }

    /** A simulcast layer: frames of a fixed packet count, TID alternating 0,1,0,1, 30 fps timestamps. */
    static final class Layer {
        final long ssrc;
        final int packetsPerFrame;
        int seq;
        long ts;
        int pictureId;
        int tl0;
        int frames;

        Layer(long ssrc, int packetsPerFrame, int seq, long ts, int pictureId, int tl0) {
            this.ssrc = ssrc;
            this.packetsPerFrame = packetsPerFrame;
            this.seq = seq;
            this.ts = ts;
            this.pictureId = pictureId;
            this.tl0 = tl0;
        }

        /** The packets of the next frame; TID 0 on even frames. */
        List<byte[]> frame(boolean key) {
            int tid = frames % 2;
            if (tid == 0 && frames > 0) {
                tl0 = (tl0 + 1) & 0xFF;
            }
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < packetsPerFrame; i++) {
                packets.add(vp8(ssrc, seq, ts, i == 0, key, pictureId, 15, tl0, tid));
                seq = (seq + 1) & 0xFFFF;
            }
            ts = (ts + 3000) & 0xFFFF_FFFFL;
            pictureId = (pictureId + 1) & 0x7FFF;
            frames++;
            return packets;
        }
    }

    // ---- simulcast switching -----------------------------------------------------------------------

    @Test
    void switchesLowToHighAndBackAtKeyframesWithContinuousFields() {
        // low wraps sequence number, timestamp, picture id and TL0PICIDX during the first frames
        Layer low = new Layer(LOW, 2, 65530, 0xFFFF_FFFFL - 5000, 32765, 254);
        Layer high = new Layer(HIGH, 3, 40000, 1_000_000_000L, 100, 77);
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        List<Long> frameSources = new ArrayList<>();
        long frameNanos = 33_333_333;
        for (int f = 0; f < 15; f++) {
            long now = T0 + f * frameNanos;
            if (f == 3) {
                leg.rewriter.switchTo(HIGH);
            }
            if (f == 8) {
                leg.rewriter.switchTo(LOW);
            }
            // the selector passes both layers; high's packets of a frame come first
            int before = leg.sent.size();
            for (byte[] p : high.frame(f == 6)) {
                leg.video(p, now);
            }
            if (leg.sent.size() > before) {
                frameSources.add(HIGH);
            }
            before = leg.sent.size();
            for (byte[] p : low.frame(f == 0 || f == 10)) {
                leg.video(p, now);
            }
            if (leg.sent.size() > before) {
                frameSources.add(LOW);
            }
        }

        // low 0..5, high 6..10, low 10..14
        assertEquals(List.of(LOW, LOW, LOW, LOW, LOW, LOW, HIGH, HIGH, HIGH, HIGH, HIGH, LOW, LOW, LOW, LOW, LOW),
                frameSources);
        List<Out> out = leg.sent;
        assertEquals(6 * 2 + 5 * 3 + 5 * 2, out.size());

        // the first source keeps its own numbering
        Out first = out.get(0);
        assertAll(
                () -> assertEquals(65530, first.seq()),
                () -> assertEquals(0xFFFF_FFFFL - 5000, first.ts()),
                () -> assertEquals(32765, first.pictureId()),
                () -> assertEquals(254, first.tl0()),
                () -> assertTrue(first.keyframe()));

        List<Long> tsSteps = new ArrayList<>();
        for (int i = 1; i < out.size(); i++) {
            Out a = out.get(i - 1);
            Out b = out.get(i);
            String at = "packet " + i + ": " + b;
            assertEquals(OUT, b.ssrc(), at);
            assertEquals((a.seq() + 1) & 0xFFFF, b.seq(), at);
            assertEquals(15, b.pictureIdBits(), at);
            boolean newFrame = b.ts() != a.ts() || b.srcSsrc() != a.srcSsrc();
            if (newFrame) {
                tsSteps.add((b.ts() - a.ts()) & 0xFFFF_FFFFL);
                assertEquals((a.pictureId() + 1) & 0x7FFF, b.pictureId(), at);
                assertEquals(b.tid() == 0 ? (a.tl0() + 1) & 0xFF : a.tl0(), b.tl0(), at);
            } else {
                assertEquals(a.pictureId(), b.pictureId(), at);
                assertEquals(a.tl0(), b.tl0(), at);
            }
            if (b.srcSsrc() != a.srcSsrc()) {
                assertTrue(b.keyframe(), "a switch starts at a keyframe: " + at);
                assertEquals(0, b.tid(), at);
            }
        }
        // 30 fps frames: 3000 ticks; switch to high 33.333333 ms after low's last packet: 2999 ticks;
        // switch back in the same instant as high's last packet: the 1-tick minimum
        assertEquals(List.of(3000L, 3000L, 3000L, 3000L, 3000L, 2999L, 3000L, 3000L, 3000L, 3000L,
                1L, 3000L, 3000L, 3000L, 3000L), tsSteps);
        // the wraps happened on the output side too
        assertEquals(List.of(65530, 65531, 65532, 65533, 65534, 65535, 0, 1),
                out.subList(0, 8).stream().map(Out::seq).toList());
        assertEquals(List.of(32765, 32765, 32766, 32766, 32767, 32767, 0, 0),
                out.subList(0, 8).stream().map(Out::pictureId).toList());
        assertEquals(List.of(254, 254, 254, 254, 255, 255, 255, 255, 0, 0),
                out.subList(0, 10).stream().map(Out::tl0).toList());

        StreamRewriter.Stats stats = leg.rewriter.stats();
        assertEquals(new StreamRewriter.Stats(37, 0, 3, 15 * 5 - 37, 0, 0), stats);
        assertEquals(LOW, leg.rewriter.currentSource());
        assertFalse(leg.rewriter.switchPending());

        // every outgoing number maps back to the packet it came from, across both switches
        for (Out o : out) {
            assertEquals(o.srcSsrc(), leg.rewriter.sourceSsrc(o.seq()), o.toString());
            assertEquals(o.srcSeq(), leg.rewriter.sourceSequenceNumber(o.seq()), o.toString());
        }
        int next = (leg.last().seq() + 1) & 0xFFFF;
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(next), "not used yet");
        assertEquals(-1, leg.rewriter.sourceSsrc(next));
    }

    @Test
    void waitsForTheFirstPacketOfAKeyframe() {
        Leg leg = new Leg();
        assertFalse(leg.video(vp8(LOW, 10, 900, true, true, 5, 15, 0, 0), T0), "no source selected yet");
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.rewriter.switchPending());
        assertEquals(-1, leg.rewriter.currentSource());
        assertEquals(LOW, leg.rewriter.targetSource());
        assertFalse(leg.video(vp8(LOW, 11, 900, false, true, 5, 15, 0, 0), T0), "keyframe, but not its first packet");
        assertFalse(leg.video(vp8(LOW, 12, 3900, true, false, 6, 15, 0, 1), T0), "delta frame");
        assertTrue(leg.video(vp8(LOW, 13, 6900, true, true, 7, 15, 1, 0), T0));
        assertTrue(leg.video(vp8(LOW, 14, 6900, false, true, 7, 15, 1, 0), T0), "rest of the keyframe");
        assertTrue(leg.video(vp8(LOW, 15, 9900, true, false, 8, 15, 1, 1), T0), "then delta frames");
        assertEquals(List.of(13, 14, 15), leg.sent.stream().map(Out::seq).toList());
        assertEquals(LOW, leg.rewriter.currentSource());
        assertFalse(leg.rewriter.switchPending());
        assertEquals(3, leg.rewriter.stats().droppedOtherSource());
        assertEquals(1, leg.rewriter.stats().switches());
    }

    @Test
    void switchingBackToTheCurrentSourceCancelsThePendingSwitch() {
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.video(vp8(LOW, 1, 0, true, true, 0, 15, 0, 0), T0));
        leg.rewriter.switchTo(HIGH);
        assertEquals(HIGH, leg.rewriter.targetSource());
        leg.rewriter.switchTo(LOW);
        assertFalse(leg.rewriter.switchPending());
        assertEquals(-1, leg.rewriter.targetSource());
        assertFalse(leg.video(vp8(HIGH, 500, 7000, true, true, 50, 15, 3, 0), T0 + 10 * MS));
        assertTrue(leg.video(vp8(LOW, 2, 3000, true, false, 1, 15, 0, 1), T0 + 33 * MS));
        assertEquals(LOW, leg.rewriter.currentSource());
    }

    @Test
    void aDescriptorThatFailedToParseNeverStartsASource() {
        StreamRewriter rewriter = new StreamRewriter(OUT, 90_000);
        rewriter.switchTo(LOW);
        byte[] packet = vp8(LOW, 1, 0, true, true, 0, 15, 0, 0);
        RtpPacket rtp = new RtpPacket();
        rtp.wrap(packet, 0, packet.length);
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        assertEquals(Vp8PayloadDescriptor.ParseResult.TOO_SHORT, vp8.wrap(rtp.buffer(), rtp.payloadOffset(), 2));
        byte[] before = packet.clone();
        assertFalse(rewriter.rewrite(rtp, vp8, T0));
        assertArrayEquals(before, packet, "a refused packet is not modified");
        assertEquals(-1, rewriter.currentSource());
    }

    @Test
    void packetsOlderThanTheSwitchPointAndOfTheOldSourceAreDropped() {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000));
        leg.rewriter.switchTo(LOW);
        // low wraps its sequence numbers just before the switch
        assertTrue(leg.audio(audio(LOW, 65534, 1000), T0));
        assertTrue(leg.audio(audio(LOW, 65535, 1960), T0 + 20 * MS));
        leg.rewriter.switchTo(HIGH);
        assertTrue(leg.audio(audio(LOW, 0, 2920), T0 + 40 * MS), "current until the target's first packet");
        assertTrue(leg.audio(audio(HIGH, 7, 777_777), T0 + 60 * MS), "audio switches on any packet");
        assertFalse(leg.audio(audio(HIGH, 6, 776_817), T0 + 61 * MS), "older than the switch point");
        assertFalse(leg.audio(audio(LOW, 1, 3880), T0 + 61 * MS), "old source");
        assertTrue(leg.audio(audio(HIGH, 8, 778_737), T0 + 80 * MS));

        assertEquals(List.of(65534, 65535, 0, 1, 2), leg.sent.stream().map(Out::seq).toList());
        // 20 ms at 48 kHz = 960 ticks between the old source's last packet and the new one's first
        assertEquals(List.of(1000L, 1960L, 2920L, 3880L, 4840L), leg.sent.stream().map(Out::ts).toList());
        assertEquals(new StreamRewriter.Stats(5, 0, 2, 1, 1, 0), leg.rewriter.stats());
        assertEquals(HIGH, leg.rewriter.sourceSsrc(1));
        assertEquals(7, leg.rewriter.sourceSequenceNumber(1));
        assertEquals(LOW, leg.rewriter.sourceSsrc(0));
        assertEquals(0, leg.rewriter.sourceSequenceNumber(0));
        assertEquals(65535, leg.rewriter.sourceSequenceNumber(65535));
    }

    @ParameterizedTest(name = "sequence base {0}")
    @ValueSource(ints = {100, 65534})
    void reorderedPacketsWithinASourceKeepTheirPlace(int base) {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000));
        leg.rewriter.switchTo(LOW);
        assertFalse(leg.audio(audio(HIGH, 1, 0), T0), "not selected");
        int[] order = {0, 2, 1, 4, 3, 5};
        for (int k : order) {
            assertTrue(leg.audio(audio(LOW, (base + k) & 0xFFFF, 960L * k), T0 + 20 * MS * k), "k=" + k);
        }
        // the first source keeps its numbering, so each packet keeps its own number and timestamp
        for (int i = 0; i < order.length; i++) {
            Out o = leg.sent.get(i);
            assertEquals((base + order[i]) & 0xFFFF, o.seq());
            assertEquals(960L * order[i], o.ts());
        }
        // and after a switch reordering maps through the new offset
        leg.rewriter.switchTo(HIGH);
        long now = T0 + 200 * MS;
        for (int k : new int[] {0, 3, 1, 2}) {
            assertTrue(leg.audio(audio(HIGH, 30_000 + k, 10_000 + 960L * k), now));
        }
        int after = (base + 6) & 0xFFFF;
        assertEquals(List.of(after, (after + 3) & 0xFFFF, (after + 1) & 0xFFFF, (after + 2) & 0xFFFF),
                leg.sent.subList(6, 10).stream().map(Out::seq).toList());
        // 100 ms after the last sent packet (k=5 at 100 ms): 4800 ticks
        long firstHigh = 960L * 5 + 4800;
        assertEquals(List.of(firstHigh, firstHigh + 2880, firstHigh + 960, firstHigh + 1920),
                leg.sent.subList(6, 10).stream().map(Out::ts).toList());
    }

    @Test
    void aLongPauseBeforeASwitchAddsAtMostAMinuteOfTicks() {
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.video(vp8(LOW, 1, 1000, true, true, 0, 15, 0, 0), T0));
        leg.rewriter.switchTo(HIGH);
        assertTrue(leg.video(vp8(HIGH, 50, 4_000_000_000L, true, true, 9, 15, 0, 0), T0 + 3 * MS));
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.video(vp8(LOW, 9, 90_000, true, true, 5, 15, 3, 0), T0 + 3 * MS + 7_200_000 * MS));
        // 3 ms at 90 kHz = 270 ticks; two hours are capped at 60 s = 5,400,000 ticks
        assertEquals(List.of(1000L, 1270L, 1270L + 5_400_000L), leg.sent.stream().map(Out::ts).toList());
    }

    @Test
    void holesLeftByTheOldSourceStillMapBackAfterASwitch() {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000));
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.audio(audio(LOW, 10, 0), T0));
        assertTrue(leg.audio(audio(LOW, 12, 1920), T0 + 40 * MS)); // 11 lost upstream
        leg.rewriter.switchTo(HIGH);
        assertTrue(leg.audio(audio(HIGH, 3000, 5), T0 + 60 * MS));
        assertFalse(leg.audio(audio(LOW, 11, 960), T0 + 61 * MS), "the old source's late packet is not sent");
        assertEquals(List.of(10, 12, 13), leg.sent.stream().map(Out::seq).toList());
        assertEquals(LOW, leg.rewriter.sourceSsrc(11));
        assertEquals(11, leg.rewriter.sourceSequenceNumber(11), "a NACK for the hole can be answered from LOW's cache");
        assertEquals(HIGH, leg.rewriter.sourceSsrc(13));
        assertEquals(3000, leg.rewriter.sourceSequenceNumber(13));
    }

    @Test
    void numbersReservedAboveTheOldSourcesLastPacketGoToTheNewSource() {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000));
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.audio(audio(LOW, 10, 0), T0));
        // 11 lost, 12 skipped: out 11 stays reserved for LOW 11 while LOW is current
        assertTrue(leg.skipAudio(audio(LOW, 12, 1920)));
        assertEquals(11, leg.rewriter.sourceSequenceNumber(11));
        leg.rewriter.switchTo(HIGH);
        assertTrue(leg.audio(audio(HIGH, 3000, 5), T0 + 60 * MS));
        assertEquals(List.of(10, 11), leg.sent.stream().map(Out::seq).toList(), "no gap after the last sent packet");
        assertEquals(HIGH, leg.rewriter.sourceSsrc(11));
        assertEquals(3000, leg.rewriter.sourceSequenceNumber(11));
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(12));
    }

    // ---- skipping --------------------------------------------------------------------------------

    @ParameterizedTest(name = "sequence base {0}")
    @ValueSource(ints = {100, 65533})
    void skippedPacketsLeaveNoGap(int base) {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000));
        leg.rewriter.switchTo(LOW);
        // k is the source number relative to base; the expected output number is relative to base too
        assertTrue(send(leg, base, 0));
        assertTrue(send(leg, base, 1));
        assertTrue(leg.skipAudio(audio(LOW, (base + 2) & 0xFFFF, 2)));
        assertTrue(send(leg, base, 3));
        assertFalse(leg.skipAudio(audio(LOW, (base + 3) & 0xFFFF, 3)), "already sent");
        assertTrue(send(leg, base, 5)); // 4 is late
        assertEquals((base + 4) & 0xFFFF, leg.rewriter.sourceSequenceNumber((base + 3) & 0xFFFF),
                "the number kept for the missing packet maps back to it, so a NACK can go upstream");
        assertTrue(leg.skipAudio(audio(LOW, (base + 6) & 0xFFFF, 6)));
        assertTrue(send(leg, base, 4)); // late, below the second skip
        assertTrue(send(leg, base, 7));
        assertFalse(leg.skipAudio(audio(LOW, (base + 1) & 0xFFFF, 1)), "older than the newest: number fixed");
        assertFalse(send(leg, base, 2), "its number was taken out");
        assertFalse(leg.skipAudio(audio(HIGH, 9, 9)), "not the current source");

        int[] expectedOut = {0, 1, 2, 4, 3, 5};
        int[] expectedSrc = {0, 1, 3, 5, 4, 7};
        for (int i = 0; i < expectedOut.length; i++) {
            assertEquals((base + expectedOut[i]) & 0xFFFF, leg.sent.get(i).seq(), "packet " + i);
            assertEquals((base + expectedSrc[i]) & 0xFFFF, leg.sent.get(i).srcSeq(), "packet " + i);
        }
        int[] nackSrc = {0, 1, 3, 4, 5, 7};
        for (int out = 0; out < nackSrc.length; out++) {
            assertEquals((base + nackSrc[out]) & 0xFFFF, leg.rewriter.sourceSequenceNumber((base + out) & 0xFFFF),
                    "out " + out);
            assertEquals(LOW, leg.rewriter.sourceSsrc((base + out) & 0xFFFF));
        }
        assertEquals(-1, leg.rewriter.sourceSequenceNumber((base + 6) & 0xFFFF));
        assertEquals(new StreamRewriter.Stats(6, 2, 1, 0, 1, 3), leg.rewriter.stats());
    }

    private static boolean send(Leg leg, int base, int k) {
        return leg.audio(audio(LOW, (base + k) & 0xFFFF, 960L * k), T0 + k * 20 * MS);
    }

    @Test
    void skippedFramesTakeTheirPictureIdOutToo() {
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        int s = 65533;
        // F0 (s, s+1): keyframe, picture id 32767, TL0PICIDX 255, TID 0; F1 (s+2, s+3, TID 1) is filtered out
        assertTrue(leg.video(vp8(LOW, s, 0, true, true, 32767, 15, 255, 0), T0));
        assertTrue(leg.skipVideo(vp8(LOW, s + 2 & 0xFFFF, 3000, true, false, 0, 15, 255, 1)));
        assertTrue(leg.video(vp8(LOW, s + 1 & 0xFFFF, 0, false, true, 32767, 15, 255, 0), T0 + MS),
                "late end of F0, below the skip");
        assertTrue(leg.skipVideo(vp8(LOW, s + 3 & 0xFFFF, 3000, false, false, 0, 15, 255, 1)),
                "rest of F1: sequence number out, picture id already out");
        // F2 (TID 0), F3 (TID 1)
        assertTrue(leg.video(vp8(LOW, s + 4 & 0xFFFF, 6000, true, false, 1, 15, 0, 0), T0 + 66 * MS));
        assertTrue(leg.video(vp8(LOW, s + 5 & 0xFFFF, 6000, false, false, 1, 15, 0, 0), T0 + 66 * MS));
        assertTrue(leg.video(vp8(LOW, s + 6 & 0xFFFF, 9000, true, false, 2, 15, 0, 1), T0 + 99 * MS));

        assertEquals(List.of(65533, 65534, 65535, 0, 1), leg.sent.stream().map(Out::seq).toList());
        assertEquals(List.of(32767, 32767, 0, 0, 1), leg.sent.stream().map(Out::pictureId).toList());
        assertEquals(List.of(255, 255, 0, 0, 0), leg.sent.stream().map(Out::tl0).toList(),
                "TL0PICIDX is untouched by dropping a TID 1 frame");
        assertEquals(List.of(0L, 0L, 6000L, 6000L, 9000L), leg.sent.stream().map(Out::ts).toList(),
                "timestamps are not renumbered");
        assertEquals(2, leg.rewriter.stats().packetsSkipped());
    }

    @Test
    void sevenBitPictureIdsStayNarrowAndContinue() {
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.video(vp8(LOW, 1, 0, true, true, 32767, 15, 9, 0), T0));
        leg.rewriter.switchTo(HIGH);
        assertTrue(leg.video(vp8(HIGH, 900, 50_000, true, true, 127, 7, 200, 0), T0 + 33 * MS));
        assertTrue(leg.video(vp8(HIGH, 901, 53_000, true, false, 0, 7, 200, 1), T0 + 66 * MS));
        assertTrue(leg.video(vp8(HIGH, 902, 56_000, true, false, 1, 7, 201, 0), T0 + 99 * MS));
        leg.rewriter.switchTo(LOW);
        assertTrue(leg.video(vp8(LOW, 5, 12_000, true, true, 3, 15, 11, 0), T0 + 133 * MS));

        assertEquals(List.of(32767, 0, 1, 2, 3), leg.sent.stream().map(Out::pictureId).toList());
        assertEquals(List.of(15, 7, 7, 7, 15), leg.sent.stream().map(Out::pictureIdBits).toList());
        assertEquals(List.of(9, 10, 10, 11, 12), leg.sent.stream().map(Out::tl0).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), leg.sent.stream().map(Out::seq).toList());
    }

    // ---- NACK history ------------------------------------------------------------------------------

    @Test
    void historyIsBoundedAndCoversPacketsLostUpstream() {
        Leg leg = new Leg(new StreamRewriter(OUT, 48_000, 8));
        leg.rewriter.switchTo(LOW);
        for (int seq = 65530; seq < 65530 + 20; seq++) {
            assertTrue(leg.audio(audio(LOW, seq & 0xFFFF, 960L * seq), T0));
        }
        int highest = (65530 + 19) & 0xFFFF; // 13
        for (int back = 0; back < 8; back++) {
            int out = (highest - back) & 0xFFFF;
            assertEquals(out, leg.rewriter.sourceSequenceNumber(out), "back " + back);
        }
        assertEquals(-1, leg.rewriter.sourceSequenceNumber((highest - 8) & 0xFFFF), "fell out of the ring");
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(highest + 1));
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(highest + 30_000));

        // a jump: the numbers in between belong to packets lost upstream
        assertTrue(leg.audio(audio(LOW, 1000, 0), T0));
        assertEquals(999, leg.rewriter.sourceSequenceNumber(999));
        assertEquals(LOW, leg.rewriter.sourceSsrc(999));
        assertEquals(993, leg.rewriter.sourceSequenceNumber(993));
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(992));
        assertEquals(-1, leg.rewriter.sourceSequenceNumber(highest));
    }

    @Test
    void nothingIsKnownBeforeTheFirstPacket() {
        StreamRewriter rewriter = new StreamRewriter(OUT, 90_000);
        assertEquals(-1, rewriter.sourceSequenceNumber(0));
        assertEquals(-1, rewriter.sourceSsrc(0));
        assertEquals(new StreamRewriter.Stats(0, 0, 0, 0, 0, 0), rewriter.stats());
        assertEquals(OUT, rewriter.outSsrc());
        assertEquals(90_000, rewriter.clockRate());
    }

    // ---- misc ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "outSsrc {0}, clock {1}, history {2}")
    @CsvSource({
            "-1,          90000, 1024",
            "4294967296,  90000, 1024",
            "1,           0,     1024",
            "1,           90000, 0",
            "1,           90000, 1000",
            "1,           90000, 65536",
    })
    void rejectsBadConfiguration(long outSsrc, int clockRate, int history) {
        assertThrows(IllegalArgumentException.class, () -> new StreamRewriter(outSsrc, clockRate, history));
    }

    @Test
    void rejectsBadSourceSsrc() {
        StreamRewriter rewriter = new StreamRewriter(OUT, 90_000);
        assertThrows(IllegalArgumentException.class, () -> rewriter.switchTo(-1));
        assertThrows(IllegalArgumentException.class, () -> rewriter.switchTo(1L << 32));
    }

    @Test
    void rewritingAllocatesNothing() {
        StreamRewriter rewriter = new StreamRewriter(OUT, 90_000);
        byte[] packet = vp8(LOW, 0, 0, true, true, 0, 15, 0, 0);
        RtpPacket rtp = new RtpPacket();
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        rewriter.switchTo(LOW);
        int[] seq = {0};
        long[] sink = new long[1];
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                rtp.wrap(packet, 0, packet.length);
                rtp.setSsrc(LOW);
                rtp.setSequenceNumber(++seq[0]);
                rtp.setTimestamp(seq[0] * 3000L);
                vp8.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
                if (i % 4 == 3) {
                    rewriter.skip(rtp, vp8);
                } else {
                    rewriter.rewrite(rtp, vp8, T0 + i);
                    sink[0] += rewriter.sourceSequenceNumber(rtp.sequenceNumber());
                }
            }
        });
        assertEquals(0, allocated, "bytes allocated by 10000 packets");
        assertTrue(sink[0] > 0);
        assertTrue(rewriter.stats().packetsSkipped() > 0);
    }

    @Test
    void afterAPauseResyncContinuesTheStreamAtTheNextKeyframeWithoutAHole() {
        Leg leg = new Leg();
        leg.rewriter.switchTo(LOW);
        long ts = 90_000;
        int pictureId = 100;
        assertTrue(leg.video(vp8(LOW, 1000, ts, true, true, pictureId, 15, 5, 0), T0));
        for (int i = 1; i < 10; i++) {
            assertTrue(leg.video(vp8(LOW, 1000 + i, ts + i * 3000, true, false, pictureId + i, 15, 5 + i, 0),
                    T0 + i * 33 * MS));
        }
        Out before = leg.last();

        // Paused: packets 1010..1039 never reach the rewriter. Resumed: only a keyframe may start it again.
        leg.rewriter.resync();
        assertFalse(leg.video(vp8(LOW, 1040, ts + 40 * 3000, true, false, pictureId + 40, 15, 45, 0),
                T0 + 40 * 33 * MS), "a delta frame cannot start the resumed stream");
        assertTrue(leg.video(vp8(LOW, 1041, ts + 41 * 3000, true, true, pictureId + 41, 15, 46, 0),
                T0 + 41 * 33 * MS));
        Out resumed = leg.last();
        assertAll(
                () -> assertEquals(OUT, resumed.ssrc()),
                () -> assertEquals((before.seq() + 1) & 0xFFFF, resumed.seq(), "no hole in the sequence numbers"),
                () -> assertEquals((before.pictureId() + 1) & 0x7FFF, resumed.pictureId(), "the next picture"),
                () -> assertEquals((before.tl0() + 1) & 0xFF, resumed.tl0()),
                () -> assertTrue(resumed.ts() > before.ts(), "time goes on"),
                () -> assertTrue(resumed.keyframe()));
        assertTrue(leg.video(vp8(LOW, 1042, ts + 42 * 3000, true, false, pictureId + 42, 15, 47, 0),
                T0 + 42 * 33 * MS));
        assertEquals((resumed.seq() + 1) & 0xFFFF, leg.last().seq());
    }
}
