package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.buffer.BufferPool;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtp.HeaderExtensionIdMap;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.RtxPacketizer;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.HeaderExtensionUris;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.sdp.Origin;
import org.videoroom.sdp.OutgoingTrack;
import org.videoroom.sdp.SdpParser;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * Forwarding one published track to one subscriber, with the payload type and header extension maps that
 * {@link Negotiator} derives from two real negotiations (the captured Chromium and Firefox offers, each
 * answered by the production {@link AnswerBuilder}). Packets go to a recording {@link SubscriberSink} instead of
 * a transport; the buffer pool runs in debug mode and must get every buffer back.
 */
class SubscriptionTest {

    private static final Fingerprint SERVER_FINGERPRINT = Fingerprint.parse("sha-256 "
            + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    /** Each capture answered with forwarded tracks on its recvonly m-lines (mid 2 audio, mid 3 video). */
    private static final NegotiatedSession CHROMIUM = negotiate(Captures.CHROMIUM_OFFER);
    private static final NegotiatedSession FIREFOX = negotiate(Captures.FIREFOX_OFFER);

    private static final NegotiatedMedia CHROMIUM_PUBLISHED_AUDIO = CHROMIUM.media("0").orElseThrow();
    private static final NegotiatedMedia CHROMIUM_PUBLISHED_VIDEO = CHROMIUM.media("1").orElseThrow();
    private static final NegotiatedMedia FIREFOX_PUBLISHED_VIDEO = FIREFOX.media("1").orElseThrow();
    private static final NegotiatedMedia CHROMIUM_RECEIVED_AUDIO = CHROMIUM.media("2").orElseThrow();
    private static final NegotiatedMedia CHROMIUM_RECEIVED_VIDEO = CHROMIUM.media("3").orElseThrow();
    private static final NegotiatedMedia FIREFOX_RECEIVED_AUDIO = FIREFOX.media("2").orElseThrow();
    private static final NegotiatedMedia FIREFOX_RECEIVED_VIDEO = FIREFOX.media("3").orElseThrow();

    /** Chromium's H264 (packetization-mode=1) in its offer; Firefox, offline, offers no H264. */
    private static final int CHROMIUM_H264 = 102;

    /**
     * VP8 as Chromium sends it on mid 1: one-byte extensions with the ids of the capture's video m-line
     * (2 abs-send-time, 3 transport-wide cc, 4 mid).
     */
    static final String CHROMIUM_VP8 = ""
            + "90"       // V=2 P=0 X=1 CC=0
            + "e0"       // M=1 PT=96 (VP8 in Chromium's offer)
            + "3039"     // sequence number 12345
            + "00bc614e" // timestamp 12345678
            + "755ac6b2" // SSRC 1968883378 (the capture's a=ssrc for mid 1)
            + "bede"     // RFC 8285 one-byte form
            + "0003"     // extension length: 3 words
            + "22" + "123456"     // id 2 L=2: abs-send-time
            + "31" + "002a"       // id 3 L=1: transport-wide sequence number 42
            + "40" + "31"         // id 4 L=0: MID "1"
            + "000000"            // padding to the word boundary
            + "10" + "0000009d012a8002e001"; // VP8 descriptor (S=1) and the start of a keyframe

    /** The same packet as Firefox must receive it on its mid 3. */
    static final String CHROMIUM_VP8_FOR_FIREFOX = ""
            + "90"
            + "f8"       // M=1 PT=120: Firefox's VP8
            + "3039" + "00bc614e" + "755ac6b2" // sequence number, timestamp and SSRC unchanged
            + "bede" + "0003"
            + "42" + "123456"     // abs-send-time: Firefox's id 4
            + "71" + "002a"       // transport-wide cc: Firefox's id 7
            + "0000"              // MID stripped: RFC 8285 padding bytes
            + "000000"
            + "10" + "0000009d012a8002e001";

    /** The same packet as another Chromium receives it on its mid 3: same numbering, MID stripped. */
    static final String CHROMIUM_VP8_FOR_CHROMIUM = ""
            + "90" + "e0" + "3039" + "00bc614e" + "755ac6b2"
            + "bede" + "0003"
            + "22" + "123456"
            + "31" + "002a"
            + "0000"              // MID stripped
            + "000000"
            + "10" + "0000009d012a8002e001";

    /** Opus as Chromium sends it on mid 0 (ids 1 audio level, 2 abs-send-time, 3 transport-wide cc, 4 mid). */
    static final String CHROMIUM_OPUS = ""
            + "b0"       // V=2 P=1 X=1 CC=0
            + "6f"       // M=0 PT=111 (opus in Chromium's offer)
            + "1234"     // sequence number 4660
            + "0001e240" // timestamp 123456
            + "a6688d80" // SSRC 2791869824 (the capture's a=ssrc for mid 0)
            + "bede" + "0003"
            + "10" + "8a"         // id 1 L=0: audio level, V=1, 10 -dBov
            + "22" + "123456"     // id 2 L=2: abs-send-time
            + "31" + "002a"       // id 3 L=1: transport-wide sequence number 42
            + "40" + "30"         // id 4 L=0: MID "0"
            + "00"                // padding to the word boundary
            + "780b1122"          // payload
            + "000003";           // RTP padding, count 3: forwarded as is

    /** Firefox's audio m-line has no abs-send-time: that element is stripped along with the MID. */
    static final String CHROMIUM_OPUS_FOR_FIREFOX = ""
            + "b0"
            + "6d"       // PT=109: Firefox's opus
            + "1234" + "0001e240" + "a6688d80"
            + "bede" + "0003"
            + "10" + "8a"         // audio level: id 1 on both
            + "00" + "000000"     // abs-send-time, not negotiated by Firefox for audio: stripped
            + "71" + "002a"       // transport-wide cc: Firefox's id 7
            + "0000"              // MID stripped
            + "00"
            + "780b1122" + "000003";

    private final BufferPool pool = new BufferPool(64, true);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ForwardingCounters counters = new ForwardingCounters();
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void everyBufferIsBackInThePool() {
        tracks.forEach(PublishedTrack::close);
        subscriptions.forEach(Subscription::close);
        BufferPool.Stats stats = pool.stats();
        assertEquals(0, stats.outstanding(), "outstanding buffers");
        assertEquals(0, stats.doubleReleases(), "double releases");
        assertEquals(0, stats.foreignReleases(), "foreign releases");
    }

    static Stream<Arguments> forwardingCases() {
        return Stream.of(
                Arguments.of("Chromium VP8 to Firefox", CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO,
                        CHROMIUM_VP8, CHROMIUM_VP8_FOR_FIREFOX),
                Arguments.of("Chromium VP8 to Chromium", CHROMIUM_PUBLISHED_VIDEO, CHROMIUM_RECEIVED_VIDEO,
                        CHROMIUM_VP8, CHROMIUM_VP8_FOR_CHROMIUM),
                Arguments.of("Chromium opus to Firefox", CHROMIUM_PUBLISHED_AUDIO, FIREFOX_RECEIVED_AUDIO,
                        CHROMIUM_OPUS, CHROMIUM_OPUS_FOR_FIREFOX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardingCases")
    void rewritesPayloadTypeAndExtensionIdsAndStripsTheMid(String name, NegotiatedMedia published,
                                                          NegotiatedMedia received, String in, String out) {
        PublishedTrack track = track(published);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, received, sink, 0);

        publish(track, in);

        assertEquals(1, sink.rtp.size());
        assertArrayEquals(hex(out), sink.rtp.get(0));
        RtpPacket view = new RtpPacket();
        view.wrap(sink.rtp.get(0), 0, sink.rtp.get(0).length);
        int subscriberMidId = received.headerExtensionId(HeaderExtensionUris.MID).orElseThrow();
        assertEquals(-1, view.findExtension(subscriberMidId), "no MID under the subscriber's id");
        assertEquals(1, subscription.forwarded());
        assertEquals(1, counters.rtpForwarded.sum());
    }

    @Test
    void everySubscriberGetsItsOwnCopyAndTheOriginalStaysIntact() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink firefox = new RecordingSink();
        RecordingSink chromium = new RecordingSink();
        subscribe(track, FIREFOX_RECEIVED_VIDEO, firefox, 0);
        subscribe(track, CHROMIUM_RECEIVED_VIDEO, chromium, 0);
        byte[] original = hex(CHROMIUM_VP8);
        byte[] before = original.clone();

        RtpPacket packet = new RtpPacket();
        packet.wrap(original, 0, original.length);
        track.onRtp(track.layer(0), packet);

        assertArrayEquals(before, original, "the publisher's packet is read, never rewritten");
        assertArrayEquals(hex(CHROMIUM_VP8_FOR_FIREFOX), firefox.rtp.get(0));
        assertArrayEquals(hex(CHROMIUM_VP8_FOR_CHROMIUM), chromium.rtp.get(0));
        assertFalse(firefox.buffers.get(0) == original || chromium.buffers.get(0) == original, "a copy is sent");
        assertTrue(firefox.minTailRoom >= SrtpSession.MAX_TAIL_ROOM, "room for the SRTP tag");
        assertTrue(chromium.minTailRoom >= SrtpSession.MAX_TAIL_ROOM, "room for the SRTP tag");
        assertEquals(2, counters.rtpForwarded.sum());
    }

    static Stream<Arguments> payloadTypeMaps() {
        return Stream.of(
                // name, publisher's m-line, subscriber's m-line, publisher's payload type, subscriber's or -1
                Arguments.of("VP8 Chromium to Firefox", CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO, 96, 120),
                Arguments.of("VP8 Firefox to Chromium", FIREFOX_PUBLISHED_VIDEO, CHROMIUM_RECEIVED_VIDEO, 120, 96),
                Arguments.of("VP8 Chromium to Chromium", CHROMIUM_PUBLISHED_VIDEO, CHROMIUM_RECEIVED_VIDEO, 96, 96),
                Arguments.of("H264 Chromium to Firefox: lacking", CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO,
                        CHROMIUM_H264, -1),
                Arguments.of("H264 Chromium to Chromium", CHROMIUM_PUBLISHED_VIDEO, CHROMIUM_RECEIVED_VIDEO,
                        CHROMIUM_H264, CHROMIUM_H264),
                // RTX rides on its own SSRC, which the server never forwards; its payload type maps to nothing.
                Arguments.of("RTX of VP8", CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO, 97, -1),
                Arguments.of("opus Chromium to Firefox", CHROMIUM_PUBLISHED_AUDIO, FIREFOX_RECEIVED_AUDIO, 111, 109),
                Arguments.of("G722, not negotiated", CHROMIUM_PUBLISHED_AUDIO, FIREFOX_RECEIVED_AUDIO, 9, -1),
                Arguments.of("unknown", CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO, 127, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloadTypeMaps")
    void mapsPayloadTypesByCodec(String name, NegotiatedMedia published, NegotiatedMedia received, int from, int to) {
        assertEquals(to, Negotiator.payloadTypeMap(published, received)[from]);
    }

    @Test
    void extensionIdMapTranslatesByUriAndLeavesTheMidOut() {
        // Chromium video: 2 abs-send-time, 3 transport-wide cc, 4 mid. Firefox video: 4, 7 and 3.
        assertEquals(HeaderExtensionIdMap.of(Map.of(2, 4, 3, 7)),
                Negotiator.extensionIdMap(CHROMIUM_PUBLISHED_VIDEO, FIREFOX_RECEIVED_VIDEO));
        // Chromium audio: 1 audio level, 2 abs-send-time, 3 transport-wide cc, 4 mid. Firefox audio: 1, -, 7, 3.
        assertEquals(HeaderExtensionIdMap.of(Map.of(1, 1, 3, 7)),
                Negotiator.extensionIdMap(CHROMIUM_PUBLISHED_AUDIO, FIREFOX_RECEIVED_AUDIO));
        // Firefox video to Chromium: 4 -> 2, 7 -> 3, mid 3 left out.
        assertEquals(HeaderExtensionIdMap.of(Map.of(4, 2, 7, 3)),
                Negotiator.extensionIdMap(FIREFOX_PUBLISHED_VIDEO, CHROMIUM_RECEIVED_VIDEO));
    }

    @Test
    void aPayloadTypeTheSubscriberLacksIsDropped() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink firefox = new RecordingSink();
        RecordingSink chromium = new RecordingSink();
        Subscription toFirefox = subscribe(track, FIREFOX_RECEIVED_VIDEO, firefox, 0);
        Subscription toChromium = subscribe(track, CHROMIUM_RECEIVED_VIDEO, chromium, 0);

        publish(track, videoPacket(1, CHROMIUM_H264));

        assertEquals(List.of(), firefox.rtp, "Firefox negotiated no H264");
        assertEquals(0, toFirefox.forwarded());
        assertEquals(1, chromium.rtp.size());
        assertEquals(CHROMIUM_H264, chromium.rtp.get(0)[1] & 0x7F);
        assertEquals(1, toChromium.forwarded());
        assertEquals(1, counters.rtpForwarded.sum());
    }

    @ParameterizedTest(name = "{0} % loss")
    @CsvSource({
            // loss percent, packets sent to the subscriber, packets dropped by the switch
            "100, 0,  20",
            "0,   20, 0",
    })
    void lossSwitchDropsForwardedPacketsButNotRetransmissions(double lossPercent, int sent, int injected) {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, lossPercent);

        for (int seq = 0; seq < 20; seq++) {
            publish(track, videoPacket(seq, 96));
        }
        assertEquals(sent, sink.rtp.size());
        assertEquals(sent, subscription.forwarded());
        assertEquals(injected, counters.rtpLossInjected.sum());

        // The loss is on the way to the subscriber, after the history kept the packet: a NACK repairs it.
        subscription.retransmit(new int[] {7});
        assertEquals(7, sequenceNumber(sink.rtp.get(sink.rtp.size() - 1)));
        assertEquals(1, subscription.retransmitted());
    }

    @Test
    void retransmitsFromTheSubscriptionsHistoryAcrossTheWrap() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        for (int seq : new int[] {65533, 65534, 65535, 0, 1}) {
            publish(track, videoPacket(seq, 96));
        }
        byte[] forwarded = sink.rtp.get(2);

        subscription.retransmit(new int[] {65535});

        assertEquals(6, sink.rtp.size());
        assertArrayEquals(forwarded, sink.rtp.get(5), "resent as first forwarded: rewritten, same sequence number");
        assertEquals(65535, sequenceNumber(sink.rtp.get(5)));
        assertEquals(120, sink.rtp.get(5)[1] & 0x7F);
        assertEquals(1, subscription.retransmitted());
        assertTrue(sink.minTailRoom >= SrtpSession.MAX_TAIL_ROOM, "room for the SRTP tag");
    }

    @Test
    void theForwardingPathAllocatesNothingPerPacket() {
        // A pool without debug bookkeeping (which allocates per take); buffers are recycled after the warm-up.
        BufferPool recycling = new BufferPool();
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        long[] sent = new long[1];
        SubscriberSink counting = new SubscriberSink() {
            @Override
            public String id() {
                return "counting";
            }

            @Override
            public void sendRtp(byte[] buf, int len) {
                sent[0]++;
            }

            @Override
            public void sendRtcp(List<? extends RtcpPacket> packets) {
            }
        };
        List<Subscription> legs = new ArrayList<>();
        for (NegotiatedMedia received : List.of(FIREFOX_RECEIVED_VIDEO, CHROMIUM_RECEIVED_VIDEO)) {
            Subscription leg = new Subscription(counting, new SendQueue(64, Runnable::run, recycling), track,
                    received.mid(), 0x1000 + legs.size(), Negotiator.payloadTypeMap(track.publisherMedia(), received),
                    Negotiator.vp8PayloadTypes(track.publisherMedia()),
                    Negotiator.extensionIdMap(track.publisherMedia(), received), null, true, 0, recycling, counters,
                    clock::get);
            legs.add(leg);
            subscriptions.add(leg);
            track.add(leg);
        }
        byte[] bytes = hex(CHROMIUM_VP8);
        RtpPacket packet = new RtpPacket();
        packet.wrap(bytes, 0, bytes.length);
        PublishedTrack.Layer layer = track.layer(0);
        int[] seq = {0};
        long bytesPerRun = org.videoroom.rtp.AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 2_000; i++) {
                packet.setSequenceNumber(seq[0]++ & 0xFFFF);
                clock.addAndGet(1_000_000);
                track.onRtp(layer, packet);
            }
        });
        assertEquals(0, bytesPerRun, "bytes allocated for 2,000 packets to two subscribers");
        // The meter runs the task at least twice (a warm-up, then measured runs).
        assertTrue(sent[0] >= 2 * 2 * 2_000, "every packet went to both: " + sent[0]);
    }

    @Test
    void aNackStormIsAnsweredOnceForEachDistinctNumberAndBoundedPerNack() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        for (int seq = 0; seq < 300; seq++) {
            publish(track, videoPacket(seq, 96));
        }
        int before = sink.rtp.size();

        // The same number 5,000 times: one retransmission.
        int[] repeated = new int[5_000];
        java.util.Arrays.fill(repeated, 42);
        subscription.retransmit(repeated);
        assertEquals(before + 1, sink.rtp.size());
        assertEquals(4_999, counters.nackEntriesIgnored.sum());

        // 300 distinct numbers: answered up to the bound.
        int[] all = java.util.stream.IntStream.range(0, 300).toArray();
        subscription.retransmit(all);
        assertEquals(before + 1 + Subscription.MAX_NACKED_PER_FEEDBACK, sink.rtp.size());
        assertEquals(1 + Subscription.MAX_NACKED_PER_FEEDBACK, subscription.retransmitted());

        // The next NACK is a fresh one: the same number is answered again.
        subscription.retransmit(new int[] {42});
        assertEquals(2 + Subscription.MAX_NACKED_PER_FEEDBACK, subscription.retransmitted());
    }

    @Test
    void retransmissionsStayWithinTheSubscribersBudgetWhateverItNacks() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        for (int seq = 0; seq < 300; seq++) {
            publish(track, videoPacket(seq, 96));
        }
        long forwardedBytes = sink.rtp.stream().mapToLong(p -> p.length).sum();
        int before = sink.rtp.size();

        // A hostile subscriber NACKs the last 128 packets a thousand times over.
        int[] window = java.util.stream.IntStream.range(172, 300).toArray();
        for (int nack = 0; nack < 1_000; nack++) {
            subscription.retransmit(window);
        }

        long resentBytes = sink.rtp.subList(before, sink.rtp.size()).stream().mapToLong(p -> p.length).sum();
        assertTrue(resentBytes <= Subscription.RETRANSMIT_CREDIT_START_BYTES + forwardedBytes,
                resentBytes + " bytes resent for " + forwardedBytes + " forwarded");
        assertTrue(resentBytes > Subscription.RETRANSMIT_CREDIT_START_BYTES / 2, "the budget was there to use");
        long denied = counters.retransmissionsDenied.sum();
        assertEquals(1_000L * window.length, subscription.retransmitted() + denied);

        // Forwarding earns the credit back.
        long retransmitted = subscription.retransmitted();
        for (int seq = 300; seq < 310; seq++) {
            publish(track, videoPacket(seq, 96));
        }
        subscription.retransmit(new int[] {305});
        assertEquals(retransmitted + 1, subscription.retransmitted());
    }

    @Test
    void aSubscriberThatNegotiatedRtxGetsRetransmissionsAsRtx() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        long rtxSsrc = 0x5EED_0001L;
        RtxPacketizer rtx = new RtxPacketizer(rtxSsrc, Map.of(120, 124), 1000);
        Subscription subscription = new Subscription(sink, queue(), track, FIREFOX_RECEIVED_VIDEO.mid(),
                track.layer(0).ssrc(), Negotiator.payloadTypeMap(track.publisherMedia(), FIREFOX_RECEIVED_VIDEO),
                Negotiator.vp8PayloadTypes(track.publisherMedia()),
                Negotiator.extensionIdMap(track.publisherMedia(), FIREFOX_RECEIVED_VIDEO), rtx, true, 0, pool, counters,
                clock::get);
        subscriptions.add(subscription);
        track.add(subscription);
        publish(track, videoPacket(7, 96));
        byte[] forwarded = sink.rtp.get(0);

        subscription.retransmit(new int[] {7});

        byte[] retransmission = sink.rtp.get(1);
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, packet.wrap(retransmission, 0, retransmission.length));
        assertEquals(rtxSsrc, packet.ssrc());
        assertEquals(124, packet.payloadType());
        assertEquals(1000, packet.sequenceNumber());
        // RFC 4588 §4: the payload starts with the original sequence number, then the original payload.
        RtpPacket original = new RtpPacket();
        original.wrap(forwarded, 0, forwarded.length);
        assertEquals(7, ((retransmission[packet.payloadOffset()] & 0xFF) << 8)
                | (retransmission[packet.payloadOffset() + 1] & 0xFF));
        assertEquals(original.payloadLength() + RtxPacketizer.OSN_BYTES, packet.payloadLength());
        assertEquals(1, subscription.retransmitted());
    }

    static Stream<Arguments> retransmitMisses() {
        return Stream.of(
                Arguments.of("never received", 2, 0L),
                Arguments.of("older than the first packet", 65000, 0L),
                Arguments.of("far ahead", 30000, 0L),
                Arguments.of("expired", 65535, Subscription.HISTORY_MAX_AGE_NANOS + 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retransmitMisses")
    void aCacheMissSendsNothing(String name, int sequenceNumber, long laterNanos) {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            publish(track, videoPacket(seq, 96));
        }
        clock.addAndGet(laterNanos);

        subscription.retransmit(new int[] {sequenceNumber});
        assertEquals(4, sink.rtp.size());
        assertEquals(0, subscription.retransmitted());
    }

    @Test
    void aCachedPacketOfAPayloadTypeTheSubscriberLacksIsNotRetransmitted() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        publish(track, videoPacket(10, CHROMIUM_H264));

        subscription.retransmit(new int[] {10});
        assertEquals(List.of(), sink.rtp);
        assertEquals(0, subscription.retransmitted());
    }

    @Test
    void buffersReturnToThePoolWhateverHappensToThePacket() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        Subscription lossy = subscribe(track, CHROMIUM_RECEIVED_VIDEO, new RecordingSink(), 100);

        for (int seq = 0; seq < 50; seq++) {
            publish(track, videoPacket(seq, seq % 5 == 0 ? CHROMIUM_H264 : 96)); // sent, dropped, loss-injected
        }
        for (int seq = 0; seq < 60; seq++) {
            subscription.retransmit(new int[] {seq}); // hits, misses, and payload types Firefox lacks
        }

        // Only the histories hold buffers now, one per stored packet; closing them returns them (checked after
        // each test).
        assertEquals(subscription.historySize() + lossy.historySize(), pool.stats().outstanding());
        assertEquals(40 + 40, sink.rtp.size());
        assertEquals(0, pool.stats().doubleReleases());
    }

    @Test
    void aPacketForwardedAfterTheTrackClosedGoesNowhere() {
        PublishedTrack track = track(CHROMIUM_PUBLISHED_VIDEO);
        RecordingSink sink = new RecordingSink();
        Subscription subscription = subscribe(track, FIREFOX_RECEIVED_VIDEO, sink, 0);
        track.close();

        publish(track, videoPacket(1, 96));

        assertEquals(List.of(), sink.rtp);
        assertEquals(0, subscription.forwarded());
        subscription.retransmit(new int[] {1});
        assertEquals(List.of(), sink.rtp);
    }

    // ---- fixture ---------------------------------------------------------------------------------------------

    /**
     * A published track on the publisher's m-line. Its publisher session is only used for keyframe requests,
     * which these tests never make, so none is needed.
     */
    private PublishedTrack track(NegotiatedMedia published) {
        MediaKind kind = published.kind() == org.videoroom.sdp.MediaKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
        ParticipantId publisher = new ParticipantId("publisher");
        TrackInfo info = new TrackInfo(TrackId.of(publisher, published.mid()), publisher, kind);
        PublishedTrack track = new PublishedTrack(info, published.mid(), List.of(), published.ssrcs().get(0),
                published.preferredCodec().orElseThrow().codec().clockRate(), null, published, MediaConfig.DEFAULT,
                clock::get);
        tracks.add(track);
        return track;
    }

    /** A subscription with the maps {@link PeerSession} builds when it negotiates one. */
    private Subscription subscribe(PublishedTrack track, NegotiatedMedia received, SubscriberSink sink,
                                   double lossPercent) {
        Subscription subscription = new Subscription(sink, queue(), track, received.mid(), track.layer(0).ssrc(),
                Negotiator.payloadTypeMap(track.publisherMedia(), received),
                Negotiator.vp8PayloadTypes(track.publisherMedia()),
                Negotiator.extensionIdMap(track.publisherMedia(), received), null, true, lossPercent, pool, counters,
                clock::get);
        subscriptions.add(subscription);
        track.add(subscription);
        return subscription;
    }

    /** The subscriber's send queue, drained at once on the calling thread so tests see results synchronously. */
    private SendQueue queue() {
        return new SendQueue(64, Runnable::run, pool);
    }

    /** Hands a packet to the track, as the publisher's receive thread does after decryption. */
    private static void publish(PublishedTrack track, String packetHex) {
        byte[] bytes = hex(packetHex);
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpPacket.ParseResult.OK, packet.wrap(bytes, 0, bytes.length));
        PublishedTrack.Layer layer = track.layerBySsrc(packet.ssrc());
        track.onRtp(layer != null ? layer : track.layer(0), packet);
    }

    /** {@link #CHROMIUM_VP8} with another sequence number and payload type. */
    private static String videoPacket(int sequenceNumber, int payloadType) {
        return "90" + String.format("%02x%04x", 0x80 | payloadType, sequenceNumber) + CHROMIUM_VP8.substring(8);
    }

    private static int sequenceNumber(byte[] packet) {
        return (packet[2] & 0xFF) << 8 | packet[3] & 0xFF;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static NegotiatedSession negotiate(String capture) {
        Map<String, OutgoingTrack> forwarded = Map.of(
                "2", new OutgoingTrack(org.videoroom.sdp.MediaKind.AUDIO, "publisher", "publisher-0",
                        Captures.CHROMIUM_AUDIO_SSRC, OptionalLong.empty(), "videoroom-publisher"),
                "3", new OutgoingTrack(org.videoroom.sdp.MediaKind.VIDEO, "publisher", "publisher-1",
                        Captures.CHROMIUM_VIDEO_SSRC, OptionalLong.empty(), "videoroom-publisher"));
        LocalTransportParameters local = LocalTransportParameters.trickled("srvr", "serverPassword0123456789",
                SERVER_FINGERPRINT);
        return new AnswerBuilder(CodecPolicy.defaults())
                .answer(SdpParser.parse(Captures.text(capture)), local, Origin.jsep(1, 1), forwarded)
                .session();
    }

    /** Records what a subscription sends, copying it: the buffer goes back to the pool right after. */
    private final class RecordingSink implements SubscriberSink {
        final List<byte[]> rtp = new ArrayList<>();
        final List<byte[]> buffers = new ArrayList<>();
        final List<List<? extends RtcpPacket>> rtcp = new ArrayList<>();
        int minTailRoom = Integer.MAX_VALUE;

        @Override
        public String id() {
            return "subscriber";
        }

        @Override
        public synchronized void sendRtp(byte[] buf, int len) {
            rtp.add(Arrays.copyOfRange(buf, 0, len));
            buffers.add(buf);
            minTailRoom = Math.min(minTailRoom, buf.length - len);
        }

        @Override
        public synchronized void sendRtcp(List<? extends RtcpPacket> packets) {
            rtcp.add(List.copyOf(packets));
        }
    }
}
