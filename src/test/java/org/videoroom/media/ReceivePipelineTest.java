package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtp.AllocationMeter;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.LocalTransportParameters;

/**
 * The receive pipeline from parsed packet to published track, on the negotiations of the captured Chromium
 * offers (plain and simulcast): routing by announced SSRC, RTX repair, latching simulcast layers from the
 * mid/rid extensions, the drop counters of each stage, arrival observers, and no allocation per packet.
 */
class ReceivePipelineTest {

    private static final LocalTransportParameters LOCAL = LocalTransportParameters.trickled("srvr",
            "serverPassword0123456789", Fingerprint.parse("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                    + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"));
    private static final ParticipantId ALICE = new ParticipantId("alice");
    /** Chromium's RTX SSRC for its video (the capture's FID group). */
    private static final long CHROMIUM_VIDEO_RTX_SSRC = 1635379259L;
    private static final int VP8 = 96;
    private static final int VP8_RTX = 97;
    private static final long STRANGER = 0x0BADF00DL;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ForwardingCounters counters = new ForwardingCounters();
    private final RtpDemuxer demuxer = new RtpDemuxer("[test] ");
    private final List<Long> arrivals = new ArrayList<>();
    private final ReceivePipeline pipeline = new ReceivePipeline(demuxer, counters,
            (packet, now) -> arrivals.add(packet.ssrc()));
    private NegotiationPlan plan;
    private List<PublishedTrack> tracks;

    @Test
    void announcedSsrcsReachTheirTrack() {
        publish(Captures.CHROMIUM_OFFER);

        feed(pipeline, packet(VP8, 100, Captures.CHROMIUM_VIDEO_SSRC, payload(20)));
        feed(pipeline, packet(111, 7, Captures.CHROMIUM_AUDIO_SSRC, payload(20)));

        assertTrue(video().layer(0).active(clock.get()));
        assertTrue(tracks.get(0).layer(0).active(clock.get()));
        assertEquals(new ReceiveStats(2, 0, 0, 0, 0, 0, 0, 0, 2), pipeline.stats());
        assertEquals(2, counters.rtpReceived.sum());
    }

    @Test
    void anRtxPacketBecomesItsOriginalAgain() {
        publish(Captures.CHROMIUM_OFFER);
        feed(pipeline, packet(VP8, 100, Captures.CHROMIUM_VIDEO_SSRC, payload(20)));

        // RFC 4588 §4: the original sequence number (101) leads the RTX payload. A subscriber lost 101 and the
        // server asked for it.
        assertEquals(List.of(101), video().layer(0).admitRepairRequests(List.of(101)));
        byte[] rtx = payload(22);
        rtx[0] = 0;
        rtx[1] = 101;
        feed(pipeline, packet(VP8_RTX, 5000, CHROMIUM_VIDEO_RTX_SSRC, rtx));

        assertEquals(101, video().layer(0).reportBlock(clock.get()).extendedHighestSequenceNumber() & 0xFFFF,
                "the track saw sequence number 101 on its own SSRC");
        ReceiveStats stats = pipeline.stats();
        assertEquals(1, stats.rtxRepaired());
        assertEquals(2, stats.delivered());
        assertEquals(1, counters.rtxRepaired.sum());
    }

    @Test
    void onlyRepairsTheServerAskedForGoOnAndEachOnce() {
        publish(Captures.CHROMIUM_OFFER);
        feed(pipeline, packet(VP8, 100, Captures.CHROMIUM_VIDEO_SSRC, payload(20)));
        video().layer(0).admitRepairRequests(List.of(101));

        feed(pipeline, packet(VP8_RTX, 5000, CHROMIUM_VIDEO_RTX_SSRC, rtxOf(99))); // never asked for
        feed(pipeline, packet(VP8_RTX, 5001, CHROMIUM_VIDEO_RTX_SSRC, rtxOf(101)));
        feed(pipeline, packet(VP8_RTX, 5002, CHROMIUM_VIDEO_RTX_SSRC, rtxOf(101))); // answered already
        clock.addAndGet(RepairRequests.VALID_NANOS);
        video().layer(0).admitRepairRequests(List.of(102));
        clock.addAndGet(RepairRequests.VALID_NANOS);
        feed(pipeline, packet(VP8_RTX, 5003, CHROMIUM_VIDEO_RTX_SSRC, rtxOf(102))); // too late

        ReceiveStats stats = pipeline.stats();
        assertEquals(1, stats.rtxRepaired());
        assertEquals(3, stats.rtxUnsolicited());
        assertEquals(3, counters.rtxUnsolicited.sum());
        assertEquals(2, stats.delivered(), "the media packet and the one repair asked for");
        assertEquals(5, arrivals.size(), "congestion control still saw them all");
    }

