package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoroom.rtcp.FullIntraRequest;
import org.videoroom.rtcp.Goodbye;
import org.videoroom.rtcp.PictureLossIndication;
import org.videoroom.rtcp.RawRtcpPacket;
import org.videoroom.rtcp.ReceiverEstimatedMaxBitrate;
import org.videoroom.rtcp.ReceiverReport;
import org.videoroom.rtcp.RtcpCompound;
import org.videoroom.rtcp.RtcpPacket;
import org.videoroom.rtcp.SenderReport;
import org.videoroom.rtcp.TransportLayerNack;
import org.videoroom.rtcp.TransportWideCc;

/** RTCP termination: each message of a compound packet reaches the listener method of its type, once. */
class RtcpTerminatorTest {

    private final List<String> calls = new ArrayList<>();
    private final RtcpTerminator terminator = new RtcpTerminator(new RtcpTerminator.Listener() {
        @Override
        public void onSenderReport(SenderReport report) {
            calls.add("sr " + report.senderSsrc());
        }

        @Override
        public void onReceiverReport(ReceiverReport report) {
            calls.add("rr " + report.senderSsrc());
        }

        @Override
        public void onNack(TransportLayerNack nack) {
            calls.add("nack " + nack.mediaSsrc() + " " + List.of(java.util.Arrays.stream(nack.lostSequenceNumbers())
                    .boxed().toArray()));
        }

        @Override
        public void onKeyframeRequest(long mediaSsrc) {
            calls.add("keyframe " + mediaSsrc);
        }

        @Override
        public void onRemb(ReceiverEstimatedMaxBitrate remb) {
            calls.add("remb " + remb.bitrateBps());
        }

        @Override
        public void onTransportFeedback(TransportWideCc feedback) {
            calls.add("twcc " + feedback.baseSequenceNumber());
        }
    });

    @Test
    void everyMessageGoesToItsTypedListener() {
        feed(List.of(new ReceiverReport(1, List.of()),
                new SenderReport(2, 0x1234_5678_0000_0000L, 90_000, 10, 1000, List.of()),
                TransportLayerNack.of(1, 10, List.of(5, 6)),
                new PictureLossIndication(1, 11),
                new FullIntraRequest(1, List.of(new FullIntraRequest.Entry(12, 1), new FullIntraRequest.Entry(13, 2))),
                new ReceiverEstimatedMaxBitrate(1, 500_000, List.of(10L)),
                TransportWideCc.fromArrivalTimes(1, 10, 77, 0, new long[] {1000, 2000})));

        assertEquals(List.of("rr 1", "sr 2", "nack 10 [5, 6]", "keyframe 11", "keyframe 12", "keyframe 13",
                "remb 500000", "twcc 77"), calls);
        assertEquals(new RtcpStats(1, 0, 1, 1, 1, 3, 1, 1, 0), terminator.stats());
    }

    @Test
    void messagesAForwardingServerDoesNotUseAreCountedAndIgnored() {
        // APP (PT 204), two bytes of name padding aside: a whole 12-byte packet.
        byte[] app = {(byte) 0x80, (byte) 204, 0, 2, 0, 0, 0, 1, 'T', 'E', 'S', 'T'};
        feed(List.of(new ReceiverReport(1, List.of()), Goodbye.of(1), new RawRtcpPacket(app)));

        assertEquals(List.of("rr 1"), calls);
        assertEquals(2, terminator.stats().ignored());
    }

    @Test
    void aMalformedCompoundIsCountedAndWhatParsedBeforeTheProblemIsStillHandled() {
        byte[] good = RtcpCompound.marshal(List.of(new PictureLossIndication(1, 11)));
        byte[] compound = new byte[good.length + 4];
        System.arraycopy(good, 0, compound, 0, good.length);
        compound[good.length] = (byte) 0x40; // version 1: the walk stops here

        terminator.onRtcp(compound, 0, compound.length);
        terminator.onRtcp(new byte[3], 0, 3);

        assertEquals(List.of("keyframe 11"), calls);
        RtcpStats stats = terminator.stats();
        assertEquals(2, stats.compounds());
        assertEquals(2, stats.malformed());
    }

    private void feed(List<? extends RtcpPacket> packets) {
        byte[] compound = RtcpCompound.marshal(packets);
        terminator.onRtcp(compound, 0, compound.length);
    }
}
