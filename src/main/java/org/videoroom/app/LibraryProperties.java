package org.videoroom.app;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The system properties our libraries set for themselves while they run, given back at undeploy: JNA records
 * where it unpacked its native library ({@code jna.loaded}, {@code jnidispatch.path}), ice4j switches on
 * {@code org.ice4j.ALWAYS_SIGN}, and so on. System properties are the JVM's, not the WAR's; left behind they
 * would change the next deployment (JNA would take its library as loaded) and anything else on the server.
 * Only these libraries' keys are touched: others belong to the server and the other applications.
 *
 * <p>{@link #snapshot} when the application starts, {@link #restore} when it stops. Not thread-safe: the
 * container calls both once.
 */
final class LibraryProperties {

    /** Key prefixes of the libraries in the WAR that set system properties at run time. */
    static final List<String> PREFIXES = List.of("jna.", "jnidispatch.", "org.ice4j.", "org.jitsi.",
            "org.slf4j.simpleLogger.");

    private final Map<String, String> before;

    private LibraryProperties(Map<String, String> before) {
        this.before = before;
    }

    static LibraryProperties snapshot() {
        return new LibraryProperties(current());
    }

    /** Puts every library key back as it was at {@link #snapshot}: keys set since are cleared. */
    void restore() {
        Map<String, String> now = current();
        for (String key : now.keySet()) {
            if (!before.containsKey(key)) {
                System.clearProperty(key);
            }
        }
        before.forEach(System::setProperty);
    }

    private static Map<String, String> current() {
        Map<String, String> values = new TreeMap<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (PREFIXES.stream().anyMatch(key::startsWith)) {
                values.put(key, System.getProperty(key));
            }
        }
        return values;
    }
}
