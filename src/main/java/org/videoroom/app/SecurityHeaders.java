package org.videoroom.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every page and script is served with: a content security policy that runs only our own scripts
 * (no inline script, no eval, no plugins, no framing by other sites), no MIME sniffing, no referrer (room names
 * are in our URLs), and camera, microphone and screen capture for our own origin only.
 *
 * <p>The WebSocket URL is the page's own host with ws: or wss:; CSP level 3 lets {@code 'self'} cover it, older
 * browsers need it spelled out, so the request's host is added to {@code connect-src} when it is a plain
 * host[:port] (anything else in the Host header is left out rather than echoed into a header).
 */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static Map<String, String> forHost(String host) {
        StringBuilder connect = new StringBuilder("'self'");
        if (host != null && isPlainAuthority(host)) {
            connect.append(" ws://").append(host).append(" wss://").append(host);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; media-src 'self' blob:; connect-src " + connect + ";"
                + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
        return headers;
    }

    /** host or host:port, the host a name, IPv4 or bracketed IPv6 literal: nothing a header could be split with. */
    static boolean isPlainAuthority(String host) {
        return host.length() <= 255 && host.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");
    }
}
