package org.videoroom.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The same checks as {@code /api/health}, handed to the server's own MicroProfile Health where it has one:
 * Payara Micro's {@code /health/ready} and {@code /health/live}, WildFly's management {@code /health/*} with
 * its MicroProfile configuration. On a server without MicroProfile Health these producers are never used.
 */
@ApplicationScoped
public class ServerHealthChecks {

    @Inject
    MediaHealth health;

    @Inject
    MediaStartup startup;

    @Produces
    @Readiness
    HealthCheck mediaPortReadiness() {
        return () -> {
            startup.tryStart();
            return response(health.readiness());
        };
    }

    @Produces
    @Liveness
    HealthCheck mediaTimerLiveness() {
        return () -> response(health.liveness());
    }

    private static HealthCheckResponse response(MediaHealth.Report report) {
        MediaHealth.Check check = report.checks().get(0);
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(check.name()).status(check.up());
        for (Map.Entry<String, Object> entry : check.data().entrySet()) {
            switch (entry.getValue()) {
                case Boolean b -> builder.withData(entry.getKey(), b);
                case Number n -> builder.withData(entry.getKey(), n.longValue());
                default -> builder.withData(entry.getKey(), String.valueOf(entry.getValue()));
            }
        }
        return builder.build();
    }
}
