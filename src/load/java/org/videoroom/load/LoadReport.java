package org.videoroom.load;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.videoroom.load.media.LatencyHistogram;

/**
 * The figures of one measured window: what was published and received, loss, one-way added latency, and, given
 * the server's pid, its CPU time per forwarded packet. Written as a table for people and as JSON for scripts.
 *
 * @param forwardedPackets   packets the subscribers received in the window: what the server forwarded to them
 * @param serverCpuSeconds   the server process's CPU time in the window, empty without {@code --server-pid}
 * @param baseline           the raw relay's run with the same rooms, participants and duration, with {@code --baseline}
 */
public record LoadReport(String mode, int rooms, int participants, int publishedStreams, int expectedStreams,
                         long receivedStreams, double seconds, double connectSeconds, long packetsSent,
                         long packetsReceived, long bytesReceived, long packetsExpected, long packetsLost,
                         double lossPercent, double p50LatencyMs, double p99LatencyMs, double maxLatencyMs,
                         double jitterMs, long forwardedPackets, OptionalDouble serverCpuSeconds,
                         double toolCpuSeconds, long nacksSent, long plisSent, long retransmissionsSent,
                         long keyframesForced, List<IntervalSample> intervals, Optional<LoadReport> baseline) {

    static LoadReport of(LoadOptions options, LoadRun.Snapshot before, LoadRun.Snapshot after, double seconds,
                         double connectSeconds, LatencyHistogram latency, List<IntervalSample> intervals,
                         int streamsKnown) {
        long expected = after.expected() - before.expected();
        long lost = Math.max(0, after.lost() - before.lost());
        long received = after.packetsReceived() - before.packetsReceived();
        OptionalDouble server = before.serverCpuSeconds().isPresent() && after.serverCpuSeconds().isPresent()
                ? OptionalDouble.of(after.serverCpuSeconds().getAsDouble() - before.serverCpuSeconds().getAsDouble())
                : OptionalDouble.empty();
        int total = options.total();
        return new LoadReport(options.relay() ? "relay" : "sfu", options.rooms(), total, total * 2,
                total * (options.participants() - 1) * 2, after.receivedStreams(), seconds, connectSeconds,
                after.packetsSent() - before.packetsSent(), received, after.bytesReceived() - before.bytesReceived(),
                expected, lost, expected == 0 ? 0 : 100.0 * lost / expected, latency.quantileMillis(0.50),
                latency.quantileMillis(0.99), latency.quantileMillis(1.0), after.jitterMillis(), received, server,
                after.toolCpuSeconds() - before.toolCpuSeconds(), after.nacks() - before.nacks(),
                after.plis() - before.plis(), after.retransmissions() - before.retransmissions(),
                after.keyframesForced() - before.keyframesForced(), intervals, Optional.empty());
    }

    /** This report with the raw relay's run beside it. */
    public LoadReport withBaseline(LoadReport relay) {
        return new LoadReport(mode, rooms, participants, publishedStreams, expectedStreams, receivedStreams, seconds,
                connectSeconds, packetsSent, packetsReceived, bytesReceived, packetsExpected, packetsLost, lossPercent,
                p50LatencyMs, p99LatencyMs, maxLatencyMs, jitterMs, forwardedPackets, serverCpuSeconds,
                toolCpuSeconds, nacksSent, plisSent, retransmissionsSent, keyframesForced, intervals,
                Optional.of(relay));
    }

    /**
     * The headline figure: forwarded packets per server CPU-second as a fraction of the raw relay's, when both were
     * measured.
     */
    public OptionalDouble ratioToRelay() {
        if (baseline.isEmpty()) {
            return OptionalDouble.empty();
        }
        OptionalDouble ours = forwardedPerServerCpuSecond();
        OptionalDouble relay = baseline.get().forwardedPerServerCpuSecond();
        return ours.isPresent() && relay.isPresent() && relay.getAsDouble() > 0
                ? OptionalDouble.of(ours.getAsDouble() / relay.getAsDouble())
                : OptionalDouble.empty();
    }

    /** Server CPU microseconds per forwarded packet, when the server's CPU was measured. */
    public OptionalDouble serverMicrosPerForwardedPacket() {
        return serverCpuSeconds.isPresent() && forwardedPackets > 0
                ? OptionalDouble.of(serverCpuSeconds.getAsDouble() * 1e6 / forwardedPackets)
                : OptionalDouble.empty();
    }

    /** Forwarded packets per server CPU-second, the figure compared with the raw relay's. */
    public OptionalDouble forwardedPerServerCpuSecond() {
        return serverCpuSeconds.isPresent() && serverCpuSeconds.getAsDouble() > 0
                ? OptionalDouble.of(forwardedPackets / serverCpuSeconds.getAsDouble())
                : OptionalDouble.empty();
    }

    public double receivedMbps() {
        return seconds == 0 ? 0 : bytesReceived * 8 / seconds / 1e6;
    }

    public JsonObject toJson() {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("mode", mode)
                .add("rooms", rooms)
                .add("participants", participants)
                .add("publishedStreams", publishedStreams)
                .add("expectedStreams", expectedStreams)
                .add("receivedStreams", receivedStreams)
                .add("seconds", seconds)
                .add("connectSeconds", connectSeconds)
                .add("packetsSent", packetsSent)
                .add("packetsReceived", packetsReceived)
                .add("bytesReceived", bytesReceived)
                .add("receivedMbps", receivedMbps())
                .add("packetsExpected", packetsExpected)
                .add("packetsLost", packetsLost)
                .add("lossPercent", lossPercent)
                .add("p50LatencyMs", p50LatencyMs)
                .add("p99LatencyMs", p99LatencyMs)
                .add("maxLatencyMs", maxLatencyMs)
                .add("jitterMs", jitterMs)
                .add("forwardedPackets", forwardedPackets)
                .add("toolCpuSeconds", toolCpuSeconds)
                .add("nacksSent", nacksSent)
                .add("plisSent", plisSent)
                .add("retransmissionsSent", retransmissionsSent)
                .add("keyframesForced", keyframesForced);
        serverCpuSeconds.ifPresent(v -> b.add("serverCpuSeconds", v));
        serverMicrosPerForwardedPacket().ifPresent(v -> b.add("serverMicrosPerForwardedPacket", v));
        forwardedPerServerCpuSecond().ifPresent(v -> b.add("forwardedPerServerCpuSecond", v));
        JsonArrayBuilder series = Json.createArrayBuilder();
        for (IntervalSample s : intervals) {
            series.add(Json.createObjectBuilder().add("t", s.secondsSinceStart()).add("packets", s.packetsReceived())
                    .add("bytes", s.bytesReceived()).add("lost", s.packetsLost()).add("p50Ms", s.p50LatencyMs())
                    .add("p99Ms", s.p99LatencyMs()));
        }
        b.add("intervals", series);
        baseline.ifPresent(relay -> b.add("relay", relay.toJson()));
        ratioToRelay().ifPresent(v -> b.add("ratioToRelay", v));
        return b.build();
    }

    public void writeJson(Path file) throws IOException {
        StringWriter text = new StringWriter();
        try (var writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            writer.writeObject(toJson());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text.toString());
    }

    /** The table printed at the end of a run. */
    public String toTable() {
        StringBuilder t = new StringBuilder();
        row(t, "mode", mode);
        row(t, "rooms x participants", rooms + " x " + (participants / Math.max(1, rooms)));
        row(t, "streams published / received", publishedStreams + " / " + receivedStreams + " of " + expectedStreams);
        row(t, "media flowing after", String.format("%.1f s", connectSeconds));
        row(t, "measured", String.format("%.1f s", seconds));
        row(t, "packets sent / received", String.format("%,d / %,d", packetsSent, packetsReceived));
        row(t, "received", String.format("%.1f Mbit/s, %,.0f packets/s", receivedMbps(), packetsReceived / seconds));
        row(t, "lost", String.format("%,d of %,d (%.3f %%)", packetsLost, packetsExpected, lossPercent));
        row(t, "added latency p50 / p99 / max", String.format("%.2f / %.2f / %.2f ms", p50LatencyMs, p99LatencyMs,
                maxLatencyMs));
        row(t, "jitter (mean of streams)", String.format("%.2f ms", jitterMs));
        row(t, "NACKs / PLIs sent, RTX sent", nacksSent + " / " + plisSent + ", " + retransmissionsSent);
        serverCpuSeconds.ifPresent(v -> row(t, "server CPU", String.format("%.2f s (%.0f %% of a core)", v,
                100 * v / seconds)));
        serverMicrosPerForwardedPacket().ifPresent(v -> row(t, "server CPU per forwarded packet",
                String.format("%.1f µs", v)));
        forwardedPerServerCpuSecond().ifPresent(v -> row(t, "forwarded per server CPU-second",
                String.format("%,.0f packets", v)));
        row(t, "load tool CPU", String.format("%.2f s", toolCpuSeconds));
        ratioToRelay().ifPresent(v -> row(t, "ratio to the raw relay", String.format("%.1f %%", 100 * v)));
        return t.toString();
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format("  %-32s %s%n", name, value));
    }
}
