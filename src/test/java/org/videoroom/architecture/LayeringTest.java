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
            "org.bouncycastle.", List.of("transport/dtls"),
            "org.jitsi.srtp.", List.of("transport/srtp"),
            // ice4j's settings live in jitsi's config library, and jitsi-srtp's buffer interface in jitsi-utils.
            "org.jitsi.", List.of("transport/ice", "transport/srtp"));

    @Test
    void restrictedImportsStayInTheirLayer() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty());
        List<String> violations = sources.stream().flatMap(LayeringTest::violations).toList();
        assertEquals(List.of(), violations);
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
