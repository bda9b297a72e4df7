package org.videoroom.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminAccessTest {

    @Test
    void thisMachineNeedsNoToken() {
        assertTrue(AdminAccess.allows(null, null, "127.0.0.1", false));
        assertTrue(AdminAccess.allows(null, null, "127.5.6.7", false));
        assertTrue(AdminAccess.allows(null, null, "0:0:0:0:0:0:0:1", false));
        assertTrue(AdminAccess.allows(null, null, "[::1]", false));
        assertTrue(AdminAccess.allows("secret", null, "::1", false));
    }

    @Test
    void othersNeedTheToken() {
        assertFalse(AdminAccess.allows(null, null, "10.98.0.2", false));
        assertFalse(AdminAccess.allows("secret", null, "10.98.0.2", false));
        assertFalse(AdminAccess.allows("secret", "Bearer wrong", "10.98.0.2", false));
        assertFalse(AdminAccess.allows("secret", "Basic c2VjcmV0", "10.98.0.2", false));
        assertFalse(AdminAccess.allows("", "Bearer ", "10.98.0.2", false), "an empty token is no token");
        assertFalse(AdminAccess.allows("secret", "Bearer wrong", "127.0.0.1", false), "a wrong token is refused");
        assertTrue(AdminAccess.allows("secret", "Bearer secret", "10.98.0.2", false));
        assertTrue(AdminAccess.allows("secret", "Bearer secret", "203.0.113.9", true));
    }

    @Test
    void aProxyOnThisMachineDoesNotMakeEveryoneLocal() {
        assertFalse(AdminAccess.allows(null, null, "127.0.0.1", true));
        assertFalse(AdminAccess.allows("secret", null, "127.0.0.1", true));
    }

    @Test
    void namesAreNeverResolved() {
        assertFalse(AdminAccess.allows(null, null, "localhost", false));
        assertFalse(AdminAccess.allows(null, null, "", false));
        assertFalse(AdminAccess.allows(null, null, null, false));
        assertFalse(AdminAccess.allows(null, null, "127.0.0.1.evil.example", false));
    }
}
