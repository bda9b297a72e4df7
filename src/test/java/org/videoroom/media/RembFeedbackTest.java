package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.buffer.BufferPool;
import org.videoroom.buffer.Bytes;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtp.AllocationMeter;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.sdp.Origin;
import org.videoroom.sdp.SdpParser;

/**
 * REMB towards a publisher, from the production negotiation of the captured Chromium offer with and without
 * transport-cc: what goes out is parsed back by our own RTCP parser. Time is simulated; packets carry
 * abs-send-time with the id the offer gave it (2).
 */
class RembFeedbackTest {

    private static final long MS = 1_000_000L;
    private static final long OUR_SSRC = 0x5EED_5EEDL;
    private static final int ABS_SEND_TIME_ID = 2;
    private static final int PACKET_BYTES = 1200;
    private static final Fingerprint SERVER_FINGERPRINT = Fingerprint.parse("sha-256 "
            + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    private final BufferPool pool = new BufferPool(16, true);
    private final long[] clock = {10_000 * MS};
    private final List<List<RtcpPacket>> sent = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final RtcpParser parser = new RtcpParser();
    private PublishedTrack[] tracks = new PublishedTrack[0];
    private final RembFeedback remb = new RembFeedback(OUR_SSRC, pool, this::record, () -> tracks);
    private final RtpPacket view = new RtpPacket();
    private final byte[] packet = new byte[PACKET_BYTES];
    private int sequenceNumber;

    @AfterEach
    void everyBufferReturned() {
        assertEquals(0, pool.stats().outstanding());
    }

    private void record(byte[] buf, int off, int len) {
        assertTrue(buf.length - off - len >= org.videoroom.transport.srtp.SrtpSession.MAX_TAIL_ROOM, "SRTCP tail room");
        RtcpParser.Result result = parser.parse(Arrays.copyOfRange(buf, off, off + len), 0, len);
        assertEquals(RtcpParser.Status.OK, result.status());
        sent.add(List.copyOf(result.packets()));
        sentAt.add(clock[0]);
    }

    private static NegotiatedSession negotiate(String offer) {
        LocalTransportParameters local = LocalTransportParameters.trickled("srvr", "serverPassword0123456789",
                SERVER_FINGERPRINT);
        return new AnswerBuilder(CodecPolicy.defaults())
                .answer(SdpParser.parse(offer), local, Origin.jsep(1, 1), Map.of())
                .session();
    }

    private static NegotiatedSession rembOnly() {
        return negotiate(org.videoroom.sdp.Captures.withoutTransportCc(Captures.CHROMIUM_OFFER));
    }

    /** The published audio and video tracks of the negotiation, with the capture's SSRCs. */
    private void publish(NegotiatedSession session) {
        tracks = new PublishedTrack[] {track(session.media("0").orElseThrow()), track(session.media("1").orElseThrow())};
    }

    private PublishedTrack track(NegotiatedMedia media) {
        MediaKind kind = media.kind();
        ParticipantId publisher = new ParticipantId("publisher");
        return new PublishedTrack(new TrackInfo(TrackId.of(publisher, media.mid()), publisher, kind), media.mid(),
                List.of(), media.ssrcs().get(0), 90_000, null, media, MediaConfig.DEFAULT, () -> clock[0]);
    }

    /** One video packet sent at {@code sendNanos} on the publisher's clock, arriving now. */
    private void receive(long sendNanos, boolean withSendTime) {
        packet[0] = (byte) 0x90; // V=2, X=1
        packet[1] = 96;
        Bytes.putUint16(packet, 2, sequenceNumber++ & 0xFFFF);
        Bytes.putUint32(packet, 4, sendNanos / 11_111);
        Bytes.putUint32(packet, 8, Captures.CHROMIUM_VIDEO_SSRC);
        Bytes.putUint16(packet, 12, RtpPacket.ONE_BYTE_EXTENSION_PROFILE);
        Bytes.putUint16(packet, 14, 1);
        // One element of 3 bytes: 6.18 fixed-point seconds, low 24 bits.
        packet[16] = (byte) ((withSendTime ? ABS_SEND_TIME_ID : 15 - 1) << 4 | 2);
        Bytes.putUint24(packet, 17, (int) ((sendNanos << 18) / 1_000_000_000L) & 0xFF_FFFF);
        assertEquals(RtpPacket.ParseResult.OK, view.wrap(packet, 0, packet.length));
        remb.onArrival(view, clock[0]);
    }

    /** 1.5 Mbit/s of 1200-byte packets (6.4 ms apart) for {@code nanos}, with a constant path delay. */
    private void steady(long nanos) {
        long end = clock[0] + nanos;
        while (clock[0] < end) {
            clock[0] += 6_400_000;
            receive(clock[0] - 30 * MS, true);
        }
    }

    private ReceiverEstimatedMaxBitrate rembOf(List<RtcpPacket> compound) {
        assertEquals(2, compound.size(), compound.toString());
        assertEquals(new ReceiverReport(OUR_SSRC, List.of()), compound.get(0), "led by an empty receiver report");
        return assertInstanceOf(ReceiverEstimatedMaxBitrate.class, compound.get(1));
    }

    @Test
    void aRembOnlyPublisherGetsARembOnItsFirstPacketListingItsMediaSsrcs() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);
        assertTrue(remb.active());

        steady(7 * MS);

