package org.videoroom.load;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ice4j settings for the synthetic participants' agents, set before the first agent exists: no AWS metadata
 * probe and no STUN mapping (the machine has no network, and a test must not try), a message integrity check on
 * every request, as the server has. ice4j and jitsi-srtp log every state change at INFO; with dozens of agents
 * that buries the progress line, so only their warnings are shown.
 */
final class IceProperties {

    /** Held so the configured levels are not lost when java.util.logging drops unreferenced loggers. */
    private static final Logger[] QUIETED = {Logger.getLogger("org.ice4j"), Logger.getLogger("org.jitsi")};

    private IceProperties() {
    }

    static void apply() {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("ice4j.harvest.mapping.stun.enabled", "false");
        System.setProperty("ice4j.harvest.udp.use-dynamic-ports", "false");
        System.setProperty("org.ice4j.REQUIRE_MESSAGE_INTEGRITY", "true");
        for (Logger logger : QUIETED) {
            logger.setLevel(Level.WARNING);
        }
    }
}
