package org.videoroom.signaling;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.videoroom.room.TrackSource;
import org.videoroom.signaling.message.Answer;
import org.videoroom.signaling.message.Candidate;
import org.videoroom.signaling.message.ChatLine;
import org.videoroom.signaling.message.ParticipantStateChanged;
import org.videoroom.signaling.message.SendChat;
import org.videoroom.signaling.message.SetState;
import org.videoroom.signaling.message.StateSummary;
import org.videoroom.signaling.message.Viewport;
import org.videoroom.signaling.message.ClientMessage;
import org.videoroom.signaling.message.ErrorMessage;
import org.videoroom.signaling.message.Join;
import org.videoroom.signaling.message.Joined;
import org.videoroom.signaling.message.Leave;
import org.videoroom.signaling.message.Offer;
import org.videoroom.signaling.message.ParticipantJoined;
import org.videoroom.signaling.message.ParticipantLeft;
import org.videoroom.signaling.message.ParticipantSummary;
import org.videoroom.signaling.message.ServerMessage;
import org.videoroom.signaling.message.TrackSummary;
import org.videoroom.signaling.message.TracksAdded;
import org.videoroom.signaling.message.TracksRemoved;

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

    /** @throws SignalingException with the code to report when the text is not a valid client message */
    public ClientMessage decode(String text) {
        JsonObject object = parseObject(text);
        String type = requiredString(object, "type");
        return switch (type) {
            case "join" -> new Join(requiredString(object, "name"), optionalString(object, "password"),
                    optionalString(object, "token"), resume(object));
            case "leave" -> new Leave();
            case "offer" -> new Offer(requiredString(object, "sdp"), stringMap(object, "subscriptions"),
                    sources(stringMap(object, "sources")));
            case "candidate" -> new Candidate(requiredString(object, "candidate"), optionalString(object, "sdpMid"));
            case "viewport" -> new Viewport(tiles(object));
            case "state" -> state(object);
            case "chat" -> new SendChat(requiredString(object, "text"));
            default -> throw new SignalingException(UNKNOWN_TYPE, "unknown message type '" + abbreviate(type) + "'");
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
                        .add("participants", participants)
                        .add("tracks", tracks(joined.tracks()));
                JsonArrayBuilder chat = json.createArrayBuilder();
                joined.chat().forEach(line -> chat.add(chatLine(json.createObjectBuilder(), line)));
                out.add("chat", chat);
                JsonArrayBuilder servers = json.createArrayBuilder();
                for (var server : joined.iceServers()) {
                    JsonArrayBuilder urls = json.createArrayBuilder();
                    server.urls().forEach(urls::add);
                    servers.add(json.createObjectBuilder().add("urls", urls).add("username", server.username())
                            .add("credential", server.credential()));
                }
                out.add("iceServers", servers);
                if (!joined.resumeToken().isEmpty()) {
                    out.add("resumeToken", joined.resumeToken());
                }
            }
            case ParticipantStateChanged changed -> out.add("type", "participantState")
                    .add("participant", summary(changed.participant()));
            case ChatLine line -> chatLine(out.add("type", "chat"), line);
            case TracksAdded added -> out.add("type", "tracksAdded").add("tracks", tracks(added.tracks()));
            case TracksRemoved removed -> {
                JsonArrayBuilder ids = json.createArrayBuilder();
                removed.trackIds().forEach(ids::add);
                out.add("type", "tracksRemoved").add("trackIds", ids);
            }
            case Answer answer -> out.add("type", "answer").add("sdp", answer.sdp());
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

    private JsonArrayBuilder tracks(List<TrackSummary> tracks) {
        JsonArrayBuilder array = json.createArrayBuilder();
        for (TrackSummary track : tracks) {
            array.add(json.createObjectBuilder()
                    .add("trackId", track.trackId())
                    .add("participantId", track.participantId())
                    .add("kind", track.kind())
                    .add("source", track.source()));
        }
        return array;
    }

    private JsonObjectBuilder summary(ParticipantSummary participant) {
        StateSummary state = participant.state();
        return json.createObjectBuilder().add("id", participant.id()).add("name", participant.name())
                .add("state", json.createObjectBuilder()
                        .add("audioMuted", state.audioMuted())
                        .add("videoMuted", state.videoMuted())
                        .add("handRaised", state.handRaised())
                        .add("speaking", state.speaking())
                        .add("screen", state.screen())
                        .add("connection", state.connection()));
    }

    private static JsonObjectBuilder chatLine(JsonObjectBuilder into, ChatLine line) {
        return into.add("from", line.from()).add("name", line.name()).add("text", line.text()).add("at", line.at());
    }

    /** A {@code state} message: optional booleans, at least one of them. */
    private static SetState state(JsonObject object) {
        SetState state = new SetState(optionalBoolean(object, "audioMuted"), optionalBoolean(object, "videoMuted"),
                optionalBoolean(object, "handRaised"));
        if (state.audioMuted() == null && state.videoMuted() == null && state.handRaised() == null) {
            throw new SignalingException(MISSING_FIELD,
                    "a state message needs at least one of 'audioMuted', 'videoMuted', 'handRaised' (booleans)");
        }
        return state;
    }

    private static Boolean optionalBoolean(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return switch (value.getValueType()) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            default -> throw new SignalingException(MISSING_FIELD, "field '" + field + "' must be a boolean");
        };
    }

    /** The protocol nests three deep (viewport tiles); far more is an attack on the parser, not a message. */
    static final int MAX_DEPTH = 8;
    /** Longer numbers (a million digits of exponent) cost the parser in proportion; no field needs them. */
    static final int MAX_NUMBER_CHARS = 24;
    /**
     * The exponent bounded too: "1E-2000000000" is short, but the parser's BigDecimal refuses it with an exception
     * of its own (found by ParserFuzzTest), and a huge positive one would cost whoever converts it.
     */
    private static final java.util.regex.Pattern PLAIN_NUMBER =
            java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d{1,2})?");

    private JsonObject parseObject(String text) {
        checkShape(text);
        try (JsonParser parser = json.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new SignalingException(BAD_JSON, "a message must be a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new SignalingException(BAD_JSON, "a message must be a single JSON object");
            }
            return object;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            // JSON-P reports syntax errors and truncated input through these.
            throw new SignalingException(BAD_JSON, "the message is not valid JSON");
        }
    }

    /**
     * A streaming pass before the object is built: refuses nesting beyond {@link #MAX_DEPTH} and numbers beyond
     * {@link #MAX_NUMBER_CHARS} whatever limits the container's JSON provider has (or lacks).
     */
    private void checkShape(String text) {
        try (JsonParser parser = json.createParser(new StringReader(text))) {
            int depth = 0;
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            throw new SignalingException(BAD_JSON, "messages nest at most " + MAX_DEPTH + " deep");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER -> {
                        String number = parser.getString();
                        if (number.length() > MAX_NUMBER_CHARS || !PLAIN_NUMBER.matcher(number).matches()) {
                            throw new SignalingException(BAD_JSON, "numbers are at most " + MAX_NUMBER_CHARS
                                    + " characters, with an exponent of at most two digits");
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw new SignalingException(BAD_JSON, "the message is not valid JSON");
        }
    }

    private static String requiredString(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new SignalingException(MISSING_FIELD, "field '" + field + "' (a string) is required");
    }

    private static String optionalString(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new SignalingException(MISSING_FIELD, "field '" + field + "' must be a string");
    }

    /** An optional object of string values; absent means empty. */
    private static Map<String, String> stringMap(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Map.of();
        }
        if (!(value instanceof JsonObject map)) {
            throw new SignalingException(MISSING_FIELD, "field '" + field + "' must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((key, entry) -> {
            if (!(entry instanceof JsonString string)) {
                throw new SignalingException(MISSING_FIELD, "field '" + field + "' must be an object of strings");
            }
            result.put(key, string.getString());
        });
        return result;
    }

    /** The optional {@code resume} of a join: participant id, its resume token, and "keep" or "new" media. */
    private static Join.Resume resume(JsonObject object) {
        JsonValue value = object.get("resume");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject resume)) {
            throw new SignalingException(MISSING_FIELD, "field 'resume' must be an object");
        }
        String media = requiredString(resume, "media");
        if (!media.equals("keep") && !media.equals("new")) {
            throw new SignalingException(MISSING_FIELD, "field 'resume.media' is \"keep\" or \"new\"");
        }
        return new Join.Resume(requiredString(resume, "participantId"), requiredString(resume, "token"),
                media.equals("new"));
    }

    /** The {@code sources} of an offer: MID to a source name of docs/protocol.md. */
    private static Map<String, TrackSource> sources(Map<String, String> names) {
        Map<String, TrackSource> result = new LinkedHashMap<>();
        names.forEach((mid, name) -> result.put(mid, TrackSource.fromWire(name).orElseThrow(
                () -> new SignalingException(MISSING_FIELD, "field 'sources' names an unknown source '"
                        + abbreviate(name) + "' (microphone, camera or screen)"))));
        return result;
    }

    /** The {@code tiles} of a viewport: an object of {visible, height} objects, bounded in size. */
    private static Map<String, Viewport.Tile> tiles(JsonObject object) {
        JsonValue value = object.get("tiles");
        if (!(value instanceof JsonObject map)) {
            throw new SignalingException(MISSING_FIELD, "field 'tiles' (an object) is required");
        }
        if (map.size() > Viewport.MAX_TILES) {
            throw new SignalingException(MISSING_FIELD, "field 'tiles' has more than " + Viewport.MAX_TILES
                    + " entries");
        }
        Map<String, Viewport.Tile> result = new LinkedHashMap<>();
        map.forEach((key, entry) -> {
            if (!(entry instanceof JsonObject tile)
                    || !(tile.get("visible") instanceof JsonValue visible)
                    || visible.getValueType() != JsonValue.ValueType.TRUE
                    && visible.getValueType() != JsonValue.ValueType.FALSE
                    || tile.get("height") != null && !(tile.get("height") instanceof JsonNumber)) {
                throw new SignalingException(MISSING_FIELD,
                        "each tile must be an object with 'visible' (a boolean) and 'height' (a number)");
            }
            JsonNumber height = tile.getJsonNumber("height");
            double h = height == null ? 0 : height.doubleValue();
            result.put(key, new Viewport.Tile(visible.getValueType() == JsonValue.ValueType.TRUE,
                    Double.isFinite(h) ? (int) Math.max(0, Math.min(Viewport.MAX_HEIGHT, h)) : 0));
        });
        return result;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