        assertEquals(1, sent.size());
        ReceiverEstimatedMaxBitrate first = rembOf(sent.get(0));
        assertAll(
                () -> assertEquals(OUR_SSRC, first.senderSsrc()),
                () -> assertEquals(List.of(Captures.CHROMIUM_AUDIO_SSRC, Captures.CHROMIUM_VIDEO_SSRC), first.ssrcs()),
                // Before any measurement: the configured start, 1 Mbit/s (exactly representable).
                () -> assertEquals(1_000_000, first.bitrateBps()));
    }

    @Test
    void steadyTrafficGetsAboutOneRembPerSecondWithARisingEstimate() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);

        steady(6_000 * MS);

        assertTrue(sent.size() >= 6 && sent.size() <= 7, sent.size() + " REMBs in 6 s");
        for (int i = 1; i < sentAt.size(); i++) {
            long gap = sentAt.get(i) - sentAt.get(i - 1);
            assertTrue(gap >= 1_000 * MS && gap < 1_010 * MS, "gap " + gap / MS + " ms");
        }
        long last = rembOf(sent.get(sent.size() - 1)).bitrateBps();
        assertTrue(last >= 1_500_000, "REMB after 6 s of 1.5 Mbit/s: " + last);
        RembFeedback.Stats stats = remb.stats();
        assertAll(
                () -> assertEquals(sent.size(), stats.rembsSent()),
                // The value before rounding to 18 significant bits.
                () -> assertTrue(last <= stats.lastRembBps() && last > stats.lastRembBps() * (1 - 1e-5),
                        last + " vs " + stats.lastRembBps()),
                () -> assertTrue(stats.estimator().packets() > 700, "as of the last REMB: " + stats.estimator()));
    }

    /** A growing queue: the lower estimate goes out within 200 ms of the drop, not at the next second. */
    @Test
    void aDropOfMoreThanThreePercentIsSentPromptly() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);
        steady(5_000 * MS);
        int before = sent.size();

        // The bottleneck now drains at 1 Mbit/s: each 1200-byte packet leaves 9.6 ms after the previous one.
        long send = clock[0] - 30 * MS;
        long dropSeenAt = -1;
        long worstDelay = 0;
        for (int i = 0; i < 300; i++) {
            send += 6_400_000;
            clock[0] += 9_600_000;
            int count = sent.size();
            receive(send, true);
            RembFeedback.Stats stats = remb.stats();
            if (sent.size() > count) {
                if (dropSeenAt >= 0) {
                    worstDelay = Math.max(worstDelay, clock[0] - dropSeenAt);
                }
                dropSeenAt = -1;
            } else if (dropSeenAt < 0 && stats.estimateBps() < stats.lastRembBps() * RembFeedback.DROP_RATIO) {
                dropSeenAt = clock[0];
            }
        }
        List<Long> values = sent.subList(before, sent.size()).stream().map(c -> rembOf(c).bitrateBps()).toList();
        assertTrue(values.size() >= 2, "REMBs during congestion: " + values);
        assertTrue(values.get(values.size() - 1) < 1_000_000, "below the bottleneck: " + values);
        int firstLower = before;
        while (rembOf(sent.get(firstLower)).bitrateBps() >= rembOf(sent.get(before - 1)).bitrateBps()) {
            firstLower++;
        }
        long gap = sentAt.get(firstLower) - sentAt.get(firstLower - 1);
        assertTrue(gap < 1_000 * MS, "the first lower REMB waited " + gap / MS + " ms for the cadence");
        assertTrue(worstDelay <= 200 * MS, "a drop waited " + worstDelay / MS + " ms");
    }

    @Test
    void packetsWithoutAbsSendTimeCountOnlyForTheIncomingRate() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);
        for (int i = 0; i < 300; i++) {
            clock[0] += 6_400_000;
            receive(clock[0], false);
        }
        steady(1_100 * MS);
        assertEquals(300, remb.stats().estimator().packetsWithoutSendTime());
    }

    @Test
    void aTransportCcPublisherGetsNoRemb() {
        NegotiatedSession session = negotiate(Captures.text(Captures.CHROMIUM_OFFER));
        publish(session);
        remb.configure(session);

        steady(3_000 * MS);

        assertAll(
                () -> assertEquals(List.of(), sent),
                () -> assertTrue(!remb.active()),
                () -> assertNull(remb.stats()));
    }

    @Test
    void aReofferWithTransportCcStopsTheRemb() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);
        steady(1_500 * MS);
        int count = sent.size();
        assertTrue(count >= 2);

        remb.configure(negotiate(Captures.text(Captures.CHROMIUM_OFFER)));
        steady(3_000 * MS);

        assertEquals(count, sent.size());
    }

    @Test
    void packetsBetweenRembsAllocateNothing() {
        NegotiatedSession session = rembOnly();
        publish(session);
        remb.configure(session);
        steady(2_000 * MS);
        int due = sent.size() + 1;
        while (sent.size() < due) {
            steady(1); // one packet
        }
        long[] send = {clock[0] - 30 * MS};
        int count = sent.size();
        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 30; i++) {
                clock[0] += 6_400_000;
                send[0] += 6_400_000;
                receive(send[0], true);
            }
        });
        assertEquals(count, sent.size(), "no REMB fell due while measuring");
        assertEquals(0, allocated);
    }
}
