package org.videoroom.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application's liveness and readiness, as {@code /api/health/live} and {@code /api/health/ready} report
 * them. {@link MediaService} tells it what happens to the media port and ticks it from its timer thread; the
 * checks only read that state, so a probe never waits on the media layer.
 *
 * <ul>
 *   <li><b>ready</b>: the media UDP port is bound (browsers can reach the SFU). DOWN before it is bound, when
 *       binding failed, and after it closed.</li>
 *   <li><b>live</b>: the media timer thread (consent checks, keyframe requests, reports) ran within
 *       {@link #TIMER_STALL_MS}. UP while media has not started: that is readiness's business, and restarting
 *       the server would not free a port someone else holds.</li>
 * </ul>
 * Thread-safe.
 */
@ApplicationScoped
public class MediaHealth {

    static final long TIMER_TICK_MS = 1000;
    static final long TIMER_STALL_MS = 10_000;

    /** One check's result, in the shape MicroProfile Health uses ({@code name}, {@code status}, {@code data}). */
    public record Check(String name, boolean up, Map<String, Object> data) {
        public Check {
            data = Map.copyOf(data);
        }
    }

    /** The overall status: UP when every check is. */
    public record Report(boolean up, List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        static Report of(Check... checks) {
            boolean up = true;
            for (Check check : checks) {
                up &= check.up();
            }
            return new Report(up, List.of(checks));
        }
    }

    private record PortState(List<InetSocketAddress> bound, String failure, int port) {
    }

    private volatile PortState port = new PortState(List.of(), null, -1);
    private volatile long lastTickNanos;
    private volatile boolean ticking;

    void mediaBound(List<InetSocketAddress> addresses) {
        port = new PortState(List.copyOf(addresses), null, addresses.isEmpty() ? -1 : addresses.get(0).getPort());
    }

    void mediaFailed(int configuredPort, Throwable failure) {
        port = new PortState(List.of(), describe(failure), configuredPort);
        ticking = false;
    }

    void mediaClosed() {
        port = new PortState(List.of(), null, port.port());
        ticking = false;
    }

    void timerTicked(long nanos) {
        lastTickNanos = nanos;
        ticking = true;
    }

    public Report readiness() {
        PortState state = port;
        Map<String, Object> data = new LinkedHashMap<>();
        if (state.port() >= 0) {
            data.put("port", state.port());
        }
        if (!state.bound().isEmpty()) {
            data.put("addresses", String.join(",", state.bound().stream().map(MediaHealth::text).toList()));
        }
        if (state.failure() != null) {
            data.put("error", state.failure());
        }
        return Report.of(new Check("media-port", !state.bound().isEmpty(), data));
    }

    public Report liveness() {
        return liveness(System.nanoTime());
    }

    Report liveness(long nowNanos) {
        if (!ticking) {
            return Report.of(new Check("media-timer", true, Map.of("running", false)));
        }
        long sinceMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - lastTickNanos);
        return Report.of(new Check("media-timer", sinceMs <= TIMER_STALL_MS,
                Map.of("running", true, "lastRunMillisAgo", sinceMs)));
    }

    /** The messages of a failure and its causes, without the container's wrapping classes' names. */
    static String describe(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 5; t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (messages.isEmpty() || !messages.get(messages.size() - 1).contains(message)) {
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }

    private static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
