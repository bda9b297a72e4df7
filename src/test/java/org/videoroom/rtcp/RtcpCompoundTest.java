package org.videoroom.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpCompoundTest {

    private static final List<RtcpPacket> PACKETS = List.of(
            new ReceiverReport(0x11111111L, List.of(new ReportBlock(0x22222222L, 12, 34, 0x10005L, 7, 0x1234L, 0x5678L))),
            SourceDescription.ofCname(0x11111111L, "sfu"),
            new PictureLossIndication(0x11111111L, 0x22222222L),
            TransportLayerNack.of(0x11111111L, 0x22222222L, 65535, 0, 3),
            FullIntraRequest.of(0x11111111L, 0x22222222L, 9),
            new ReceiverEstimatedMaxBitrate(0x11111111L, 1_500_001, List.of(0x22222222L)),
            Goodbye.of(0x11111111L));

    @Test
    void buildsACompoundThatParsesBackToTheSamePackets() {
        byte[] compound = RtcpCompound.marshal(PACKETS);
        assertEquals(RtcpCompound.marshalSize(PACKETS), compound.length);
        RtcpParser.Result result = new RtcpParser().parse(compound);
        assertEquals(RtcpParser.Status.OK, result.status());
        // 1_500_001 needs 21 bits; the wire carries 18 significant ones: 187500 << 3
        List<RtcpPacket> expected = new ArrayList<>(PACKETS);
        expected.set(5, new ReceiverEstimatedMaxBitrate(0x11111111L, 1_500_000, List.of(0x22222222L)));
        assertEquals(expected, result.packets());
    }

    @Test
    void writesAtAnOffsetAndReturnsTheLength() {
        byte[] buf = new byte[200];
        int len = RtcpCompound.marshalTo(List.of(new PictureLossIndication(1, 2)), buf, 100);
        assertEquals(12, len);
        assertEquals("81ce00020000000100000002", Hex.of(Arrays.copyOfRange(buf, 100, 112)));
    }

    @Test
    void tooSmallBufferThrowsBeforeWriting() {
        byte[] buf = new byte[RtcpCompound.marshalSize(PACKETS) - 1];
        assertThrows(RtcpException.class, () -> RtcpCompound.marshalTo(PACKETS, buf, 0));
        assertArrayEquals(new byte[buf.length], buf);
    }

    @Test
    void emptyListIsEmpty() {
        assertEquals(0, RtcpCompound.marshal(List.of()).length);
    }
}