    @Test
    void paddingOnlyRtxProbesEndAtTheRepairStage() {
        publish(Captures.CHROMIUM_OFFER);

        feed(pipeline, packet(VP8_RTX, 5000, CHROMIUM_VIDEO_RTX_SSRC, new byte[0]));
        feed(pipeline, packet(VP8, 5001, CHROMIUM_VIDEO_RTX_SSRC, payload(10))); // RTX SSRC, not an RTX type

        assertEquals(2, pipeline.stats().rtxUnrepairable());
        assertEquals(0, pipeline.stats().delivered());
        assertEquals(2, arrivals.size(), "they still counted for congestion control");
    }

    @Test
    void eachDropIsCountedByTheStageThatDropsIt() {
        publish(Captures.CHROMIUM_OFFER);

        pipeline.onRtp(new byte[] {(byte) 0x80, 96, 0, 1, 0}, 0, 5, clock.get()); // shorter than an RTP header
        feed(pipeline, packet(VP8, 1, STRANGER, payload(10)));

        ReceiveStats stats = pipeline.stats();
        assertEquals(1, stats.malformed());
        assertEquals(1, stats.unknownSsrc());
        assertEquals(1, stats.received(), "only the stranger parsed");
        assertEquals(2, counters.unroutableDropped.sum());
        assertEquals(List.of(STRANGER), arrivals, "observers see every parsed packet, before the demux");
    }

    @Test
    void simulcastLayersAreLatchedFromMidAndRid() {
        publish(Captures.CHROMIUM_OFFER_SIMULCAST);
        int mid = plan.receiveExtensions().mid();
        int rid = plan.receiveExtensions().rid();
        int repairedRid = plan.receiveExtensions().repairedRid();

        feed(pipeline, packet(VP8, 1, 0x1001, payload(20), ext(mid, "1"), ext(rid, "h")));
        feed(pipeline, packet(VP8, 2, 0x1001, payload(20))); // later packets need no extension
        video().layer(1).admitRepairRequests(List.of(3));
        byte[] rtx = payload(22);
        rtx[0] = 0;
        rtx[1] = 3;
        feed(pipeline, packet(VP8_RTX, 9, 0x2001, rtx, ext(mid, "1"), ext(repairedRid, "h")));

        PublishedTrack.Layer h = video().layer(1);
        assertEquals(0x1001, h.ssrc());
        assertTrue(h.active(clock.get()));
        assertFalse(video().layer(0).active(clock.get()));
        ReceiveStats stats = pipeline.stats();
        assertEquals(2, stats.latched(), "media and RTX SSRC");
        assertEquals(1, stats.rtxRepaired());
        assertEquals(3, stats.delivered());
        assertEquals(3, h.reportBlock(clock.get()).extendedHighestSequenceNumber() & 0xFFFF);
    }

    @Test
    void aSecondSsrcClaimingALayerAndWrongMidsAreNotBelieved() {
        publish(Captures.CHROMIUM_OFFER_SIMULCAST);
        int mid = plan.receiveExtensions().mid();
        int rid = plan.receiveExtensions().rid();
        feed(pipeline, packet(VP8, 1, 0x1001, payload(20), ext(mid, "1"), ext(rid, "f")));

        feed(pipeline, packet(VP8, 1, 0x1002, payload(20), ext(mid, "1"), ext(rid, "f")));
        feed(pipeline, packet(VP8, 1, 0x1003, payload(20), ext(mid, "0"), ext(rid, "q"))); // audio is no simulcast
        feed(pipeline, packet(VP8, 1, 0x1004, payload(20), ext(mid, "1"), ext(rid, "x")));

        assertEquals(0x1001, video().layer(2).ssrc());
        ReceiveStats stats = pipeline.stats();
        assertEquals(1, stats.latched());
        assertEquals(1, stats.latchRefused());
        assertEquals(3, stats.unknownSsrc());
    }

