package org.videoroom.it.browser;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser whose network drops all UDP still joins, over ICE-TCP (RFC 6544). The server and one participant
 * run in the server-side namespace of scripts/netns-jvm/bin/java; a second participant's Chromium runs in the
 * client-side one. First that participant joins with UDP working (the baseline: it must pick UDP, which our
 * candidates rank first); then, with every UDP packet dropped inside the client namespace only (iptables in
 * that namespace, removed afterwards; the namespace dies with the test JVM anyway), a fresh Chromium there
 * joins: it connects to the server's passive TCP candidate and media flows both ways. The page's getStats()
 * and the server's /api/stats both say the selected pair is TCP, and a capture on the client's end of the
 * veth pair shows no UDP from the client and nothing from it but to the server's test address; what the
 * server side sends elsewhere (DNS to the host's resolver, seen here) ends in the client namespace, which
 * forwards nothing. The connect times (join to the
 * first remote video frame) over UDP and over TCP are logged.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IceTcpNetnsIT {

    private static final System.Logger LOG = System.getLogger(IceTcpNetnsIT.class.getName());
    private static final String TEST_NET = "10.98.0.0/24";
    /** Every UDP packet in and out, IPv4 and IPv6: [tool, chain, match...]. */
    private static final List<List<String>> DROP_UDP = List.of(
            List.of("iptables", "OUTPUT", "-p", "udp", "-j", "DROP"),
            List.of("iptables", "INPUT", "-p", "udp", "-j", "DROP"),
            List.of("ip6tables", "OUTPUT", "-p", "udp", "-j", "DROP"),
            List.of("ip6tables", "INPUT", "-p", "udp", "-j", "DROP"));
    /**
     * IP packets that are not between the two test addresses. IPv6 link-local traffic (neighbour discovery,
     * multicast listener reports the kernel sends on any link) cannot leave the veth pair by definition.
     */
    private static final String FOREIGN = "(ip and not (src net " + TEST_NET + " and dst net " + TEST_NET + "))"
            + " or (ip6 and not (src net fe80::/10 or src host :: or dst net ff02::/16))";

    /** The selected pair as the page sees it: [local protocol, remote candidate's protocol, remote port, state]. */
    private static final String SELECTED_PAIR = """
            const done = arguments[arguments.length - 1];
            const v = window.videoroom;
            if (!v || !v.media) { done(null); return; }
            v.media.peerConnection.getStats().then((stats) => {
              let pair = null;
              stats.forEach((s) => {
                if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
              });
              if (!pair) { done(null); return; }
              const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
              done([local?.protocol ?? '', remote?.protocol ?? '', remote?.port ?? 0, pair.state ?? '',
                    local?.tcpType ?? '', remote?.tcpType ?? '', local?.candidateType ?? '',
                    local?.relayProtocol ?? '']);
            }).catch(() => done(null));
            """;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();
    private final String clientNamespace = System.getenv("VIDEOROOM_NETNS_CLIENT");
    private final String clientDevice = System.getenv("VIDEOROOM_NETNS_CLIENT_DEV");
    private final String serverAddress = System.getenv("VIDEOROOM_NETNS_SERVER_ADDRESS");
    private final String clientAddress = System.getenv("VIDEOROOM_NETNS_CLIENT_ADDRESS");
    /** The server's ICE ports: ICE-TCP uses the UDP port's number unless videoroom.ice.tcp-port says otherwise. */
    private final int icePort = Integer.getInteger("it.ice.port", 10100);
    private Process capture;
    private Path captureFile;
    private Path captureLog;
    private Process turnServer;
    private Path turnDirectory;
    /** Where coturn listens (TCP) and relays from, in the server-side namespace: arquillian.xml hands it out. */
    static final int TURN_PORT = 3478;
    /** The shared secret of arquillian.xml's videoroom.turn.secret for the netns server. */
    static final String TURN_SECRET = "videoroom-netns-turn-secret";
    /**
     * Media over {@link #MEDIA_WATCH_MS} of a fresh call, both ways, is far more than this; STUN checks alone (a
     * hundred bytes every second or so) far less.
     */
    static final long MEDIA_BYTES = 20_000;
    /** How long media is watched on the capture after it flows. */
    static final long MEDIA_WATCH_MS = 3_000;

    @AfterEach
    void closeBrowsersAndLetUdpThrough() throws Exception {
        try {
            browsers.closeAll();
        } finally {
            stopCapture();
            stopTurnServer();
            for (List<String> rule : DROP_UDP) {
                iptables(false, "-D", rule);
            }
            iptables(false, "-D", dropIceTcp());
            if (captureFile != null) {
                Files.deleteIfExists(captureFile);
            }
        }
    }

    @Test
    void aBrowserWithoutUdpConnectsOverIceTcpAndMediaFlowsBothWays() throws Exception {
        if (clientNamespace == null || clientDevice == null) {
            throw new AssertionError("run through Maven: scripts/netns-jvm/bin/java sets up the namespaces");
        }
        URI local = TestDeployments.loopback(deploymentUrl);
        URI server = new URI("http", null, serverAddress, local.getPort(), local.getPath(), null, null);
        List<String> secure = List.of("--unsafely-treat-insecure-origin-as-secure=http://" + serverAddress + ":"
                + local.getPort());
        String room = "icetcp-" + System.nanoTime();
        RoomPage ada = browsers.add(new RoomPage("Ada", Chromium.withArguments("Ada", secure)).withCamera(640, 480));
        ada.join(server, room);

        // Baseline: UDP works, and the browser picks it although it can reach our TCP candidate too.
        RoomPage cyUdp = browsers.add(new RoomPage("CyUdp", Chromium.inNamespace("CyUdp", clientNamespace,
                clientAddress, serverAddress, secure)).withCamera(640, 480));
        cyUdp.join(server, room);
        awaitMedia(ada, cyUdp);
        List<Object> udpPair = selectedPair(cyUdp);
        assertEquals("udp", udpPair.get(0), "with UDP open the page's selected pair is UDP: " + udpPair);
        assertEquals("udp", participant(local, cyUdp).getString("iceProtocol"));
        Map<String, Long> udpTimeline = cyUdp.timeline();
        cyUdp.close();
        RoomPage.await(Duration.ofSeconds(10), "Ada sees CyUdp leave", () -> ada.remoteNames().isEmpty());

        // No UDP in or out of the client namespace; watch its end of the veth pair meanwhile.
        for (List<String> rule : DROP_UDP) {
            iptables(true, "-A", rule);
        }
        startCapture();
        long tcpBefore = BrowserMedia.serverStats(local).getJsonObject("ice").getJsonNumber("selectedTcp").longValue();
        RoomPage cyTcp = browsers.add(new RoomPage("CyTcp", Chromium.inNamespace("CyTcp", clientNamespace,
                clientAddress, serverAddress, secure)).withCamera(640, 480));
        cyTcp.join(server, room);
        awaitMedia(ada, cyTcp);
        BrowserMedia.assertMediaFlows(cyTcp);
        BrowserMedia.assertMediaFlows(ada);

        List<Object> tcpPair = selectedPair(cyTcp);
        LOG.log(System.Logger.Level.INFO, "CyTcp selected pair per getStats: {0}", tcpPair);
        assertEquals("tcp", tcpPair.get(0), "the page's local candidate is TCP: " + tcpPair);
        assertEquals("tcp", tcpPair.get(1), "the server's candidate is TCP: " + tcpPair);
        assertEquals((long) icePort, ((Number) tcpPair.get(2)).longValue(), "on the server's ICE-TCP port");
        assertEquals("passive", tcpPair.get(5), "the server's candidate is passive: " + tcpPair);
        assertEquals("tcp", participant(local, cyTcp).getString("iceProtocol"));
        long tcpAfter = BrowserMedia.serverStats(local).getJsonObject("ice").getJsonNumber("selectedTcp").longValue();
        assertEquals(tcpBefore + 1, tcpAfter, "the server counted one more TCP pair");
        Map<String, Long> tcpTimeline = cyTcp.timeline();

        Thread.sleep(MEDIA_WATCH_MS);
        stopCapture();
        long udpFromClient = countCaptured("udp and src host " + clientAddress);
        long tcpPackets = countCaptured("tcp port " + icePort);
        long clientToForeign = countCaptured("src host " + clientAddress + " and not dst net " + TEST_NET);
        // The server side's own attempts to reach elsewhere (its resolver, from resolv.conf) cross the veth
        // and die in the client namespace, which forwards nothing: counted here, and the forwarding checked.
        long serverToForeign = countCaptured(FOREIGN + " and not src host " + clientAddress);
        LOG.log(System.Logger.Level.INFO, "capture on {0}: {1} ICE-TCP packets, {2} UDP from the client, {3} from"
                        + " the client outside {4}, {5} from the server side to elsewhere (dropped by the client side)",
                clientDevice, tcpPackets, udpFromClient, clientToForeign, TEST_NET, serverToForeign);
        assertEquals(0, udpFromClient, "no UDP left the client namespace while it was blocked");
        assertEquals(0, clientToForeign, "the client sent nothing but to the server's test address");
        assertEquals("0", clientSysctl("net.ipv4.ip_forward"), "the client namespace forwards nothing onwards");
        assertEquals("0", clientSysctl("net.ipv6.conf.all.forwarding"), "the client namespace forwards no IPv6");
        // Bytes, not packets: the veth coalesces a TCP stream's segments (GRO), so their count says little.
        long tcpBytes = capturedBytes("tcp port " + icePort);
        assertTrue(tcpBytes > MEDIA_BYTES, "media went over the ICE-TCP connection: " + tcpPackets + " packets, "
                + tcpBytes + " bytes");

        LOG.log(System.Logger.Level.INFO, "connect time, join sent to ICE+DTLS connected / first remote frame:"
                        + " UDP {0} / {1} ms, ICE-TCP {2} / {3} ms (UDP timeline {4}, TCP timeline {5})",
                since(udpTimeline, "mediaConnected"), since(udpTimeline, "firstRemoteFrame"),
                since(tcpTimeline, "mediaConnected"), since(tcpTimeline, "firstRemoteFrame"),
                udpTimeline, tcpTimeline);
    }

    @Test
    void aBrowserWithNeitherUdpNorIceTcpRelaysThroughTurnOverTcp() throws Exception {
        if (clientNamespace == null || clientDevice == null) {
            throw new AssertionError("run through Maven: scripts/netns-jvm/bin/java sets up the namespaces");
        }
        URI local = TestDeployments.loopback(deploymentUrl);
        URI server = new URI("http", null, serverAddress, local.getPort(), local.getPath(), null, null);
        List<String> secure = List.of("--unsafely-treat-insecure-origin-as-secure=http://" + serverAddress + ":"
                + local.getPort());
        startTurnServer();
        String room = "turn-" + System.nanoTime();
        RoomPage ada = browsers.add(new RoomPage("Ada", Chromium.withArguments("Ada", secure)).withCamera(640, 480));
        ada.join(server, room);

        // The client namespace reaches the server only over TCP, and not on the ICE-TCP port: what is left to
        // media is a TCP connection to the TURN server, which relays to the SFU over UDP on the server side.
        for (List<String> rule : DROP_UDP) {
            iptables(true, "-A", rule);
        }
        iptables(true, "-A", dropIceTcp());
        startCapture();
        RoomPage cy = browsers.add(new RoomPage("CyTurn", Chromium.inNamespace("CyTurn", clientNamespace,
                clientAddress, serverAddress, secure)).withCamera(640, 480));
        cy.join(server, room);
        awaitMedia(ada, cy);
        BrowserMedia.assertMediaFlows(cy);
        BrowserMedia.assertMediaFlows(ada);

        List<Object> pair = selectedPair(cy);
        LOG.log(System.Logger.Level.INFO, "CyTurn selected pair per getStats: {0}", pair);
        assertEquals("relay", pair.get(6), "the page's local candidate is a TURN relay: " + pair);
        assertEquals("tcp", pair.get(7), "reached over TCP: " + pair);
        assertEquals("udp", participant(local, cy).getString("iceProtocol"), "coturn relays to us over UDP");
        Map<String, Long> timeline = cy.timeline();

        Thread.sleep(MEDIA_WATCH_MS);
        stopCapture();
        long udpFromClient = countCaptured("udp and src host " + clientAddress);
        long turnPackets = countCaptured("tcp port " + TURN_PORT);
        long iceTcpPackets = countCaptured("tcp port " + icePort);
        long clientToForeign = countCaptured("src host " + clientAddress + " and not dst net " + TEST_NET);
        LOG.log(System.Logger.Level.INFO, "capture on {0}: {1} TURN/TCP packets, {2} ICE-TCP, {3} UDP from the"
                + " client, {4} from the client outside {5}", clientDevice, turnPackets, iceTcpPackets, udpFromClient,
                clientToForeign, TEST_NET);
        assertEquals(0, udpFromClient, "no UDP left the client namespace");
        assertEquals(0, clientToForeign, "the client sent nothing but to the server's test address");
        long turnBytes = capturedBytes("tcp port " + TURN_PORT);
        assertTrue(turnBytes > MEDIA_BYTES, "media went through the TURN connection: " + turnPackets + " packets, "
                + turnBytes + " bytes");
        LOG.log(System.Logger.Level.INFO, "connect time over TURN/TCP, join sent to ICE+DTLS connected / first"
                        + " remote frame: {0} / {1} ms (timeline {2})", since(timeline, "mediaConnected"),
                since(timeline, "firstRemoteFrame"), timeline);
    }

    private List<String> dropIceTcp() {
        return List.of("iptables", "OUTPUT", "-p", "tcp", "--dport", String.valueOf(icePort), "-j", "DROP");
    }

    /**
     * coturn on the server side's test address, TCP and UDP on {@link #TURN_PORT}, relaying only to that address
     * (every other peer address refused), with the REST-API secret the server signs credentials with.
     */
    private void startTurnServer() throws IOException, InterruptedException {
        turnDirectory = Files.createTempDirectory("videoroom-turn-");
        turnServer = new ProcessBuilder("turnserver", "-n", "--listening-ip=" + serverAddress,
                "--relay-ip=" + serverAddress, "--listening-port=" + TURN_PORT, "--min-port=49160",
                "--max-port=49260", "--use-auth-secret", "--static-auth-secret=" + TURN_SECRET,
                "--realm=videoroom.test", "--no-tls", "--no-dtls", "--no-cli", "--no-software-attribute",
                "--denied-peer-ip=0.0.0.0-255.255.255.255", "--allowed-peer-ip=" + serverAddress,
                "--log-file=stdout", "--simple-log", "--pidfile=" + turnDirectory.resolve("pid"),
                "--userdb=" + turnDirectory.resolve("turndb"))
                .redirectErrorStream(true)
                .redirectOutput(turnDirectory.resolve("turnserver.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(turnDirectory.resolve("pid")) && System.nanoTime() < deadline) {
            assertTrue(turnServer.isAlive(), "coturn started: " + Files.readString(turnDirectory.resolve("turnserver.log")));
            Thread.sleep(100);
        }
        assertTrue(turnServer.isAlive(), "coturn runs");
    }

    private void stopTurnServer() throws IOException, InterruptedException {
        if (turnServer == null) {
            return;
        }
        turnServer.destroy();
        if (!turnServer.waitFor(5, TimeUnit.SECONDS)) {
            turnServer.destroyForcibly();
        }
        turnServer = null;
        Path log = turnDirectory.resolve("turnserver.log");
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            LOG.log(System.Logger.Level.INFO, "coturn log (last lines): {0}",
                    lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
        try (var files = Files.list(turnDirectory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(turnDirectory);
    }

    private static void awaitMedia(RoomPage ada, RoomPage cy) {
        try {
            BrowserMedia.awaitMediaFromAll(cy, 1);
            BrowserMedia.awaitMediaFromAll(ada, 1);
        } catch (AssertionError e) {
            for (RoomPage page : List.of(ada, cy)) {
                LOG.log(System.Logger.Level.INFO, "{0}: status \"{1}\", milestones {2}, inbound {3}", page.name(),
                        page.statusText(), page.timeline(), page.inbound());
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> selectedPair(RoomPage page) {
        Object pair = page.browser().async(SELECTED_PAIR);
        if (!(pair instanceof List<?> list)) {
            throw new AssertionError(page.name() + " has no selected candidate pair");
        }
        return (List<Object>) list;
    }

    private static JsonObject participant(URI base, RoomPage page) throws IOException, InterruptedException {
        JsonObject p = BrowserMedia.participants(base).get(page.participantId());
        if (p == null) {
            throw new AssertionError("the server does not list " + page.name());
        }
        return p;
    }

    private static long since(Map<String, Long> timeline, String milestone) {
        Long at = timeline.get(milestone);
        Long start = timeline.get("joinSent");
        if (at == null || start == null) {
            throw new AssertionError("no " + milestone + " or joinSent in " + timeline);
        }
        return at - start;
    }

    // ---- the client namespace's firewall and capture -------------------------------------------------------

    /**
     * Adds or deletes one rule in the client namespace's filter table (netfilter tables are per namespace, so
     * nothing outside it is touched); a failed delete (no such rule) is fine.
     */
    private void iptables(boolean mustSucceed, String action, List<String> rule) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", clientNamespace, rule.get(0), action));
        command.addAll(rule.subList(1, rule.size()));
        run(command, mustSucceed);
    }

    private void startCapture() throws IOException, InterruptedException {
        captureFile = Files.createTempFile("videoroom-icetcp-", ".pcap");
        // -U writes each packet as it comes, so what was captured is on disk when tcpdump is stopped.
        captureLog = Files.createTempFile("videoroom-tcpdump-", ".log");
        // -Z root: Debian's tcpdump otherwise drops to its own user, who may not write our temporary file.
        capture = new ProcessBuilder("ip", "netns", "exec", clientNamespace, "tcpdump", "-i", clientDevice, "-n",
                "-U", "-Z", "root", "-w", captureFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(captureLog.toFile())
                .start();
        // Anything sent before tcpdump has the device open would be missed, not mistaken: wait until it says so.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(captureLog).contains("listening on") && System.nanoTime() < deadline) {
            assertTrue(capture.isAlive(), "tcpdump runs in the client namespace: " + Files.readString(captureLog));
            Thread.sleep(50);
        }
        assertTrue(Files.readString(captureLog).contains("listening on"), "tcpdump started: "
                + Files.readString(captureLog));
    }

    private void stopCapture() throws InterruptedException, IOException {
        if (capture == null) {
            return;
        }
        // It must have run all along: a capture that ended early would make every count below a vacuous zero.
        boolean ranThroughout = capture.isAlive();
        // ip netns exec execs tcpdump, so this PID is tcpdump's own; SIGTERM lets it close the file.
        capture.destroy();
        if (!capture.waitFor(5, TimeUnit.SECONDS)) {
            capture.destroyForcibly();
        }
        capture = null;
        String log = Files.readString(captureLog);
        Files.deleteIfExists(captureLog);
        LOG.log(System.Logger.Level.INFO, "tcpdump: {0}", log.strip().replace('\n', ' '));
        assertTrue(ranThroughout, "tcpdump ended before the test stopped it: " + log);
    }

    private long countCaptured(String filter) throws IOException, InterruptedException {
        List<String> packets = captured(filter);
        if (!packets.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "captured \"{0}\": {1} packets, first {2}", filter, packets.size(),
                    packets.subList(0, Math.min(5, packets.size())));
        }
        return packets.size();
    }

    /** The TCP payload bytes of the captured packets that match {@code filter} (tcpdump's "length N"). */
    private long capturedBytes(String filter) throws IOException, InterruptedException {
        long bytes = 0;
        java.util.regex.Pattern length = java.util.regex.Pattern.compile("length (\\d+)\\s*$");
        for (String line : captured(filter)) {
            java.util.regex.Matcher m = length.matcher(line);
            if (m.find()) {
                bytes += Long.parseLong(m.group(1));
            }
        }
        LOG.log(System.Logger.Level.INFO, "captured \"{0}\": {1} payload bytes", filter, bytes);
        return bytes;
    }

    private List<String> captured(String filter) throws IOException, InterruptedException {
        List<String> command = List.of("tcpdump", "-r", captureFile.toString(), "-n", filter);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("tcpdump -r failed for " + filter);
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private String clientSysctl(String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ip", "netns", "exec", clientNamespace, "sysctl", "-n", name)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return out;
    }

    private static void run(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 && mustSucceed) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
