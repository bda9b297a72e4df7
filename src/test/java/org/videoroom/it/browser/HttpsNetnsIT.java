package org.videoroom.it.browser;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person on another machine joins over https, as the product is meant to be used: without https a page on any
 * address but localhost is no secure context, so the browser gives it no camera or microphone. Here the "other
 * machine" is a Chromium in the client namespace of scripts/netns-jvm/bin/java, loading
 * {@code https://10.98.0.1:<it.https.port>/} with the certificate org.videoroom.tls generated for the test server
 * (pom.xml's it-tls-keystore execution); two more Chromiums on the server side join the same way. No browser is
 * told to treat an insecure origin as secure: each page must be a secure context on its own, signal over wss,
 * and send and receive media.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpsNetnsIT {

    private static final System.Logger LOG = System.getLogger(HttpsNetnsIT.class.getName());
    private static final int HTTPS_PORT = Integer.getInteger("it.https.port", 18443);
    private static final Path TLS_DIR = Path.of(System.getProperty("it.tls.dir", "target/it-tls"));
    /** The certificate is self-signed; the browsers are told to accept it as a person clicking through would. */
    private static final List<String> ACCEPT_SELF_SIGNED = List.of("--ignore-certificate-errors");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();
    private final String clientNamespace = System.getenv("VIDEOROOM_NETNS_CLIENT");
    private final String serverAddress = System.getenv("VIDEOROOM_NETNS_SERVER_ADDRESS");
    private final String clientAddress = System.getenv("VIDEOROOM_NETNS_CLIENT_ADDRESS");

    @AfterEach
    void closeBrowsers() {
        browsers.closeAll();
    }

    @Test
    void aBrowserOnAnotherHostJoinsOverHttpsAndSeesAndHearsTheOthers() throws Exception {
        if (clientNamespace == null) {
            throw new AssertionError("run through Maven: scripts/netns-jvm/bin/java sets up the namespaces");
        }
        URI server = new URI("https", null, serverAddress, HTTPS_PORT,
                TestDeployments.loopback(deploymentUrl).getPath(), null, null);
        assertServesTheGeneratedCertificate(server);
        String room = "https-" + System.nanoTime();

        RoomPage ada = browsers.add(new RoomPage("Ada", Chromium.withArguments("Ada", ACCEPT_SELF_SIGNED))
                .withCamera(640, 480));
        RoomPage bob = browsers.add(new RoomPage("Bob", Chromium.withArguments("Bob", ACCEPT_SELF_SIGNED))
                .withCamera(640, 480));
        RoomPage cy = browsers.add(new RoomPage("Cy", Chromium.inNamespace("Cy", clientNamespace, clientAddress,
                serverAddress, ACCEPT_SELF_SIGNED)).withCamera(640, 480));
        List<RoomPage> pages = browsers.pages();
        long start = System.nanoTime();
        for (RoomPage page : pages) {
            page.join(server, room);
        }
        try {
            for (RoomPage page : pages) {
                BrowserMedia.awaitMediaFromAll(page, 2);
            }
        } catch (AssertionError e) {
            for (RoomPage page : pages) {
                LOG.log(System.Logger.Level.INFO, "{0}: status \"{1}\", milestones {2}, inbound {3}", page.name(),
                        page.statusText(), page.timeline(), page.inbound());
            }
            throw e;
        }
        long allFlowing = (System.nanoTime() - start) / 1_000_000;

        for (RoomPage page : pages) {
            Map<String, Object> context = pageContext(page);
            assertEquals("https:", context.get("protocol"), page.name());
            assertEquals(true, context.get("secure"), page.name() + " is a secure context");
            assertEquals(true, context.get("camera"), page.name() + " was given navigator.mediaDevices");
            assertTrue(String.valueOf(context.get("signaling")).startsWith(
                    "wss://" + serverAddress + ":" + HTTPS_PORT + "/"), page.name() + " signals over wss: " + context);
            BrowserMedia.assertMediaFlows(page);
        }
        // Cy's media crossed the veth pair: its selected candidate pair runs from the client side's address to
        // the server's.
        Map<String, Object> pair = selectedPair(cy);
        assertEquals(clientAddress, pair.get("local"), "Cy's pair " + pair);
        assertEquals(serverAddress, pair.get("remote"), "Cy's pair " + pair);

        for (RoomPage page : pages) {
            Map<String, Long> milestones = new TreeMap<>(page.timeline());
            LOG.log(System.Logger.Level.INFO, "{0} over https: joined {1} ms, first remote frame {2} ms after the"
                            + " join was sent; milestones {3}", page.name(),
                    milestones.get("joined") - milestones.get("joinSent"),
                    milestones.get("firstRemoteFrame") - milestones.get("joinSent"), milestones);
        }
        LOG.log(System.Logger.Level.INFO, "all three see and hear each other over https {0} ms after the first"
                + " opened the lobby", allFlowing);
    }

    /** What a browser can tell about the page's security and its signaling socket. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> pageContext(RoomPage page) {
        return (Map<String, Object>) page.browser().script("""
                return { protocol: location.protocol, secure: window.isSecureContext,
                         camera: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
                         signaling: window.videoroom.signaling.url };
                """);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> selectedPair(RoomPage page) {
        return (Map<String, Object>) page.browser().async("""
                const done = arguments[arguments.length - 1];
                window.videoroom.media.peerConnection.getStats().then((stats) => {
                  let transport;
                  stats.forEach((s) => { if (s.type === 'transport') transport = s; });
                  const pair = transport && stats.get(transport.selectedCandidatePairId);
                  const local = pair && stats.get(pair.localCandidateId);
                  const remote = pair && stats.get(pair.remoteCandidateId);
                  done({ local: local ? local.address : null, remote: remote ? remote.address : null });
                });
                """);
    }

    /** The JDK's client, trusting only the generated certificate, gets it for the server's test address. */
    private static void assertServesTheGeneratedCertificate(URI server) throws Exception {
        Certificate generated;
        try (InputStream in = Files.newInputStream(TLS_DIR.resolve("certificate.pem"))) {
            generated = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("videoroom-it", generated);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        HttpResponse<String> lobby = HttpClient.newBuilder().sslContext(context).build()
                .send(HttpRequest.newBuilder(server).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lobby.statusCode());
        assertArrayEquals(generated.getEncoded(),
                lobby.sslSession().orElseThrow().getPeerCertificates()[0].getEncoded());
    }
}