    @Test
    void aLayerIsNotLearntFromAnSsrcAnotherParticipantSendsWithAndAWithdrawnLayerGivesItsSsrcBack() {
        SsrcOwners room = new SsrcOwners();
        SsrcOwners.Claims bob = room.claimsOf("bob");
        assertTrue(bob.claim(0x1001));
        RtpDemuxer alice = new RtpDemuxer("[alice] ", room.claimsOf("alice"));
        ReceivePipeline alicePipeline = new ReceivePipeline(alice, counters, (packet, now) -> { });
        publish(Captures.CHROMIUM_OFFER_SIMULCAST, alice);
        int mid = plan.receiveExtensions().mid();
        int rid = plan.receiveExtensions().rid();

        feed(alicePipeline, packet(VP8, 1, 0x1001, payload(20), ext(mid, "1"), ext(rid, "f")));
        feed(alicePipeline, packet(VP8, 2, 0x1001, payload(20), ext(mid, "1"), ext(rid, "f")));
        assertEquals(-1, video().layer(2).ssrc(), "Bob's SSRC is not Alice's layer");
        assertEquals(0, alicePipeline.stats().delivered());
        assertEquals(2, alicePipeline.stats().latchRefused());

        feed(alicePipeline, packet(VP8, 3, 0x1002, payload(20), ext(mid, "1"), ext(rid, "f")));
        assertEquals(0x1002, video().layer(2).ssrc());
        assertFalse(bob.claim(0x1002), "what Alice latched is hers in the room");

        alice.update(List.of(), List.of(), plan.receiveExtensions());
        assertTrue(bob.claim(0x1002), "her withdrawn layer's SSRC is free again");
    }

    @Test
    void theRouteTableIsBounded() {
        publish(Captures.CHROMIUM_OFFER_SIMULCAST);
        int mid = plan.receiveExtensions().mid();
        int repairedRid = plan.receiveExtensions().repairedRid();

        // Any number of RTX SSRCs may claim to repair a layer; the table does not grow without bound.
        for (int i = 0; i < 2 * RtpDemuxer.MAX_ROUTES; i++) {
            feed(pipeline, packet(VP8_RTX, 1, 0x3000 + i, payload(4), ext(mid, "1"), ext(repairedRid, "q")));
        }

        ReceiveStats stats = pipeline.stats();
        assertTrue(stats.latched() <= RtpDemuxer.MAX_ROUTES, stats.toString());
        assertEquals(2 * RtpDemuxer.MAX_ROUTES, stats.latched() + stats.latchRefused());
    }

    @Test
    void aReofferKeepsLatchedLayersOfTracksThatCarryOnAndDropsTheRestWithTheirTracks() {
        publish(Captures.CHROMIUM_OFFER_SIMULCAST);
        feed(pipeline, packet(VP8, 1, 0x1001, payload(20), ext(plan.receiveExtensions().mid(), "1"),
                ext(plan.receiveExtensions().rid(), "q")));

        demuxer.update(plan.publications(), tracks, plan.receiveExtensions());
        feed(pipeline, packet(VP8, 2, 0x1001, payload(20)));
        assertEquals(2, pipeline.stats().delivered());

        demuxer.update(List.of(), List.of(), plan.receiveExtensions());
        feed(pipeline, packet(VP8, 3, 0x1001, payload(20)));
        assertEquals(2, pipeline.stats().delivered());
        assertEquals(1, pipeline.stats().unknownSsrc());
    }

    @Test
    void theTransportWideSequenceNumberIsRecordedForEveryPacketAndFeedbackSentWhenDue() {
        publish(Captures.CHROMIUM_OFFER);
        TransportCcFeedback feedback = new TransportCcFeedback(1);
        List<Long> due = new ArrayList<>();
        TransportCcRecorder recorder = new TransportCcRecorder(feedback, due::add);
        recorder.extensionId(plan.receiveExtensions().transportCc());
        ReceivePipeline withTwcc = new ReceivePipeline(demuxer, counters, recorder);
        int twcc = plan.receiveExtensions().transportCc();

        feed(withTwcc, packet(VP8, 1, Captures.CHROMIUM_VIDEO_SSRC, payload(20), twcc(twcc, 1)));
        feed(withTwcc, packet(VP8, 2, STRANGER, payload(20), twcc(twcc, 2)));

        assertEquals(2, feedback.stats().packetsRecorded(), "the stranger counts too: it used the link");
        assertFalse(due.isEmpty());
    }

