package org.videoroom.signaling;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoroom.signaling.message.ErrorCode;
import org.videoroom.signaling.message.ErrorMessage;
import org.videoroom.signaling.message.Join;
import org.videoroom.signaling.message.Joined;
import org.videoroom.signaling.message.Leave;
import org.videoroom.signaling.message.ParticipantJoined;
import org.videoroom.signaling.message.ParticipantLeft;
import org.videoroom.signaling.message.ParticipantSummary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalCodecTest {

    private final SignalCodec codec = new SignalCodec();

    @Test
    void decodesClientMessages() {
        assertEquals(new Join("Ada"), codec.decode("{\"type\":\"join\",\"name\":\"Ada\"}"));
        assertEquals(new Join("</script>"), codec.decode("{\"name\":\"<\\/script>\",\"type\":\"join\",\"x\":1}"));
        assertEquals(new Leave(), codec.decode("{\"type\":\"leave\"}"));
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
        "{\"type\":\"JOIN\",\"name\":\"x\"} | UNKNOWN_TYPE",
    })
    void rejectsBadMessagesWithTheirCode(String text, ErrorCode expected) {
        SignalDecodeException e = assertThrows(SignalDecodeException.class, () -> codec.decode(text));
        assertEquals(expected, e.code());
    }

    @Test
    void encodesServerMessages() {
        assertEquals("{\"type\":\"joined\",\"participantId\":\"p1\",\"participants\":[{\"id\":\"p2\",\"name\":\"Bob\"}]}",
                codec.encode(new Joined("p1", List.of(new ParticipantSummary("p2", "Bob")))));
        assertEquals("{\"type\":\"participantJoined\",\"participant\":{\"id\":\"p2\",\"name\":\"\\\"Bob\\\"\"}}",
                codec.encode(new ParticipantJoined(new ParticipantSummary("p2", "\"Bob\""))));
        assertEquals("{\"type\":\"participantLeft\",\"participantId\":\"p2\",\"reason\":\"left\"}",
                codec.encode(new ParticipantLeft("p2", "left")));
        assertEquals("{\"type\":\"error\",\"code\":\"not-joined\",\"message\":\"join first\"}",
                codec.encode(new ErrorMessage(ErrorCode.NOT_JOINED, "join first")));
    }
}
