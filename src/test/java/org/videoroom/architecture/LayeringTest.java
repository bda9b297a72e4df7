package org.videoroom.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The layering of design.md, checked on the sources: only the container-facing packages import Jakarta EE or
 * MicroProfile, and each transport library stays inside its own wrapper package.
 */
class LayeringTest {

    private static final Path ROOT = Path.of("src/main/java/org/videoroom");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    /** Import prefix → the only top-level packages (below org.videoroom) allowed to use it. */
    private static final Map<String, List<String>> RESTRICTED = Map.of(
            "jakarta.", List.of("lobby", "signaling", "app"),
            "org.eclipse.microprofile.", List.of("app"),
            "org.ice4j.", List.of("transport/ice"),
            "org.bouncycastle.", List.of("transport/dtls", "tls"),
            "org.jitsi.srtp.", List.of("transport/srtp"),
            // ice4j's settings live in jitsi's config library, and jitsi-srtp's buffer interface in jitsi-utils.
            "org.jitsi.", List.of("transport/ice", "transport/srtp"));

    /**
     * The wire-format packages at the bottom, and what of ours each may import. The SDP's value types (media kind,
     * fingerprint, ICE candidate) are shared by room, media and transport, so sdp must never reach back up.
     */
    private static final Map<String, List<String>> LEAVES = Map.of(
            "sdp", List.of("org.videoroom.sdp."),
            "rtp", List.of("org.videoroom.rtp.", "org.videoroom.buffer."),
            "rtcp", List.of("org.videoroom.rtcp.", "org.videoroom.buffer."),
            "buffer", List.of("org.videoroom.buffer."),
            // The https setup runs before the server, on its own: it needs nothing of the product.
            "tls", List.of("org.videoroom.tls."));

    @Test
    void restrictedImportsStayInTheirLayer() throws IOException {
        List<Path> sources = sources();
        assertFalse(sources.isEmpty());
        List<String> violations = sources.stream().flatMap(LayeringTest::violations).toList();
        assertEquals(List.of(), violations);
    }

    @Test
    void theWireFormatPackagesImportNoHigherLayer() throws IOException {
        List<String> violations = new java.util.ArrayList<>();
        for (Path source : sources()) {
            String pkg = ROOT.relativize(source.getParent()).toString();
            List<String> allowed = LEAVES.get(pkg);
            if (allowed == null) {
                continue;
            }
            Matcher m = IMPORT.matcher(Files.readString(source));
            while (m.find()) {
                String imported = m.group(1);
                if (imported.startsWith("org.videoroom.") && allowed.stream().noneMatch(imported::startsWith)) {
                    violations.add(source + " imports " + imported);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static Stream<String> violations(Path source) {
        String pkg = ROOT.relativize(source.getParent()).toString();
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stream.Builder<String> found = Stream.builder();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
            String imported = m.group(1);
            RESTRICTED.forEach((prefix, allowed) -> {
                boolean inAllowed = allowed.stream().anyMatch(a -> pkg.equals(a) || pkg.startsWith(a + "/"));
                if (imported.startsWith(prefix) && !inAllowed) {
                    found.add(source + " imports " + imported);
                }
            });
        }
        return found.build();
    }
}
