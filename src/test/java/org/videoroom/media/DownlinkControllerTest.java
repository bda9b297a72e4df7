package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.BweConfig;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.media.NegotiationPlan.SubscriptionPlan;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.LocalTransportParameters;

/**
 * One subscriber's downlink: a Chromium simulcast track (three layers of about 100 kbit/s, 400 kbit/s and
 * 1 Mbit/s) forwarded to a Firefox subscriber, the estimate spent on its layers, and the RTX probes that follow
 * when the estimate holds the allocation back. Time is a test clock; the send queue runs inline.
 */
class DownlinkControllerTest {

    private static final LocalTransportParameters LOCAL = LocalTransportParameters.trickled("srvr",
            "serverPassword0123456789", Fingerprint.parse("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                    + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"));
    private static final ParticipantId ALICE = new ParticipantId("alice");
    private static final AnswerBuilder ANSWERS = new AnswerBuilder(CodecPolicy.defaults().withSimulcast());
    /** Payload bytes per 10 ms of each layer. */
    private static final int[] LAYER_BYTES = {125, 500, 1250};

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final BufferPool pool = new BufferPool(256, true);
    private final ForwardingCounters counters = new ForwardingCounters();
    private final long[] rtpSent = new long[1];
    private PublishedTrack track;
    private Subscription subscription;
    private int sequenceNumber;

    @AfterEach
    void everyBufferIsBack() {
        if (subscription != null) {
            subscription.close();
        }
        assertEquals(0, pool.stats().outstanding());
    }

    @Test
    void aSmallEstimateGetsTheLowestLayerAndAProbe() {
        DownlinkController downlink = downlink(300_000);
        run(downlink, 1_000);

        downlink.allocate();

        assertEquals(0, subscription.targetLayer(), "100 kbit/s fit, 400 do not");
        assertTrue(downlink.probing(), "the estimate holds the allocation back: probe for more");
        assertEquals(1, counters.probesStarted.sum());
        assertTrue(downlink.lastBwe() != null);
    }

    @Test
    void aLargeEstimateGetsTheTopLayerAndNoProbe() {
        DownlinkController downlink = downlink(5_000_000);
        run(downlink, 1_000);

        downlink.allocate();

        assertEquals(2, subscription.targetLayer());
        assertTrue(rtpSent[0] > 0, "forwarded");
        assertFalse(downlink.probing());
        assertEquals(5_000_000, downlink.estimateBps());
    }

    @Test
    void aHiddenTileGetsNoVideo() {
        DownlinkController downlink = downlink(5_000_000);
        run(downlink, 1_000);

        downlink.viewport(Map.of(ALICE.value(), new MediaEngine.Tile(false, 0)));
        downlink.allocate();

        assertEquals(-1, subscription.targetLayer(), "paused");
    }

    @Test
    void probesAreSentAsRtxAndAProbeTheLinkDidNotCarryBacksOff() {
        DownlinkController downlink = downlink(300_000);
        run(downlink, 1_000);
        downlink.allocate();

        run(downlink, 50);
        assertTrue(subscription.probes() > 0, "RTX probe packets went out");

        // No feedback acknowledges anything: once the probe and its tail are over, it did not carry.
        run(downlink, (DownlinkController.PROBE_DURATION_NANOS + DownlinkController.PROBE_TAIL_NANOS) / 1_000_000);
        assertFalse(downlink.probing());
        assertEquals(0, counters.probesCarried.sum());

        run(downlink, DownlinkController.PROBE_INTERVAL_NANOS / 1_000_000 - 100);
        downlink.allocate();
        assertFalse(downlink.probing(), "not before the pause is over");
        run(downlink, 200);
        downlink.allocate();
        assertTrue(downlink.probing(), "the next probe");
        assertEquals(2, counters.probesStarted.sum());

        // The second failure doubles the pause, up to its cap.
        run(downlink, (DownlinkController.PROBE_DURATION_NANOS + DownlinkController.PROBE_TAIL_NANOS) / 1_000_000
                + 20);
        long pause = Math.min(DownlinkController.PROBE_MAX_INTERVAL_NANOS, 2 * DownlinkController.PROBE_INTERVAL_NANOS);
        run(downlink, pause / 1_000_000 - 200);
        downlink.allocate();
        assertFalse(downlink.probing());
        run(downlink, 300);
        downlink.allocate();
        assertTrue(downlink.probing());
    }

    @Test
    void aProbeThatMeetsLossesStopsAtOnceAndDoesNotCount() {
        DownlinkController downlink = downlink(300_000);
        run(downlink, 1_000);
        downlink.allocate();
        assertTrue(downlink.probing());
        run(downlink, 50);
        long probesSoFar = subscription.probes();
        assertTrue(probesSoFar > 0);

        // The subscriber reports the first of ten packets received and the other nine lost.
        long sentAt = clock.get();
        for (int seq = 0; seq < 10; seq++) {
            downlink.onPacketSent(seq, 1_200, sentAt);
        }
        long[] arrivals = new long[10];
        java.util.Arrays.fill(arrivals, org.videoroom.rtcp.TransportWideCc.NOT_RECEIVED);
        arrivals[0] = 1_000_000;
        downlink.onTransportFeedback(org.videoroom.rtcp.TransportWideCc.fromArrivalTimes(1, 2, 0, 0, arrivals));
        run(downlink, 20);

        assertEquals(1, counters.probesAborted.sum());
        long afterAbort = subscription.probes();
        run(downlink, 200);
        assertEquals(afterAbort, subscription.probes(), "no probe packet after the losses were reported");
        run(downlink, DownlinkController.PROBE_TAIL_NANOS / 1_000_000);
        assertFalse(downlink.probing());
        assertEquals(0, counters.probesCarried.sum());
    }

