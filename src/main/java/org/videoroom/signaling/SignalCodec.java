package org.videoroom.signaling;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.NoSuchElementException;
import org.videoroom.signaling.message.ClientMessage;
import org.videoroom.signaling.message.ErrorMessage;
import org.videoroom.signaling.message.Join;
import org.videoroom.signaling.message.Joined;
import org.videoroom.signaling.message.Leave;
import org.videoroom.signaling.message.ParticipantJoined;
import org.videoroom.signaling.message.ParticipantLeft;
import org.videoroom.signaling.message.ParticipantSummary;
import org.videoroom.signaling.message.ServerMessage;

import static org.videoroom.signaling.message.ErrorCode.BAD_JSON;
import static org.videoroom.signaling.message.ErrorCode.MISSING_FIELD;
import static org.videoroom.signaling.message.ErrorCode.UNKNOWN_TYPE;

/**
 * Maps the JSON text of docs/protocol.md to message records and back. Decoding checks shape only (types and
 * required fields); what the values mean (valid names, state) is the session's business.
 *
 * <p>Thread-safe and stateless apart from the cached JSON provider.
 */
public final class SignalCodec {

    private final JsonProvider json;

    public SignalCodec() {
        this(JsonProvider.provider());
    }

    public SignalCodec(JsonProvider json) {
        this.json = json;
    }

    /** @throws SignalDecodeException with the code to report when the text is not a valid client message */
    public ClientMessage decode(String text) {
        JsonObject object = parseObject(text);
        String type = requiredString(object, "type");
        return switch (type) {
            case "join" -> new Join(requiredString(object, "name"));
            case "leave" -> new Leave();
            default -> throw new SignalDecodeException(UNKNOWN_TYPE, "unknown message type '" + abbreviate(type) + "'");
        };
    }

    public String encode(ServerMessage message) {
        JsonObjectBuilder out = json.createObjectBuilder();
        switch (message) {
            case Joined joined -> {
                JsonArrayBuilder participants = json.createArrayBuilder();
                joined.participants().forEach(p -> participants.add(summary(p)));
                out.add("type", "joined")
                        .add("participantId", joined.participantId())
                        .add("participants", participants);
            }
            case ParticipantJoined joined -> out.add("type", "participantJoined")
                    .add("participant", summary(joined.participant()));
            case ParticipantLeft left -> out.add("type", "participantLeft")
                    .add("participantId", left.participantId())
                    .add("reason", left.reason());
            case ErrorMessage error -> out.add("type", "error")
                    .add("code", error.code().wire())
                    .add("message", error.message());
        }
        return out.build().toString();
    }

    private JsonObjectBuilder summary(ParticipantSummary participant) {
        return json.createObjectBuilder().add("id", participant.id()).add("name", participant.name());
    }

    private JsonObject parseObject(String text) {
        try (JsonParser parser = json.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new SignalDecodeException(BAD_JSON, "a message must be a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new SignalDecodeException(BAD_JSON, "a message must be a single JSON object");
            }
            return object;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            // JSON-P reports syntax errors and truncated input through these.
            throw new SignalDecodeException(BAD_JSON, "the message is not valid JSON");
        }
    }

    private static String requiredString(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new SignalDecodeException(MISSING_FIELD, "field '" + field + "' (a string) is required");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
