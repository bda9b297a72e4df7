package org.videoroom.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy sameOriginOnly = OriginPolicy.parse("");

    @Test
    void thePagesOwnOriginIsAllowed() {
        assertTrue(sameOriginOnly.allows("http://127.0.0.1:8080", "127.0.0.1:8080", null));
        assertTrue(sameOriginOnly.allows("https://room.example", "room.example", null));
        assertTrue(sameOriginOnly.allows("https://Room.Example:443", "room.example", null), "default port, case");
        assertTrue(sameOriginOnly.allows("http://[::1]:8080", "[::1]:8080", null));
    }

    @Test
    void anotherSiteIsRefused() {
        assertFalse(sameOriginOnly.allows("http://evil.example", "127.0.0.1:8080", null));
        assertFalse(sameOriginOnly.allows("http://127.0.0.1:8081", "127.0.0.1:8080", null), "another port");
        assertFalse(sameOriginOnly.allows("http://room.example.evil.example", "room.example", null));
        assertFalse(sameOriginOnly.allows("null", "127.0.0.1:8080", null), "sandboxed page or file");
        assertFalse(sameOriginOnly.allows("file://", "127.0.0.1:8080", null));
        assertFalse(sameOriginOnly.allows("not a url at all", "127.0.0.1:8080", null));
        assertFalse(sameOriginOnly.allows("http://evil.example", null, null), "no Host");
    }

    @Test
    void behindAProxyTheForwardedHostCounts() {
        // nginx terminates TLS and forwards plain http to 127.0.0.1:8080 with X-Forwarded-Host.
        assertTrue(sameOriginOnly.allows("https://room.example", "127.0.0.1:8080", "room.example"));
        assertTrue(sameOriginOnly.allows("https://room.example", "127.0.0.1:8080", "room.example, inner.proxy"));
        assertFalse(sameOriginOnly.allows("https://evil.example", "127.0.0.1:8080", "room.example"));
    }

    @Test
    void listedOriginsAreAllowedToo() {
        OriginPolicy policy = OriginPolicy.parse(" https://intranet.example , http://localhost:3000,null");
        assertTrue(policy.allows("https://intranet.example", "room.example", null));
        assertTrue(policy.allows("https://INTRANET.example:443", "room.example", null));
        assertTrue(policy.allows("http://localhost:3000", "room.example", null));
        assertTrue(policy.allows("null", "room.example", null));
        assertFalse(policy.allows("http://intranet.example", "room.example", null), "the scheme is part of it");
    }

    @Test
    void aHandshakeWithoutOriginIsNoBrowsersAndPasses() {
        assertTrue(sameOriginOnly.allows(null, "127.0.0.1:8080", null));
    }
}
