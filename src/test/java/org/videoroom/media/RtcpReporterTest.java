package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.LocalTransportParameters;

/** What we tell a publisher: each compound leads with a receiver report, whatever follows it. */
class RtcpReporterTest {

    private static final long LOCAL_SSRC = 0xABCDL;
    private static final ParticipantId ALICE = new ParticipantId("alice");

    private final BufferPool pool = new BufferPool(16, true);
    private final ForwardingCounters counters = new ForwardingCounters();
    private final TransportCcFeedback transportCc = new TransportCcFeedback(LOCAL_SSRC);
    private final List<List<RtcpPacket>> sent = new ArrayList<>();
    private final RtcpReporter reporter = new RtcpReporter(LOCAL_SSRC, transportCc, pool, counters,
            (buf, off, len) -> sent.add(new RtcpParser().parse(buf, off, len).packets()));
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @AfterEach
    void everyBufferIsBack() {
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void nacksAndKeyframeRequestsFollowAnEmptyReceiverReport() {
        reporter.nack(10, List.of(3, 4));
        reporter.keyframeRequest(11);

        assertEquals(List.of(new ReceiverReport(LOCAL_SSRC, List.of()), TransportLayerNack.of(LOCAL_SSRC, 10,
                List.of(3, 4))), sent.get(0));
        assertEquals(List.of(new ReceiverReport(LOCAL_SSRC, List.of()), new PictureLossIndication(LOCAL_SSRC, 11)),
                sent.get(1));
        assertEquals(1, counters.nacksSent.sum());
        assertEquals(1, counters.keyframeRequests.sum());
    }

    @Test
    void receiverReportsCoverTheLayersThatSentSomething() {
        List<PublishedTrack> tracks = tracks(Captures.CHROMIUM_OFFER);
        RtpPacket packet = new RtpPacket();
        byte[] bytes = {(byte) 0x80, 96, 0, 7, 0, 0, 0, 1, 0x75, 0x5a, (byte) 0xc6, (byte) 0xb2, 1, 2, 3};
        packet.wrap(bytes, 0, bytes.length);
        tracks.get(1).onRtp(tracks.get(1).layer(0), packet);

        reporter.receiverReports(tracks.toArray(PublishedTrack[]::new), clock.get(), new UplinkQuality());

        ReceiverReport report = assertInstanceOf(ReceiverReport.class, sent.get(0).get(0));
        assertEquals(1, report.reportBlocks().size(), "the audio sent nothing yet");
        assertEquals(Captures.CHROMIUM_VIDEO_SSRC, report.reportBlocks().get(0).ssrc());
        assertEquals(1, counters.receiverReportsSent.sum());
    }

    @Test
    void transportWideFeedbackIsSentWhenThereIsSomethingToReport() {
        PublishedTrack[] tracks = tracks(Captures.CHROMIUM_OFFER).toArray(PublishedTrack[]::new);
        reporter.transportCcFeedback(tracks, clock.get());
        assertEquals(List.of(), sent, "nothing recorded, nothing sent");

        transportCc.onPacket(1, clock.get());
        transportCc.onPacket(2, clock.addAndGet(1_000_000));
        reporter.transportCcFeedback(tracks, clock.get());

        assertEquals(1, sent.size());
        assertInstanceOf(ReceiverReport.class, sent.get(0).get(0));
        TransportWideCc feedback = assertInstanceOf(TransportWideCc.class, sent.get(0).get(1));
        assertEquals(1, feedback.baseSequenceNumber());
        assertEquals(Captures.CHROMIUM_AUDIO_SSRC, feedback.mediaSsrc());
        assertTrue(counters.transportCcFeedbackSent.sum() == 1);
    }

    private List<PublishedTrack> tracks(String offer) {
        NegotiationPlan plan = new Negotiator(new AnswerBuilder(CodecPolicy.defaults()), 1, 1, () -> 7, "")
                .negotiate(Captures.text(offer), LocalTransportParameters.trickled("srvr", "serverPassword0123456789",
                        Fingerprint.parse("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")), Map.of());
        List<PublishedTrack> tracks = new ArrayList<>();
        for (PublicationPlan p : plan.publications()) {
            tracks.add(new PublishedTrack(new TrackInfo(TrackId.of(ALICE, p.mid()), ALICE, p.kind()), p.mid(),
                    p.rids(), p.ssrc(), p.clockRate(), null, p.media(), MediaConfig.DEFAULT, clock::get));
        }
        return tracks;
    }
}
