package org.videoroom.signaling;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.room.TrackSource;
import org.videoroom.signaling.message.Answer;
import org.videoroom.signaling.message.ChatLine;
import org.videoroom.signaling.message.ParticipantStateChanged;
import org.videoroom.signaling.message.SendChat;
import org.videoroom.signaling.message.SetState;
import org.videoroom.signaling.message.StateSummary;
import org.videoroom.signaling.message.Candidate;
import org.videoroom.signaling.message.ErrorCode;
import org.videoroom.signaling.message.ErrorMessage;
import org.videoroom.signaling.message.Join;
import org.videoroom.signaling.message.Joined;
import org.videoroom.signaling.message.Leave;
import org.videoroom.signaling.message.Offer;
import org.videoroom.signaling.message.ParticipantJoined;
import org.videoroom.signaling.message.ParticipantLeft;
import org.videoroom.signaling.message.ParticipantSummary;
import org.videoroom.signaling.message.TrackSummary;
import org.videoroom.signaling.message.TracksAdded;
import org.videoroom.signaling.message.TracksRemoved;
import org.videoroom.signaling.message.Viewport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalCodecTest {

    private final SignalCodec codec = new SignalCodec();

    @Test
    void decodesClientMessages() {
        assertEquals(new Join("Ada"), codec.decode("{\"type\":\"join\",\"name\":\"Ada\"}"));
        assertEquals(new Join("</script>"), codec.decode("{\"name\":\"<\\/script>\",\"type\":\"join\",\"x\":1}"));
        assertEquals(new Leave(), codec.decode("{\"type\":\"leave\"}"));
        assertEquals(new SetState(true, null, false),
                codec.decode("{\"type\":\"state\",\"audioMuted\":true,\"handRaised\":false,\"videoMuted\":null}"));
        assertEquals(new SendChat("<b>x</b>"), codec.decode("{\"type\":\"chat\",\"text\":\"<b>x</b>\"}"));
        assertEquals(new Offer("v=0\r\n", Map.of("1", "t1")),
                codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"subscriptions\":{\"1\":\"t1\"}}"));
        assertEquals(new Offer("v=0", Map.of()), codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        assertEquals(new Offer("v=0", Map.of(), Map.of("4", TrackSource.SCREEN, "0", TrackSource.MICROPHONE)),
                codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\",\"sources\":{\"4\":\"screen\",\"0\":\"microphone\"}}"));
        assertEquals(new Candidate("", null), codec.decode("{\"type\":\"candidate\",\"candidate\":\"\"}"));
        assertEquals(new Candidate("candidate:1", "0"),
                codec.decode("{\"type\":\"candidate\",\"candidate\":\"candidate:1\",\"sdpMid\":\"0\"}"));
        assertEquals(new Viewport(Map.of("p2", new Viewport.Tile(true, 360), "p3", new Viewport.Tile(false, 0))),
                codec.decode("{\"type\":\"viewport\",\"tiles\":{\"p2\":{\"visible\":true,\"height\":360.4},"
                        + "\"p3\":{\"visible\":false}}}"));
        // Heights are clamped, never trusted (an exponent of three digits is bad-json, below).
        assertEquals(new Viewport(Map.of("p2", new Viewport.Tile(true, Viewport.MAX_HEIGHT))),
                codec.decode("{\"type\":\"viewport\",\"tiles\":{\"p2\":{\"visible\":true,\"height\":1e99}}}"));
        assertEquals(new Viewport(Map.of("p2", new Viewport.Tile(true, 0))),
                codec.decode("{\"type\":\"viewport\",\"tiles\":{\"p2\":{\"visible\":true,\"height\":-5}}}"));
    }

    @Test
    void aViewportWithMoreTilesThanAnyRoomIsRefused() {
        StringBuilder text = new StringBuilder("{\"type\":\"viewport\",\"tiles\":{");
        for (int i = 0; i <= Viewport.MAX_TILES; i++) {
            text.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"visible\":true,\"height\":1}");
        }
        text.append("}}");
        SignalingException e = assertThrows(SignalingException.class, () -> codec.decode(text.toString()));
        assertEquals(ErrorCode.MISSING_FIELD, e.code());
    }

    @Test
    void deepNestingAndHugeNumbersAreRefusedBeforeAnObjectIsBuilt() {
        String deep = "{\"type\":\"join\",\"name\":\"x\",\"extra\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertEquals(ErrorCode.BAD_JSON, assertThrows(SignalingException.class, () -> codec.decode(deep)).code());
        String nine = "{\"type\":\"join\",\"name\":\"x\",\"a\":" + "[".repeat(8) + "]".repeat(8) + "}";
        assertEquals(ErrorCode.BAD_JSON, assertThrows(SignalingException.class, () -> codec.decode(nine)).code());
        String eight = "{\"type\":\"join\",\"name\":\"x\",\"a\":" + "[".repeat(7) + "]".repeat(7) + "}";
        assertEquals(new Join("x"), codec.decode(eight), "eight deep is still a message");
        String huge = "{\"type\":\"viewport\",\"tiles\":{\"p\":{\"visible\":true,\"height\":1e" + "9".repeat(5000)
                + "}}}";
        assertEquals(ErrorCode.BAD_JSON, assertThrows(SignalingException.class, () -> codec.decode(huge)).code());
        // Found by ParserFuzzTest: short, but its exponent overflows the parser's BigDecimal (an internal error).
        assertEquals(ErrorCode.BAD_JSON, assertThrows(SignalingException.class,
                () -> codec.decode("{\"\":365551E-20000000185}")).code());
        assertEquals(ErrorCode.BAD_JSON, assertThrows(SignalingException.class,
                () -> codec.decode("{\"type\":\"viewport\",\"tiles\":{\"p\":{\"visible\":true,\"height\":1E999}}}")).code());
        assertEquals(new Join("x"), codec.decode("{\"type\":\"join\",\"name\":\"x\",\"n\":-12.5e-3}"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                 | BAD_JSON",
        "{                                  | BAD_JSON",
        "not json                           | BAD_JSON",
        "[1,2]                              | BAD_JSON",
        "\"join\"                           | BAD_JSON",
        "{\"type\":\"join\"} trailing       | BAD_JSON",
        "{}                                 | MISSING_FIELD",
        "{\"type\":7}                       | MISSING_FIELD",
        "{\"type\":null}                    | MISSING_FIELD",
        "{\"type\":\"join\"}                | MISSING_FIELD",
        "{\"type\":\"join\",\"name\":42}    | MISSING_FIELD",
        "{\"type\":\"dance\"}               | UNKNOWN_TYPE",
        "{\"type\":\"offer\"}               | MISSING_FIELD",
        "{\"type\":\"offer\",\"sdp\":\"v\",\"subscriptions\":[]}  | MISSING_FIELD",
        "{\"type\":\"offer\",\"sdp\":\"v\",\"subscriptions\":{\"0\":1}} | MISSING_FIELD",
        "{\"type\":\"offer\",\"sdp\":\"v\",\"sources\":{\"0\":\"window\"}} | MISSING_FIELD",
        "{\"type\":\"offer\",\"sdp\":\"v\",\"sources\":[\"screen\"]} | MISSING_FIELD",
        "{\"type\":\"candidate\"}           | MISSING_FIELD",
        "{\"type\":\"candidate\",\"candidate\":\"c\",\"sdpMid\":5} | MISSING_FIELD",
        "{\"type\":\"JOIN\",\"name\":\"x\"} | UNKNOWN_TYPE",
        "{\"type\":\"viewport\"}            | MISSING_FIELD",
        "{\"type\":\"viewport\",\"tiles\":[]} | MISSING_FIELD",
        "{\"type\":\"viewport\",\"tiles\":{\"p\":1}} | MISSING_FIELD",
        "{\"type\":\"viewport\",\"tiles\":{\"p\":{\"height\":1}}} | MISSING_FIELD",
        "{\"type\":\"viewport\",\"tiles\":{\"p\":{\"visible\":\"yes\"}}} | MISSING_FIELD",
        "{\"type\":\"viewport\",\"tiles\":{\"p\":{\"visible\":true,\"height\":\"1\"}}} | MISSING_FIELD",
    })
    void rejectsBadMessagesWithTheirCode(String text, ErrorCode expected) {
        SignalingException e = assertThrows(SignalingException.class, () -> codec.decode(text));
        assertEquals(expected, e.code());
    }

    @Test
    void encodesServerMessages() {
        assertEquals("{\"type\":\"joined\",\"participantId\":\"p1\",\"participants\":[{\"id\":\"p2\",\"name\":\"Bob\","
                        + "\"state\":{\"audioMuted\":false,\"videoMuted\":false,\"handRaised\":false,\"speaking\":false,"
                        + "\"screen\":false,\"connection\":\"good\"}}],"
                        + "\"tracks\":[{\"trackId\":\"p2-0\",\"participantId\":\"p2\",\"kind\":\"audio\","
                        + "\"source\":\"microphone\"}],"
                        + "\"chat\":[{\"from\":\"p2\",\"name\":\"Bob\",\"text\":\"<i>hi</i>\",\"at\":5}],"
                        + "\"iceServers\":[{\"urls\":[\"turn:t.example:3478?transport=tcp\"],"
                        + "\"username\":\"1700000000:p1\",\"credential\":\"c2VjcmV0\"}]}",
                codec.encode(new Joined("p1", List.of(new ParticipantSummary("p2", "Bob")),
                        List.of(new TrackSummary("p2-0", "p2", "audio", "microphone")),
                        List.of(new ChatLine("p2", "Bob", "<i>hi</i>", 5)),
                        List.of(new org.videoroom.signaling.message.TurnServer(
                                List.of("turn:t.example:3478?transport=tcp"), "1700000000:p1", "c2VjcmV0")))));
        assertEquals("{\"type\":\"tracksAdded\",\"tracks\":[{\"trackId\":\"p2-1\",\"participantId\":\"p2\",\"kind\":\"video\","
                        + "\"source\":\"screen\"}]}",
                codec.encode(new TracksAdded(List.of(new TrackSummary("p2-1", "p2", "video", "screen")))));
        assertEquals("{\"type\":\"tracksRemoved\",\"trackIds\":[\"p2-1\"]}",
                codec.encode(new TracksRemoved(List.of("p2-1"))));
        assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}", codec.encode(new Answer("v=0\r\n")));
        assertEquals("{\"type\":\"participantJoined\",\"participant\":{\"id\":\"p2\",\"name\":\"\\\"Bob\\\"\","
                        + "\"state\":{\"audioMuted\":false,\"videoMuted\":false,\"handRaised\":false,\"speaking\":false,"
                        + "\"screen\":false,\"connection\":\"good\"}}}",
                codec.encode(new ParticipantJoined(new ParticipantSummary("p2", "\"Bob\""))));
        assertEquals("{\"type\":\"participantLeft\",\"participantId\":\"p2\",\"reason\":\"left\"}",
                codec.encode(new ParticipantLeft("p2", "left")));
        assertEquals("{\"type\":\"participantState\",\"participant\":{\"id\":\"p2\",\"name\":\"Bob\","
                        + "\"state\":{\"audioMuted\":true,\"videoMuted\":false,\"handRaised\":true,\"speaking\":false,"
                        + "\"screen\":true,\"connection\":\"fair\"}}}",
                codec.encode(new ParticipantStateChanged(new ParticipantSummary("p2", "Bob",
                        new StateSummary(true, false, true, false, true, "fair")))));
        assertEquals("{\"type\":\"chat\",\"from\":\"p2\",\"name\":\"Bob\",\"text\":\"a\\nb\",\"at\":7}",
                codec.encode(new ChatLine("p2", "Bob", "a\nb", 7)));
        assertEquals("{\"type\":\"error\",\"code\":\"not-joined\",\"message\":\"join first\"}",
                codec.encode(new ErrorMessage(ErrorCode.NOT_JOINED, "join first")));
    }
}
