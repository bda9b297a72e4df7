package org.videoroom.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.load.LoadOptions;
import org.videoroom.load.LoadReport;
import org.videoroom.load.LoadTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The WAR undeployed and deployed again five times on one running WildFly (Payara Micro's managed container starts
 * a server per deployment, so it cannot show this): each deployment carries media between synthetic participants
 * (real ICE, DTLS-SRTP, RTP and RTCP, so ice4j's and our pools are all started), and after each undeploy no thread
 * of ours or ice4j's is left, every system property and log level is as it was before the first deployment, and
 * no class of the WAR is still loaded (its class loader was collected). The last deployment works like the first.
 *
 * <p>The server's state is read with the JDK's {@code jcmd} (threads, system properties, loaded classes, a full
 * collection) and its logging MBean (log levels, as {@code java.util.logging} holds them).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {

    /** The deployment's name for Arquillian; the archive is the product's videoroom.war, served at /videoroom. */
    private static final String WAR = "videoroom-redeploy";
    private static final int CYCLES = 5;
    /** Loggers whose levels the application may touch: its own and its libraries'. */
    private static final List<String> LOGGER_PREFIXES = List.of("org.videoroom", "org.ice4j", "org.jitsi");
    /** Threads of the application's pools (app.Threads) and of ice4j's. */
    private static final Pattern OUR_THREAD = Pattern.compile("videoroom-.*|ice4j\\..*|ice-reader-.*");
    /** A thread's name in a {@code Thread.print} dump: the first quoted string of its header line. */
    private static final Pattern THREAD_HEADER = Pattern.compile("^\"(.*)\" #\\d+ .*", Pattern.MULTILINE);

    @Deployment(name = WAR, managed = false, testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    /**
     * WildFly Preview's first deployment of any WAR leaves server state of its own (its javax-to-jakarta
     * transformer sets {@code org.slf4j.simpleLogger.log.Transformer}): a page-only WAR deployed once first.
     */
    @Deployment(name = "probe", managed = false, testable = false)
    static WebArchive probe() {
        return org.jboss.shrinkwrap.api.ShrinkWrap.create(WebArchive.class, "probe.war")
                .addAsWebResource(new org.jboss.shrinkwrap.api.asset.StringAsset("probe"), "index.html");
    }

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    @org.jboss.arquillian.container.test.api.OperateOnDeployment(WAR)
    ManagementClient management;

    @Test
    void fiveRedeploysLeaveNoThreadPropertyLogLevelOrClassOfTheWarBehind_theLastDeploymentWorks() throws Exception {
        Server server = new Server(management);
        try {
            cycles(server);
        } finally {
            server.close();
        }
    }

    private void cycles(Server server) throws Exception {
        // An idle worker thread of WildFly's keeps the last request it ran on its stack until it runs another or
        // ends (60 s idle, or never for its core threads), and with that request the undeployed WAR: the server's
        // retention, not the application's. Idle workers end after half a second here, so what is left is ours.
        server.workersEndWhenIdle();
        deployer.deploy("probe");
        deployer.undeploy("probe");
        // The integration tests before this one deployed the WAR on this server too: their copy must be gone first
        // (WildFly may hold an undeployed WAR's loader for tens of seconds, see below).
        Snapshot before = server.snapshotOnceUnloaded(30);
        assertEquals(0, before.classes(), "no class of the WAR before it is deployed");

        Snapshot afterFirst = null;
        List<Integer> unloaded = new ArrayList<>();
        // The fewest seen while deployed: one deployment's (a late loader of the one before may add its own).
        int deployedClasses = Integer.MAX_VALUE;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            deployer.deploy(WAR);
            try {
                carriesMedia(cycle);
                Snapshot deployed = server.snapshot();
                assertTrue(deployed.classes() > 500, "the probe sees the WAR's classes while it is deployed: "
                        + deployed.classes());
                deployedClasses = Math.min(deployedClasses, deployed.classes());
                assertTrue(deployed.threads().stream().anyMatch(n -> OUR_THREAD.matcher(n).matches()),
                        "the probe sees the WAR's threads while it is deployed: " + deployed.threads());
            } finally {
                deployer.undeploy(WAR);
            }
            Snapshot after = server.snapshotOnceUnloaded(15);
            String cycleName = "after undeploy " + cycle + ": ";
            unloaded.add(after.classes());
            // Loaders may be late, never pile up. In runs, WildFly held one undeployed WAR's class loader past this
            // wait now and then (any cycle, the first one too) while a heap dump showed no strong, soft or
            // finalizer path to it from any GC root, and it was gone after the next undeploy. One late loader has
            // about one deployment's classes (a few more than counted while deployed: its undeploy loads some);
            // two would be twice as many. After the last cycle, none at all (below).
            assertTrue(after.classes() <= deployedClasses * 3 / 2, cycleName + after.classes()
                    + " classes of undeployed WARs loaded, more than one deployment's " + deployedClasses);
            assertEquals(List.of(), after.threads().stream().filter(n -> OUR_THREAD.matcher(n).matches()).toList(),
                    cycleName + "threads of the WAR still running");
            assertEquals(Map.of(), difference(before.systemProperties(), after.systemProperties()),
                    cycleName + "system properties changed (before -> after)");
            assertEquals(before.loggerLevels(), after.loggerLevels(), cycleName + "log levels");
            if (afterFirst == null) {
                afterFirst = after;
            } else {
                // The server's own pools may grow on the first deployment; after that a cycle must add nothing.
                assertTrue(after.threads().size() <= afterFirst.threads().size() + 4, cycleName
                        + after.threads().size() + " threads, " + afterFirst.threads().size()
                        + " after the first; new: " + newNames(afterFirst.threads(), after.threads()));
            }
        }

        System.out.printf("redeploy: classes of the WAR still loaded after each undeploy %s (%d when deployed)%n",
                unloaded, deployedClasses);
        // The last deployment works as the first did: deploy it once more and carry media.
        deployer.deploy(WAR);
        try {
            carriesMedia(CYCLES + 1);
        } finally {
            deployer.undeploy(WAR);
        }
        // Then one more undeploy of something else (the probe), after which a late loader was always gone: no
        // class of any of the six deployments may be left.
        deployer.deploy("probe");
        deployer.undeploy("probe");
        Snapshot last = server.snapshotOnceUnloaded(30);
        if (last.classes() != 0) {
            // For whoever looks into it: what holds the class loader (a heap dump of the server, live objects).
            Path dump = Path.of("target", "redeploy", "leak.hprof").toAbsolutePath();
            java.nio.file.Files.createDirectories(dump.getParent());
            java.nio.file.Files.deleteIfExists(dump);
            server.jcmd("GC.heap_dump", dump.toString());
            fail("see " + dump + ": " + last.classes() + " classes of the WAR still loaded (a class loader leak)");
        }
        System.out.printf("redeploy: after the last undeploy and the probe's, %d classes of the WAR loaded%n",
                last.classes());
        assertEquals(List.of(), last.threads().stream().filter(n -> OUR_THREAD.matcher(n).matches()).toList());
        assertEquals(Map.of(), difference(before.systemProperties(), last.systemProperties()));
    }

    /** Two synthetic participants exchange audio and video through this deployment, with nothing lost. */
    private void carriesMedia(int cycle) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + Integer.getInteger("it.wildfly.http.port", 8180)
                + "/videoroom/");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LoadReport report = LoadTool.run(LoadOptions.parse("--url", base.toString(), "--rooms", "1",
                "--participants", "2", "--seconds", "2", "--settle", "1", "--room-prefix",
                "redeploy-" + cycle + "-" + System.nanoTime(), "--report",
                Path.of("target/redeploy/report-" + cycle + ".json").toString()),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String output = log.toString(StandardCharsets.UTF_8);
        assertEquals(report.expectedStreams(), report.receivedStreams(), "deployment " + cycle + ": " + output);
        assertTrue(report.packetsReceived() > 0, "deployment " + cycle + ": " + output);
        assertEquals(0, report.packetsLost(), "deployment " + cycle + ": " + output);
    }

    /** Keys whose values differ, with "before -> after" ("" for unset). */
    private static Map<String, String> difference(Map<String, String> before, Map<String, String> after) {
        Map<String, String> changed = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String was = before.getOrDefault(key, "");
            String is = after.getOrDefault(key, "");
            if (!was.equals(is)) {
                changed.put(key, was + " -> " + is);
            }
        }
        return changed;
    }

    private static List<String> newNames(List<String> earlier, List<String> later) {
        List<String> added = new ArrayList<>(later);
        earlier.forEach(added::remove);
        return added;
    }

    /** What of the server's JVM-wide state a deployment could leave behind. */
    record Snapshot(List<String> threads, Map<String, String> systemProperties, Map<String, String> loggerLevels,
                    int classes) {
    }

    /** The managed WildFly's JVM, read through jcmd and the management API. */
    private static final class Server {

        private final ManagementClient management;
        private final long pid;
        private final Path jcmd;
        private javax.management.remote.JMXConnector jmx;

        Server(ManagementClient management) throws IOException {
            this.management = management;
            ModelNode name = execute(platform("runtime", "read-attribute", "name", "name"));
            this.pid = Long.parseLong(name.asString().substring(0, name.asString().indexOf('@')));
            this.jcmd = Path.of(System.getProperty("it.java.home", System.getProperty("java.home")), "bin", "jcmd");
            // Starting the JMX agent sets java.rmi.server.randomIDs: before the first snapshot, so it counts as the
            // server's.
            jmx();
        }

        void workersEndWhenIdle() throws IOException {
            for (String[] attribute : new String[][] {{"task-keepalive", "500"}, {"task-core-threads", "0"}}) {
                ModelNode op = new ModelNode();
                op.get("address").add("subsystem", "io").add("worker", "default");
                op.get("operation").set("write-attribute");
                op.get("name").set(attribute[0]);
                op.get("value").set(Integer.parseInt(attribute[1]));
                execute(op);
            }
        }

        void workersAsConfigured() throws IOException {
            for (String attribute : List.of("task-keepalive", "task-core-threads")) {
                ModelNode op = new ModelNode();
                op.get("address").add("subsystem", "io").add("worker", "default");
                op.get("operation").set("undefine-attribute");
                op.get("name").set(attribute);
                execute(op);
            }
        }

        Snapshot snapshot() throws IOException, InterruptedException {
            return new Snapshot(threads(), systemProperties(), loggerLevels(), classesOfTheWar());
        }

        /**
         * After full collections: a class loader goes only then, and JBoss Modules' loaders are finalizable, so each
         * takes a collection to be found unreachable, its finalizer, and another collection. This collects twice a
         * round for up to {@code seconds} until none of the WAR's classes is loaded (it reports how long that took).
         */
        Snapshot snapshotOnceUnloaded(int seconds) throws IOException, InterruptedException {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            int classes;
            do {
                jcmd("GC.run");
                Thread.sleep(300);
                jcmd("GC.run");
                classes = classesOfTheWar();
                if (classes == 0) {
                    break;
                }
                Thread.sleep(1_000);
            } while (System.nanoTime() < deadline);
            System.out.printf("redeploy: %d classes of the WAR loaded %d ms after the undeploy%n", classes,
                    (System.nanoTime() - start) / 1_000_000);
            return snapshot();
        }

        private List<String> threads() throws IOException, InterruptedException {
            List<String> names = new ArrayList<>();
            Matcher m = THREAD_HEADER.matcher(jcmd("Thread.print"));
            while (m.find()) {
                names.add(m.group(1));
            }
            names.sort(null);
            return names;
        }

        private Map<String, String> systemProperties() throws IOException, InterruptedException {
            Map<String, String> properties = new TreeMap<>();
            for (String line : jcmd("VM.system_properties").split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    properties.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return properties;
        }

        /** Classes whose name is in the WAR's own package (its libraries' are checked through their threads). */
        private int classesOfTheWar() throws IOException, InterruptedException {
            int count = 0;
            for (String line : jcmd("VM.classes").split("\n")) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 5 && columns[columns.length - 1].startsWith("org.videoroom.")) {
                    count++;
                }
            }
            return count;
        }

        /**
         * The level of every logger of ours and our libraries' that java.util.logging knows, where one is set.
         * WildFly's management model has no logging MBean, so this reads the JVM's own, through a local JMX agent
         * started in the server by the attach API (loopback only, this user only).
         */
        private Map<String, String> loggerLevels() throws IOException {
            java.lang.management.PlatformLoggingMXBean logging = java.lang.management.ManagementFactory
                    .newPlatformMXBeanProxy(jmx(), "java.util.logging:type=Logging",
                            java.lang.management.PlatformLoggingMXBean.class);
            TreeSet<String> ours = new TreeSet<>(LOGGER_PREFIXES);
            for (String name : logging.getLoggerNames()) {
                if (LOGGER_PREFIXES.stream().anyMatch(name::startsWith)) {
                    ours.add(name);
                }
            }
            Map<String, String> levels = new TreeMap<>();
            for (String logger : ours) {
                String level = logging.getLoggerLevel(logger);
                if (level != null && !level.isEmpty()) {
                    levels.put(logger, level);
                }
            }
            return levels;
        }

        private javax.management.MBeanServerConnection jmx() throws IOException {
            if (jmx == null) {
                try {
                    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(
                            Long.toString(pid));
                    String address;
                    try {
                        address = vm.startLocalManagementAgent();
                    } finally {
                        vm.detach();
                    }
                    jmx = javax.management.remote.JMXConnectorFactory.connect(
                            new javax.management.remote.JMXServiceURL(address));
                } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                    throw new IOException("cannot attach to the server's JVM " + pid, e);
                }
            }
            return jmx.getMBeanServerConnection();
        }

        void close() throws IOException {
            try {
                workersAsConfigured();
            } finally {
                if (jmx != null) {
                    jmx.close();
                }
            }
        }

        /** An operation on one of the JVM's platform MBeans, with one parameter. */
        private static ModelNode platform(String type, String operation, String parameter, String value) {
            ModelNode op = new ModelNode();
            op.get("address").add("core-service", "platform-mbean").add("type", type);
            op.get("operation").set(operation);
            op.get(parameter).set(value);
            return op;
        }

        private ModelNode execute(ModelNode op) throws IOException {
            ModelNode result = management.getControllerClient().execute(op);
            if (!"success".equals(result.get("outcome").asString())) {
                fail("management operation " + op + " failed: " + result);
            }
            return result.get("result");
        }

        private String jcmd(String... command) throws IOException, InterruptedException {
            List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
            line.addAll(List.of(command));
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("jcmd " + String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        }
    }
}
