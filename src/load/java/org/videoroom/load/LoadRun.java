package org.videoroom.load;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.videoroom.load.media.InStream;
import org.videoroom.load.media.ReceiveTotals;
import org.videoroom.load.recording.Recording;
import org.videoroom.load.relay.RawRelay;

/**
 * One run of the load tool against a server: join {@code rooms × participants} synthetic participants at the join
 * rate, wait until every one of them receives every other's audio and video (keyframe included), let it settle,
 * then measure for the run's duration and report. A pacer thread drives every publisher; a sampler prints a
 * progress line each second and keeps the interval figures for the plot.
 *
 * <p>Thread-safety: {@link #run} once, from one thread.
 */
public final class LoadRun {

    /** How long joining and connecting may take beyond the join schedule. */
    private static final Duration CONNECT_GRACE = Duration.ofSeconds(30);
    private static final long PACER_PERIOD_NANOS = 1_000_000L;
    private static final long SAMPLE_NANOS = 1_000_000_000L;

    private final LoadOptions options;
    private final PrintStream progress;
    private final ReceiveTotals totals = new ReceiveTotals();
    private final List<LoadParticipant> participants = new ArrayList<>();
    private final List<IntervalSample> samples = new ArrayList<>();
    private volatile boolean pacing = true;

    public LoadRun(LoadOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public LoadReport run() throws Exception {
        Recording recording = Recording.bundled();
        InetAddress address = InetAddress.getByName(options.address());
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService connector = Executors.newFixedThreadPool(4, daemon("load-connect"));
        Thread pacer = new Thread(this::pace, "load-pacer");
        pacer.setDaemon(true);
        pacer.setPriority(Thread.MAX_PRIORITY);
        long runStart = System.nanoTime();
        RawRelay relay = options.relay() ? new RawRelay(new InetSocketAddress(address, 0)) : null;
        DoubleSupplier serverCpu = relay != null ? () -> relay.cpuNanos() / 1e9 : processCpu(options);
        try {
            pacer.start();
            if (relay != null) {
                joinRelay(recording, relay, runStart);
            } else {
                joinServer(recording, address, http, connector, runStart);
            }
            long deadline = System.nanoTime() + CONNECT_GRACE.toNanos();
            try {
                awaitFlowing(deadline);
            } catch (IllegalStateException e) {
                if (relay == null) {
                    printServerStats(http);
                }
                throw e;
            }
            double connectedAfter = (System.nanoTime() - runStart) / 1e9;
            progress.printf("media flows between all %d participants %.1f s after the first join%n",
                    participants.size(), connectedAfter);
            sampleUntil(System.nanoTime() + options.settle().toNanos(), false, runStart);
            Snapshot before = Snapshot.take(participants, totals, serverCpu);
            long measureStart = System.nanoTime();
            samples.clear();
            sampleUntil(measureStart + options.duration().toNanos(), true, measureStart);
            Snapshot after = Snapshot.take(participants, totals, serverCpu);
            return LoadReport.of(options, before, after, (System.nanoTime() - measureStart) / 1e9, connectedAfter,
                    totals.measured(), List.copyOf(samples), totals.streams().size());
        } finally {
            pacing = false;
            pacer.join(1000);
            for (LoadParticipant p : participants) {
                p.close();
            }
            if (relay != null) {
                relay.close();
            }
            connector.shutdownNow();
            connector.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void joinServer(Recording recording, InetAddress address, HttpClient http, ExecutorService connector,
                            long runStart) {
        long joinGap = (long) (1_000_000_000L / options.joinRate());
        for (int p = 0; p < options.participants(); p++) {
            for (int r = 0; r < options.rooms(); r++) {
                SyntheticParticipant participant = new SyntheticParticipant("synthetic " + (p + 1), roomName(r),
                        recording, address, connector, totals, runStart + 7919L * participants.size());
                synchronized (participants) {
                    participants.add(participant);
                }
                participant.start(http, options.url());
                LockSupport.parkNanos(joinGap);
            }
        }
    }

    /** The baseline's rooms are fixed from the start: everyone is registered with the relay at once. */
    private void joinRelay(Recording recording, RawRelay relay, long runStart) throws IOException {
        relay.start();
        for (int r = 0; r < options.rooms(); r++) {
            List<RelayParticipant> room = new ArrayList<>();
            for (int p = 0; p < options.participants(); p++) {
                room.add(new RelayParticipant("synthetic " + (p + 1), roomName(r), recording, options.address(),
                        relay, totals, runStart + 7919L * (participants.size() + room.size())));
            }
            RelayParticipant.wire(relay, room);
            synchronized (participants) {
                participants.addAll(room);
            }
        }
    }

    private String roomName(int index) {
        return options.roomPrefix() + "-" + (index + 1);
    }

    private static DoubleSupplier processCpu(LoadOptions options) {
        if (options.serverPid().isEmpty()) {
            return () -> Double.NaN;
        }
        long pid = options.serverPid().getAsLong();
        return () -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** Until every participant receives audio and video (a keyframe seen) from every other one. */
    private void awaitFlowing(long deadline) throws InterruptedException {
        int expected = (options.participants() - 1) * 2;
        while (true) {
            int flowing = 0;
            List<String> waiting = new ArrayList<>();
            for (LoadParticipant p : participants) {
                if (p.mediaReady().isCompletedExceptionally()) {
                    throw new IllegalStateException(p.name() + " in " + p.room() + ": " + p.lastError());
                }
                if (isFlowing(p, expected)) {
                    flowing++;
                } else {
                    waiting.add(describeWaiting(p, expected));
                }
            }
            if (flowing == participants.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("media did not reach everyone in time; still waiting: " + waiting);
            }
            Thread.sleep(100);
        }
    }

    /** When media never reached someone: the server's own view of every participant, to compare with ours. */
    private void printServerStats(HttpClient http) {
        try {
            HttpRequest request = HttpRequest.newBuilder(options.url().resolve("api/stats"))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> stats = http.send(request, HttpResponse.BodyHandlers.ofString());
            progress.println("the server's stats (" + stats.statusCode() + "): " + stats.body());
        } catch (IOException | IllegalArgumentException e) {
            progress.println("the server's stats could not be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a participant still lacks, for the error when media never reached it. */
    private static String describeWaiting(LoadParticipant p, int expectedStreams) {
        StringBuilder d = new StringBuilder(p.name()).append('@').append(p.room());
        if (!p.isMediaReady() || p.subscriber() == null) {
            return d.append(" (media not connected").append(p.lastError() != null ? ": " + p.lastError() : "")
                    .append(')').toString();
        }
        List<InStream> streams = p.subscriber().currentStreams();
        d.append(" (").append(streams.size()).append(" of ").append(expectedStreams).append(" streams announced; ")
                .append(p.subscriber().rtpReceived()).append(" RTP packets in all, ")
                .append(p.subscriber().unknownSsrc()).append(" of unannounced SSRCs, ")
                .append(p.subscriber().undecryptable()).append(" undecryptable");
        for (InStream s : streams) {
            if (s.packets() == 0 || (s.video() && s.keyframes() == 0)) {
                d.append("; ").append(s.video() ? "video" : "audio").append(" of ").append(s.publisherId())
                        .append(" on mid ").append(s.mid()).append(": ").append(s.packets()).append(" packets, ")
                        .append(s.keyframes()).append(" keyframes");
            }
        }
        return d.append(')').toString();
    }

    private static boolean isFlowing(LoadParticipant p, int expectedStreams) {
        if (!p.isMediaReady() || p.subscriber() == null) {
            return false;
        }
        List<InStream> streams = p.subscriber().currentStreams();
        if (streams.size() < expectedStreams) {
            return false;
        }
        for (InStream s : streams) {
            if (s.packets() == 0 || (s.video() && s.keyframes() == 0)) {
                return false;
            }
        }
        return true;
    }

    private void sampleUntil(long end, boolean measuring, long origin) {
        long next = System.nanoTime() + SAMPLE_NANOS;
        long lostBefore = totals.lost();
        while (true) {
            long now = System.nanoTime();
            long wake = Math.min(next, end);
            if (wake > now) {
                LockSupport.parkNanos(wake - now);
            }
            now = System.nanoTime();
            if (now >= next || now >= end) {
                ReceiveTotals.Interval interval = totals.drainInterval(measuring);
                long lost = totals.lost();
                IntervalSample sample = new IntervalSample((now - origin) / 1e9, interval.packets(),
                        interval.bytes(), Math.max(0, lost - lostBefore), interval.p50Millis(),
                        interval.p99Millis());
                lostBefore = lost;
                if (measuring) {
                    samples.add(sample);
                }
                progress.printf("%s %5.1f s  %d participants  rx %,d pkt/s  %.1f Mbit/s  lost %d  p50 %.2f ms  p99 %.2f ms%n",
                        measuring ? "measure" : "settle ", sample.secondsSinceStart(), participants.size(),
                        sample.packetsReceived(), sample.bytesReceived() * 8 / 1e6, sample.packetsLost(),
                        sample.p50LatencyMs(), sample.p99LatencyMs());
                next += SAMPLE_NANOS;
            }
            if (now >= end) {
                return;
            }
        }
    }

    private void pace() {
        List<LoadParticipant> ready = new ArrayList<>();
        while (pacing) {
            ready.clear();
            synchronized (participants) {
                for (LoadParticipant p : participants) {
                    if (p.isMediaReady()) {
                        ready.add(p);
                    }
                }
            }
            long now = System.nanoTime();
            for (LoadParticipant p : ready) {
                p.publisher().tick(now);
            }
            LockSupport.parkNanos(PACER_PERIOD_NANOS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Counters at one instant, so the report covers exactly the measured window. */
    record Snapshot(long nanos, long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                    long expected, long lost, long receivedStreams, double jitterMillis, OptionalDouble serverCpuSeconds,
                    double toolCpuSeconds, long nacks, long plis, long retransmissions, long keyframesForced) {

        static Snapshot take(List<LoadParticipant> participants, ReceiveTotals totals, DoubleSupplier serverCpu) {
            long sent = 0;
            long sentBytes = 0;
            long nacks = 0;
            long plis = 0;
            long rtx = 0;
            long forced = 0;
            for (LoadParticipant p : participants) {
                sent += p.publisher().packetsSent();
                sentBytes += p.publisher().bytesSent();
                rtx += p.publisher().retransmissionsSent();
                forced += p.publisher().keyframesForced();
                if (p.subscriber() != null) {
                    nacks += p.subscriber().nacksSent();
                    plis += p.subscriber().plisSent();
                }
            }
            long received = 0;
            long bytes = 0;
            long expected = 0;
            long lost = 0;
            long flowing = 0;
            double jitter = 0;
            List<InStream> streams = totals.streams();
            for (InStream s : streams) {
                received += s.packets();
                bytes += s.bytes();
                expected += s.expected();
                lost += s.lost();
                jitter += s.jitterMillis();
                if (s.packets() > 0) {
                    flowing++;
                }
            }
            double cpu = serverCpu.getAsDouble();
            OptionalDouble server = Double.isNaN(cpu) ? OptionalDouble.empty() : OptionalDouble.of(cpu);
            double tool = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            return new Snapshot(System.nanoTime(), sent, sentBytes, received, bytes, expected, lost, flowing,
                    streams.isEmpty() ? 0 : jitter / streams.size(), server, tool, nacks, plis, rtx, forced);
        }
    }
}