    @Test
    void theReceivePathAllocatesNothingPerPacket() {
        publish(Captures.CHROMIUM_OFFER_SIMULCAST);
        int mid = plan.receiveExtensions().mid();
        int rid = plan.receiveExtensions().rid();
        int twccId = plan.receiveExtensions().transportCc();
        TransportCcFeedback feedback = new TransportCcFeedback(1);
        byte[] feedbackBuffer = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES];
        TransportCcRecorder recorder = new TransportCcRecorder(feedback, now -> {
            do {
                feedback.writeFeedback(2, now, feedbackBuffer, 0);
            } while (feedback.hasMore());
        });
        recorder.extensionId(twccId);
        ReceivePipeline measured = new ReceivePipeline(demuxer, counters, recorder);
        byte[] layer = packet(VP8, 0, 0x1001, payload(200), ext(mid, "1"), ext(rid, "h"), twcc(twccId, 0));
        byte[] junk = packet(VP8, 0, STRANGER, payload(200), ext(mid, "1"), ext(rid, "zz"), twcc(twccId, 0));
        byte[] rtx = packet(VP8_RTX, 0, 0x2001, payload(200), ext(mid, "1"),
                ext(plan.receiveExtensions().repairedRid(), "h"), twcc(twccId, 0));
        byte[] copy = new byte[rtx.length];
        RtpPacket view = new RtpPacket();
        int[] seq = {0};
        byte[][] plain = {layer, junk};

        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 2_000; i++) {
                clock.addAndGet(1_000_000);
                for (byte[] bytes : plain) {
                    view.wrap(bytes, 0, bytes.length);
                    view.setSequenceNumber(seq[0] & 0xFFFF);
                    view.setTransportWideCcSequenceNumber(twccId, seq[0]++ & 0xFFFF);
                    measured.onRtp(bytes, 0, bytes.length, clock.get());
                }
                // Repair works in place: give it a fresh copy each time.
                System.arraycopy(rtx, 0, copy, 0, rtx.length);
                measured.onRtp(copy, 0, copy.length, clock.get());
            }
        });

        assertEquals(0, allocated, "bytes allocated for 6,000 packets");
        // The meter runs the task at least twice; the RTX copies were never asked for, so they end unsolicited.
        assertTrue(measured.stats().delivered() >= 2 * 2_000, measured.stats().toString());
        assertTrue(measured.stats().rtxUnsolicited() >= 2 * 2_000, measured.stats().toString());
        assertTrue(feedback.stats().feedbackSent() > 0);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Alice's negotiation of an offer, and her tracks as the session would create them. */
    private void publish(String offer) {
        publish(offer, demuxer);
    }

    private void publish(String offer, RtpDemuxer target) {
        plan = new Negotiator(new AnswerBuilder(CodecPolicy.defaults().withSimulcast()), 1, 1, () -> 7, "[alice] ")
                .negotiate(Captures.text(offer), LOCAL, Map.of());
        tracks = new ArrayList<>();
        for (PublicationPlan p : plan.publications()) {
            TrackInfo info = new TrackInfo(TrackId.of(ALICE, p.mid()), ALICE, p.kind());
            tracks.add(new PublishedTrack(info, p.mid(), p.rids(), p.ssrc(), p.clockRate(), null, p.media(),
                    MediaConfig.DEFAULT, clock::get));
        }
        target.update(plan.publications(), tracks, plan.receiveExtensions());
    }

    private void feed(ReceivePipeline pipeline, byte[] packet) {
        pipeline.onRtp(packet, 0, packet.length, clock.get());
    }

    private PublishedTrack video() {
        return tracks.get(1);
    }

    private static byte[] ext(int id, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        byte[] element = new byte[1 + v.length];
        element[0] = (byte) (id << 4 | v.length - 1);
        System.arraycopy(v, 0, element, 1, v.length);
        return element;
    }

    private static byte[] twcc(int id, int sequenceNumber) {
        return new byte[] {(byte) (id << 4 | 1), (byte) (sequenceNumber >> 8), (byte) sequenceNumber};
    }

    /** An RTX payload repairing {@code originalSequenceNumber}: the OSN, then 20 bytes. */
    private static byte[] rtxOf(int originalSequenceNumber) {
        byte[] rtx = payload(22);
        rtx[0] = (byte) (originalSequenceNumber >> 8);
        rtx[1] = (byte) originalSequenceNumber;
        return rtx;
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (0x40 + i);
        }
        return payload;
    }

    /** An RTP packet with one-byte header extensions (RFC 8285 §4.2). */
    private static byte[] packet(int payloadType, int sequenceNumber, long ssrc, byte[] payload, byte[]... extensions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(extensions.length > 0 ? 0x90 : 0x80);
        out.write(payloadType);
        out.write(sequenceNumber >> 8);
        out.write(sequenceNumber);
        out.writeBytes(new byte[] {0, 0, 0x30, 0x39});
        out.writeBytes(new byte[] {(byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc});
        if (extensions.length > 0) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] extension : extensions) {
                body.writeBytes(extension);
            }
            while (body.size() % 4 != 0) {
                body.write(0);
            }
            int words = body.size() / 4;
            out.writeBytes(new byte[] {(byte) 0xBE, (byte) 0xDE, (byte) (words >> 8), (byte) words});
            out.writeBytes(body.toByteArray());
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
