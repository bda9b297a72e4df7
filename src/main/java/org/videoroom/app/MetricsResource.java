package org.videoroom.app;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.videoroom.signaling.ConnectionLimits;
import org.videoroom.room.Room;
import org.videoroom.stats.PrometheusText;

/**
 * {@code GET /api/metrics}: the counters of {@code /api/stats} in the Prometheus text format, written by the
 * application (see {@link PrometheusMetrics}) because Payara Micro's {@code /metrics} sits above any root
 * application and WildFly has no MicroProfile Metrics; one URL and one set of names on both servers.
 */
@AdminOnly
@Path("metrics")
public class MetricsResource {

    @Inject
    RoomService rooms;

    @Inject
    MediaService media;

    @GET
    public Response metrics() {
        int roomCount = 0;
        int participants = 0;
        for (Room room : rooms.rooms().rooms()) {
            roomCount++;
            participants += room.size();
        }
        String text = PrometheusMetrics.write(new PrometheusMetrics.Snapshot(roomCount, participants,
                new PrometheusMetrics.Signaling(rooms.limits().open(), SignalingOriginFilter.refused(),
                        rooms.limits().refused(ConnectionLimits.Refusal.SERVER_FULL),
                        rooms.limits().refused(ConnectionLimits.Refusal.ADDRESS_FULL),
                        rooms.liveness().expiredIdle(), rooms.liveness().expiredSilent()),
                media.forwardingStats(), media.iceStats(), media.bufferStats(), media.participantStats()));
        return Response.ok(text, PrometheusText.CONTENT_TYPE).build();
    }
}
