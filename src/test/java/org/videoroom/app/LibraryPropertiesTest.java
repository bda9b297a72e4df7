package org.videoroom.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The system properties the WAR's libraries set go at undeploy; nobody else's are touched. */
class LibraryPropertiesTest {

    @Test
    void keysTheLibrariesSetAreClearedOrPutBack_othersStay() {
        System.setProperty("org.jitsi.test.kept", "before");
        try {
            LibraryProperties properties = LibraryProperties.snapshot();
            System.setProperty("jna.test.loaded", "true");
            System.setProperty("org.jitsi.test.kept", "changed");
            System.setProperty("videoroom.test.other", "the server's");

            properties.restore();

            assertNull(System.getProperty("jna.test.loaded"), "set while the application ran: gone");
            assertEquals("before", System.getProperty("org.jitsi.test.kept"), "changed: put back");
            assertEquals("the server's", System.getProperty("videoroom.test.other"), "not a library's: kept");
        } finally {
            System.clearProperty("jna.test.loaded");
            System.clearProperty("org.jitsi.test.kept");
            System.clearProperty("videoroom.test.other");
        }
    }
}
