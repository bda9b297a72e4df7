package org.videoroom.it;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The integration tests deploy the WAR that {@code package} built, so they test exactly what ships (the lobby,
 * signaling and app layers with all their libraries).
 */
public final class TestDeployments {

    /** The server's shared ICE/media UDP port in the integration tests (pom.xml passes it to arquillian.xml). */
    public static final int ICE_PORT = Integer.getInteger("it.ice.port", 10100);
    /** arquillian.xml's videoroom.admin.token: /api/stats and /api/metrics from outside loopback need it. */
    public static final String ADMIN_TOKEN = "it-admin-token";
    /** arquillian.xml's videoroom.auth.token-secret; it applies to rooms named signed-… only. */
    public static final String TOKEN_SECRET = "it-join-token-secret";

    /** A GET of an operator surface, with the admin token. */
    public static java.net.http.HttpRequest adminGet(URI uri) {
        return java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_TOKEN).GET()
                .build();
    }

    private TestDeployments() {
    }

    public static WebArchive productWar() {
        File war = new File("target/videoroom.war");
        if (!war.isFile()) {
            throw new IllegalStateException("run the integration tests through Maven (mvn verify): " + war
                    + " is built by the package phase");
        }
        return ShrinkWrap.create(ZipImporter.class, "videoroom.war").importFrom(war).as(WebArchive.class);
    }

    /**
     * The adapter reports the machine's first network address; tests only ever talk to loopback.
     */
    public static URI loopback(URL deployment) {
        try {
            URI uri = deployment.toURI();
            String path = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
            return new URI(uri.getScheme(), null, "127.0.0.1", uri.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
