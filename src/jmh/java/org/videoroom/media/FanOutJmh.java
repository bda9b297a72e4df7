package org.videoroom.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.videoroom.buffer.BufferPool;
import org.videoroom.bwe.BweConfig;
import org.videoroom.jmh.Packets;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.sdp.AnswerBuilder;
import org.videoroom.sdp.CodecPolicy;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.HeaderExtensionUris;
import org.videoroom.sdp.LocalTransportParameters;
import org.videoroom.sdp.MediaKind;
import org.videoroom.sdp.NegotiatedMedia;
import org.videoroom.sdp.NegotiatedSession;
import org.videoroom.sdp.Origin;
import org.videoroom.sdp.OutgoingTrack;
import org.videoroom.sdp.SdpParser;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * The router's fan-out of one published VP8 packet to K subscribers, through the production classes: the
 * {@link PublishedTrack} (receive statistics, bitrate, keyframe detection) offers it to each {@link Subscription},
 * which copies it into a pooled buffer for that subscriber's {@link SendQueue}; the queue's drain runs the send
 * pipeline (layer check, {@code StreamRewriter}, payload type and header extension rewrite, packet history) and
 * hands it to the subscriber's end. The payload type and extension maps are {@link Negotiator}'s, from the
 * captured Chromium and Firefox offers answered by the production {@link AnswerBuilder}; subscribers alternate
 * between the two browsers.
 *
 * <p>The subscriber's end ({@code sink}) is either a counter ({@code count}: the router alone), or what a
 * subscriber's {@link PeerSession} and transport do before the system call ({@code srtp}): the
 * {@link TransportCcStamp} with its {@link DownlinkController}, then {@link SrtpSession#encryptRtp} under
 * AEAD_AES_128_GCM with that subscriber's own keys. The queue's executor runs the drain on the calling thread (in
 * production it is the send executor's), so one operation is all the work one published packet causes, for all K
 * subscribers; divide by K for the cost per forwarded packet. Every fourth packet starts a new frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanOutJmh {

    private static final int PACKETS_PER_FRAME = 4;
    private static final Fingerprint SERVER_FINGERPRINT = Fingerprint.parse("sha-256 "
            + "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    @Param({"1", "5", "15"})
    public int subscribers;

    @Param({"count", "srtp"})
    public String sink;

    private final BufferPool pool = new BufferPool();
    private final ForwardingCounters counters = new ForwardingCounters();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<SrtpSession> sessions = new ArrayList<>();
    private final RtpPacket packet = new RtpPacket();
    private PublishedTrack track;
    private PublishedTrack.Layer layer;
    private byte[] buf;
    private int packets;
    private int sequenceNumber = 1_000;
    private long timestamp = 90_000;
    /** What the subscribers' ends were handed, in bytes. */
    private long sentBytes;

    @Setup
    public void setUp() {
        NegotiatedSession chromium = negotiate(Captures.CHROMIUM_OFFER);
        NegotiatedSession firefox = negotiate(Captures.FIREFOX_OFFER);
        NegotiatedMedia published = chromium.media("1").orElseThrow();
        ParticipantId publisher = new ParticipantId("publisher");
        TrackInfo info = new TrackInfo(TrackId.of(publisher, published.mid()), publisher, MediaKind.VIDEO);
        track = new PublishedTrack(info, published.mid(), List.of(), published.ssrcs().get(0),
                published.preferredCodec().orElseThrow().codec().clockRate(), null, published, MediaConfig.DEFAULT,
                System::nanoTime);
        layer = track.layer(0);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < subscribers; i++) {
            NegotiatedMedia received = (i % 2 == 0 ? chromium : firefox).media("3").orElseThrow();
            SubscriberSink end = sink.equals("srtp") ? encryptingEnd(received, random) : countingEnd();
            Subscription subscription = new Subscription(end, new SendQueue(SendQueue.DEFAULT_CAPACITY, Runnable::run,
                    pool), track, received.mid(), 0x1000 + i, Negotiator.payloadTypeMap(published, received),
                    Negotiator.vp8PayloadTypes(published), Negotiator.extensionIdMap(published, received), null, true, 0,
                    pool, counters, System::nanoTime);
            subscriptions.add(subscription);
            track.add(subscription);
        }
        // A keyframe starts every subscriber's rewritten stream; inter frames follow.
        buf = Packets.vp8(Packets.VIDEO_BYTES, true);
        publish();
        buf = Packets.vp8(Packets.VIDEO_BYTES, false);
        long before = sentBytes;
        publish();
        if (sentBytes == before || counters.rtpForwarded.sum() != 2L * subscribers) {
            throw new IllegalStateException("setup: not forwarded to every subscriber: " + counters.snapshot());
        }
    }

    @TearDown
    public void tearDown() {
        track.close();
        subscriptions.forEach(Subscription::close);
        sessions.forEach(SrtpSession::close);
    }

    /** Returns the bytes the subscribers' ends were handed so far. */
    @Benchmark
    public long fanOut() {
        publish();
        return sentBytes;
    }

    private void publish() {
        if (packets++ % PACKETS_PER_FRAME == 0) {
            timestamp += 3_000;
        }
        packet.wrap(buf, 0, Packets.VIDEO_BYTES);
        packet.setSequenceNumber(sequenceNumber++ & 0xFFFF);
        packet.setTimestamp(timestamp & 0xFFFF_FFFFL);
        track.onRtp(layer, packet);
    }

    private SubscriberSink countingEnd() {
        return new End() {
            @Override
            public void sendRtp(byte[] b, int len) {
                sentBytes += len;
            }
        };
    }

    /** A subscriber's {@code PeerSession.Sink} and {@code PeerTransport.sendRtp} up to the system call. */
    private SubscriberSink encryptingEnd(NegotiatedMedia received, SplittableRandom random) {
        SrtpProfile profile = SrtpProfile.SRTP_AEAD_AES_128_GCM;
        byte[] exported = new byte[profile.keyingMaterialLength()];
        random.nextBytes(exported);
        SrtpSession srtp = SrtpSession.forServer(SrtpKeyingMaterial.fromExporterOutput(profile, exported),
                SrtpConfig.DEFAULT);
        sessions.add(srtp);
        DownlinkController downlink = new DownlinkController(() -> new Subscription[0], BweConfig.defaults(), counters,
                System::nanoTime);
        TransportCcStamp stamp = new TransportCcStamp(downlink, System::nanoTime, random.nextInt(1 << 16));
        stamp.extensionId(received.headerExtensionId(HeaderExtensionUris.TRANSPORT_WIDE_CC).orElseThrow());
        return new End() {
            @Override
            public void sendRtp(byte[] b, int len) {
                stamp.stamp(b, len);
                int sent = srtp.encryptRtp(b, 0, len);
                if (sent > 0) {
                    sentBytes += sent;
                }
            }
        };
    }

    private abstract static class End implements SubscriberSink {
        @Override
        public String id() {
            return "benchmark subscriber";
        }

        @Override
        public void sendRtcp(List<? extends RtcpPacket> packets) {
        }
    }

    /** The capture answered with forwarded tracks on its recvonly m-lines (mid 2 audio, mid 3 video). */
    private static NegotiatedSession negotiate(String capture) {
        Map<String, OutgoingTrack> forwarded = Map.of(
                "2", new OutgoingTrack(MediaKind.AUDIO, "publisher", "publisher-0",
                        Captures.CHROMIUM_AUDIO_SSRC, OptionalLong.empty(), "videoroom-publisher"),
                "3", new OutgoingTrack(MediaKind.VIDEO, "publisher", "publisher-1",
                        Captures.CHROMIUM_VIDEO_SSRC, OptionalLong.empty(), "videoroom-publisher"));
        LocalTransportParameters local = LocalTransportParameters.trickled("srvr", "serverPassword0123456789",
                SERVER_FINGERPRINT);
        return new AnswerBuilder(CodecPolicy.defaults())
                .answer(SdpParser.parse(Captures.text(capture)), local, Origin.jsep(1, 1), forwarded)
                .session();
    }
}
