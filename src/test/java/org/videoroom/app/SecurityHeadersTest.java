package org.videoroom.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    @Test
    void onlyOurOwnScriptsRunAndNoOtherSiteMayFrameUs() {
        String csp = SecurityHeaders.forHost("127.0.0.1:8080").get("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("object-src 'none'"), csp);
        assertTrue(csp.contains("connect-src 'self' ws://127.0.0.1:8080 wss://127.0.0.1:8080;"), csp);
    }

    @Test
    void theOtherHeaders() {
        Map<String, String> headers = SecurityHeaders.forHost("room.example");
        assertEquals("nosniff", headers.get("X-Content-Type-Options"));
        assertEquals("no-referrer", headers.get("Referrer-Policy"));
        assertEquals("DENY", headers.get("X-Frame-Options"));
        assertTrue(headers.get("Permissions-Policy").contains("camera=(self)"));
    }

    @Test
    void aHostHeaderThatIsNoPlainAuthorityIsNotEchoed() {
        for (String hostile : new String[] {"evil.example; script-src *", "a\r\nSet-Cookie: x=1", "a b", "",
                "x".repeat(300)}) {
            String csp = SecurityHeaders.forHost(hostile).get("Content-Security-Policy");
            assertTrue(csp.contains("connect-src 'self';"), hostile + " -> " + csp);
        }
        assertTrue(SecurityHeaders.isPlainAuthority("[::1]:8080"));
        assertTrue(SecurityHeaders.isPlainAuthority("10.98.0.1:18443"));
    }
}
