package org.videoroom.app;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/health/live}, {@code /api/health/ready} and {@code /api/health} (both): the application's own
 * health, 200 when UP and 503 when DOWN, with a body in MicroProfile Health's JSON shape. The application serves
 * it itself rather than through the server's MicroProfile Health: Payara Micro keeps {@code /health} at the
 * server root above any application, and WildFly's default configuration has no MicroProfile Health; this way
 * the same URL means the same thing on both.
 */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @Inject
    MediaHealth health;

    @Inject
    MediaStartup startup;

    @GET
    @Path("live")
    public Response live() {
        return respond(health.liveness());
    }

    @GET
    @Path("ready")
    public Response ready() {
        startup.tryStart();
        return respond(health.readiness());
    }

    @GET
    public Response all() {
        startup.tryStart();
        List<MediaHealth.Check> checks = new ArrayList<>(health.liveness().checks());
        checks.addAll(health.readiness().checks());
        return respond(MediaHealth.Report.of(checks.toArray(MediaHealth.Check[]::new)));
    }

    private static Response respond(MediaHealth.Report report) {
        JsonArrayBuilder checks = Json.createArrayBuilder();
        for (MediaHealth.Check check : report.checks()) {
            JsonObjectBuilder data = Json.createObjectBuilder();
            for (Map.Entry<String, Object> entry : check.data().entrySet()) {
                switch (entry.getValue()) {
                    case Boolean b -> data.add(entry.getKey(), b);
                    case Number n -> data.add(entry.getKey(), n.longValue());
                    default -> data.add(entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
            checks.add(Json.createObjectBuilder().add("name", check.name()).add("status", status(check.up()))
                    .add("data", data));
        }
        JsonObject body = Json.createObjectBuilder().add("status", status(report.up())).add("checks", checks).build();
        return Response.status(report.up() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(body).build();
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
