package org.videoroom.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.videoroom.rtcp.RtcpParser;
import org.videoroom.rtp.RtpPacket;
import org.videoroom.rtp.Vp8PayloadDescriptor;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.SdpParseException;
import org.videoroom.sdp.SdpParser;
import org.videoroom.signaling.SignalCodec;
import org.videoroom.signaling.SignalingException;

/**
 * Coverage-guided fuzzing of the parsers that read network input (issue 13). Each target feeds one input to one
 * parser and lets only the parser's documented way of refusing input through; anything else thrown (an index out
 * of bounds, a null pointer, an arithmetic overflow, a stack overflow, an out-of-memory from a declared count) is a
 * finding. Without {@code JAZZER_FUZZ} (every {@code mvn test}) each target replays its corpus under
 * {@code src/test/resources/org/videoroom/fuzz/ParserFuzzTestInputs/<target>/}; README "Fuzzing" has the long run.
 * The two hours of {@code maxDuration} only bound a fuzzing run that was given no execution count ({@link FuzzRun}
 * gives one).
 */
class ParserFuzzTest {

    private static final SignalCodec CODEC = new SignalCodec();

    /** RTP as it comes off SRTP: validation, then every header accessor and the VP8 descriptor of the payload. */
    @FuzzTest(maxDuration = "2h")
    void rtp(byte[] input) {
        if (RtpPacket.validate(input, 0, input.length) != RtpPacket.ParseResult.OK) {
            return;
        }
        RtpPacket packet = new RtpPacket();
        if (packet.wrap(input, 0, input.length) != RtpPacket.ParseResult.OK) {
            throw new IllegalStateException("validate and wrap disagree");
        }
        long sum = packet.sequenceNumber() + packet.timestamp() + packet.ssrc() + packet.payloadType();
        for (int i = 0; i < packet.csrcCount(); i++) {
            sum += packet.csrc(i);
        }
        if (packet.hasExtension()) {
            sum += packet.extensionProfile();
            for (int id = 0; id < 256; id++) {
                sum += packet.findExtension(id);
            }
        }
        int payload = packet.payloadOffset();
        int length = packet.payloadLength();
        if (payload < 0 || length < 0 || payload + length > input.length) {
            throw new IllegalStateException("payload outside the packet: " + payload + "+" + length);
        }
        new Vp8PayloadDescriptor().wrap(input, payload, length);
        sum += Vp8PayloadDescriptor.keyframeHeight(input, payload, length);
        if (sum == 42) {
            // Keeps the reads from being optimised away.
            System.out.print("");
        }
    }

    /** A compound RTCP packet: SR, RR, SDES, BYE, NACK, PLI, FIR, REMB, transport-wide feedback, unknown types. */
    @FuzzTest(maxDuration = "2h")
    void rtcp(byte[] input) {
        RtcpParser.Result result = new RtcpParser().parse(input, 0, input.length);
        if (result == null) {
            throw new IllegalStateException("no result");
        }
    }

    /** An SDP offer as a client sends it in the {@code sdp} field. */
    @FuzzTest(maxDuration = "2h")
    void sdp(FuzzedDataProvider data) {
        try {
            SdpParser.parse(data.consumeRemainingAsString());
        } catch (SdpParseException refused) {
            // The parser's one way of saying no.
        }
    }

    /** A trickled candidate line. */
    @FuzzTest(maxDuration = "2h")
    void candidate(FuzzedDataProvider data) {
        try {
            IceCandidate.parse(data.consumeRemainingAsString());
        } catch (SdpParseException refused) {
            // Malformed or of an unknown type.
        }
    }

    /** A signaling message as text, every type. */
    @FuzzTest(maxDuration = "2h")
    void signaling(byte[] input) {
        try {
            CODEC.decode(new String(input, StandardCharsets.UTF_8));
        } catch (SignalingException refused) {
            // bad-json, missing-field, unknown-type: answered to the client.
        }
    }
}