    @Test
    void theTransportWideStampNumbersEveryPacketAndAllocatesNothing() {
        DownlinkController downlink = downlink(1_000_000);
        TransportCcStamp stamp = new TransportCcStamp(downlink, clock::get, 65535);
        stamp.extensionId(7); // Firefox's transport-wide cc id
        // One-byte extension id 7, two bytes of sequence number, one padding byte.
        byte[] packet = {(byte) 0x90, 120, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, (byte) 0xBE, (byte) 0xDE, 0, 1,
                0x71, 0, 0, 0, 1, 2, 3};
        RtpPacket view = new RtpPacket();

        stamp.stamp(packet, packet.length);
        view.wrap(packet, 0, packet.length);
        assertEquals(65535, view.transportWideCcSequenceNumber(7));
        stamp.stamp(packet, packet.length);
        view.wrap(packet, 0, packet.length);
        assertEquals(0, view.transportWideCcSequenceNumber(7), "wraps");

        long allocated = org.videoroom.rtp.AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 2_000; i++) {
                clock.addAndGet(100_000);
                stamp.stamp(packet, packet.length);
            }
        });
        assertEquals(0, allocated);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private DownlinkController downlink(long estimateBps) {
        NegotiationPlan published = new Negotiator(ANSWERS, 1, 1, () -> 7, "")
                .negotiate(Captures.text(Captures.CHROMIUM_OFFER_SIMULCAST), LOCAL, Map.of());
        PublicationPlan video = published.publications().get(1);
        track = new PublishedTrack(new TrackInfo(TrackId.of(ALICE, video.mid()), ALICE, video.kind()), video.mid(),
                video.rids(), video.ssrc(), video.clockRate(), null, video.media(), MediaConfig.DEFAULT, clock::get);
        for (int i = 0; i < 3; i++) {
            track.layer(i).bind(0x100 + i);
        }
        long[] ssrc = {0x5000};
        NegotiationPlan received = new Negotiator(ANSWERS, 2, 2, () -> ssrc[0]++, "")
                .negotiate(Captures.text(Captures.FIREFOX_OFFER), LOCAL, Map.of("3", track));
        SubscriptionPlan plan = received.subscriptions().get(0);
        subscription = new Subscription(new CountingSink(), new SendQueue(64, Runnable::run, pool), track,
                plan.mid(), plan.ssrc(), plan.payloadTypeMap(), plan.vp8PayloadTypes(), plan.extensionIds(),
                plan.rtxPacketizer(0), plan.nack(), 0, pool, counters, clock::get);
        track.add(subscription);
        Subscription[] subscriptions = {subscription};
        return new DownlinkController(() -> subscriptions, new BweConfig(estimateBps, 50_000, 10_000_000), counters,
                clock::get);
    }

    /** The publisher sends every layer for {@code millis}, a VP8 keyframe per layer every 10 ms. */
    private void run(DownlinkController downlink, long millis) {
        for (long t = 0; t < millis; t += 10) {
            clock.addAndGet(10_000_000);
            sequenceNumber++;
            for (int layer = 0; layer < 3; layer++) {
                byte[] bytes = vp8Keyframe(0x100 + layer, sequenceNumber, LAYER_BYTES[layer]);
                RtpPacket packet = new RtpPacket();
                packet.wrap(bytes, 0, bytes.length);
                track.onRtp(track.layer(layer), packet);
            }
            downlink.probeTick();
        }
    }

    private static byte[] vp8Keyframe(long ssrc, int sequenceNumber, int payloadBytes) {
        byte[] packet = new byte[12 + payloadBytes];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (sequenceNumber >> 8);
        packet[3] = (byte) sequenceNumber;
        int timestamp = sequenceNumber * 900;
        packet[4] = (byte) (timestamp >> 24);
        packet[5] = (byte) (timestamp >> 16);
        packet[6] = (byte) (timestamp >> 8);
        packet[7] = (byte) timestamp;
        packet[8] = (byte) (ssrc >> 24);
        packet[9] = (byte) (ssrc >> 16);
        packet[10] = (byte) (ssrc >> 8);
        packet[11] = (byte) ssrc;
        // VP8 descriptor with S=1, then the start of a 640x480 keyframe (RFC 6386 §9.1).
        byte[] vp8 = {0x10, 0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
        System.arraycopy(vp8, 0, packet, 12, vp8.length);
        return packet;
    }

    private final class CountingSink implements SubscriberSink {
        @Override
        public String id() {
            return "bob";
        }

        @Override
        public void sendRtp(byte[] buf, int len) {
            rtpSent[0]++;
        }

        @Override
        public void sendRtcp(List<? extends RtcpPacket> packets) {
        }
    }
}
