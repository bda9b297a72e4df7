package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.BweConfig;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtcp.TransportWideCc;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.LocalTransportParameters;

/**
 * What a participant's RTCP makes us do, on a Chromium video track forwarded to a Firefox subscriber: sender
 * reports relayed on the subscriber's timeline, NACKs answered from the history, REMB capping the estimate,
 * transport-wide feedback reaching the estimator. The send queue runs inline.
 */
class RtcpActionsTest {

    private static final LocalTransportParameters LOCAL = LocalTransportParameters.trickled("srvr",
            "serverPassword0123456789", Fingerprint.parse("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                    + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"));
    private static final ParticipantId ALICE = new ParticipantId("alice");
    private static final AnswerBuilder ANSWERS = new AnswerBuilder(CodecPolicy.defaults());

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final BufferPool pool = new BufferPool(64, true);
    private final ForwardingCounters counters = new ForwardingCounters();
    private final List<byte[]> rtp = new ArrayList<>();
    private final List<RtcpPacket> rtcp = new ArrayList<>();
    private final Subscriptions subscriptions = new Subscriptions();
    private PublishedTrack track;
    private Subscription subscription;
    private DownlinkController downlink;
    private RtcpActions actions;

    @BeforeEach
    void forwardAliceToBob() {
        PublicationPlan video = new Negotiator(ANSWERS, 1, 1, () -> 7, "")
                .negotiate(Captures.text(Captures.CHROMIUM_OFFER), LOCAL, Map.of()).publications().get(1);
        track = new PublishedTrack(new TrackInfo(TrackId.of(ALICE, video.mid()), ALICE, video.kind()), video.mid(),
                video.rids(), video.ssrc(), video.clockRate(), null, video.media(), MediaConfig.DEFAULT, clock::get);
        long[] ssrc = {0x5000};
        NegotiationPlan bob = new Negotiator(ANSWERS, 2, 2, () -> ssrc[0]++, "")
                .negotiate(Captures.text(Captures.FIREFOX_OFFER), LOCAL, Map.of("3", track));
        SendQueue queue = new SendQueue(64, Runnable::run, pool);
        SubscriberSink sink = new SubscriberSink() {
            @Override
            public String id() {
                return "bob";
            }

            @Override
            public void sendRtp(byte[] buf, int len) {
                rtp.add(java.util.Arrays.copyOf(buf, len));
            }

            @Override
            public void sendRtcp(List<? extends RtcpPacket> packets) {
                rtcp.addAll(packets);
            }
        };
        subscriptions.apply(bob, (SubscriptionPlan planned) -> new Subscription(sink, queue, planned.track(),
                planned.mid(), planned.ssrc(), planned.payloadTypeMap(), planned.vp8PayloadTypes(),
                planned.extensionIds(), null, planned.nack(), 0, pool, counters, clock::get));
        subscription = subscriptions.all()[0];
        downlink = new DownlinkController(subscriptions::all, BweConfig.defaults(), counters, clock::get);
        actions = new RtcpActions(() -> new PublishedTrack[] {track}, subscriptions, queue, downlink, counters,
                clock::get);
        for (int seq = 10; seq < 15; seq++) {
            publish(seq);
        }
    }

    @AfterEach
    void everyBufferIsBack() {
        subscriptions.close();
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void aPublishersSenderReportIsRelayedOnTheSubscribersStream() {
        actions.onSenderReport(new SenderReport(Captures.CHROMIUM_VIDEO_SSRC, 0x1234_5678_9ABC_0000L, 900_000, 5,
                500, List.of()));

        SenderReport relayed = assertInstanceOf(SenderReport.class, rtcp.get(0));
        assertEquals(subscription.ssrc(), relayed.senderSsrc());
        assertEquals(5, relayed.packetCount(), "the subscriber's own count");
        assertNotEquals(0, track.layer(0).reportBlock(clock.get()).lastSenderReport(), "LSR for our reports");
    }

    @Test
    void aSubscribersNackIsAnsweredFromTheHistory() {
        int before = rtp.size();

        actions.onNack(TransportLayerNack.of(0xB0B, subscription.ssrc(), List.of(12)));
        actions.onNack(TransportLayerNack.of(0xB0B, 0xDEAD, List.of(12))); // not a stream of ours

        assertEquals(before + 1, rtp.size());
        assertEquals(1, subscription.retransmitted());
        assertEquals(2, counters.nacksReceived.sum());
    }

    @Test
    void rembCapsAndFeedbackReachesTheEstimate() {
        actions.onRemb(new ReceiverEstimatedMaxBitrate(0xB0B, 200_000, List.of(subscription.ssrc())));
        actions.onTransportFeedback(TransportWideCc.fromArrivalTimes(0xB0B, subscription.ssrc(), 0, 0,
                new long[] {1_000}));

        assertTrue(downlink.estimateBps() <= 200_000, "capped: " + downlink.estimateBps());
        assertEquals(1, counters.transportCcFeedbackReceived.sum());
    }

    private void publish(int sequenceNumber) {
        byte[] packet = new byte[12 + 11 + 100];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (sequenceNumber >> 8);
        packet[3] = (byte) sequenceNumber;
        long ssrc = Captures.CHROMIUM_VIDEO_SSRC;
        packet[8] = (byte) (ssrc >> 24);
        packet[9] = (byte) (ssrc >> 16);
        packet[10] = (byte) (ssrc >> 8);
        packet[11] = (byte) ssrc;
        // A VP8 keyframe's first bytes (S=1 descriptor, 640x480).
        byte[] vp8 = {0x10, 0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
        System.arraycopy(vp8, 0, packet, 12, vp8.length);
        RtpPacket view = new RtpPacket();
        view.wrap(packet, 0, packet.length);
        clock.addAndGet(33_000_000);
        track.onRtp(track.layer(0), view);
    }
}
