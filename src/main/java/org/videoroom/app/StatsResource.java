package org.videoroom.app;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.videoroom.room.Room;

/**
 * {@code GET /api/stats}: the server's counters as JSON, one object per part (rooms, forwarding, ICE, buffers,
 * and per participant its bandwidth estimate and forwarded layers), each field named after its record component.
 * {@code process} has the JVM's threads, open file descriptors and heap; with {@code ?gc=true} the heap is
 * measured after a collection (the soak test compares it before and after; operators only, like all of this).
 */
@AdminOnly
@Path("stats")
public class StatsResource {

    @Inject
    RoomService rooms;

    @Inject
    MediaService media;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject stats(@QueryParam("gc") boolean gc) {
        JsonObjectBuilder roomCounts = Json.createObjectBuilder();
        for (Room room : rooms.rooms().rooms()) {
            roomCounts.add(room.name().value(), room.size());
        }
        return Json.createObjectBuilder()
                .add("rooms", roomCounts)
                .add("forwarding", toJson(media.forwardingStats()))
                .add("ice", toJson(media.iceStats()))
                .add("buffers", toJson(media.bufferStats()))
                .add("participants", toJson(media.participantStats()))
                .add("signaling", Json.createObjectBuilder()
                        .add("sockets", rooms.limits().open())
                        .add("watched", rooms.liveness().size()))
                .add("process", toJson(ProcessStats.now(gc)))
                .build();
    }

    private static jakarta.json.JsonArrayBuilder toJson(List<?> list) {
        jakarta.json.JsonArrayBuilder out = Json.createArrayBuilder();
        for (Object item : list) {
            if (item instanceof Record record) {
                out.add(toJson(record));
            } else if (item instanceof Double || item instanceof Float) {
                out.add(((Number) item).doubleValue());
            } else if (item instanceof Number number) {
                out.add(number.longValue());
            } else {
                out.add(String.valueOf(item));
            }
        }
        return out;
    }

    /** Counters records hold numbers (and the odd nested record); everything else is shown as text. */
    private static JsonObjectBuilder toJson(Record stats) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (RecordComponent component : stats.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(stats);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Double || value instanceof Float) {
                out.add(component.getName(), ((Number) value).doubleValue());
            } else if (value instanceof Number number) {
                out.add(component.getName(), number.longValue());
            } else if (value instanceof List<?> list) {
                out.add(component.getName(), toJson(list));
            } else if (value instanceof Boolean bool) {
                out.add(component.getName(), bool);
            } else if (value == null) {
                out.addNull(component.getName());
            } else if (value instanceof Record nested) {
                out.add(component.getName(), toJson(nested));
            } else {
                out.add(component.getName(), String.valueOf(value));
            }
        }
        return out;
    }
}
