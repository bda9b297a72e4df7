package org.videoroom.load;

/**
 * ice4j settings for the synthetic participants' agents, set before the first agent exists: no AWS metadata
 * probe and no STUN mapping (the machine has no network, and a test must not try), a message integrity check on
 * every request, as the server has.
 */
final class IceProperties {

    private IceProperties() {
    }

    static void apply() {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("ice4j.harvest.mapping.stun.enabled", "false");
        System.setProperty("ice4j.harvest.udp.use-dynamic-ports", "false");
        System.setProperty("org.ice4j.REQUIRE_MESSAGE_INTEGRITY", "true");
    }
}
