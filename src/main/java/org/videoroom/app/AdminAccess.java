package org.videoroom.app;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read the operator surfaces ({@code /api/stats} lists every room by name, {@code /api/metrics} the
 * server's load): a request carrying {@code Authorization: Bearer <videoroom.admin.token>}, or one made on this
 * machine (a loopback source address and no proxy header: a reverse proxy on the same machine forwards everyone's
 * requests from loopback, and says so with {@code X-Forwarded-For} or {@code Forwarded}).
 */
final class AdminAccess {

    private static final String BEARER = "Bearer ";

    private AdminAccess() {
    }

    /**
     * @param token         the configured admin token, null or blank when none is
     * @param authorization the request's {@code Authorization} header, or null
     * @param remoteAddress the connection's source address as the container reports it
     * @param forwarded     whether the request carries a proxy's forwarding header
     */
    static boolean allows(String token, String authorization, String remoteAddress, boolean forwarded) {
        if (token != null && !token.isBlank() && authorization != null && authorization.startsWith(BEARER)) {
            // Constant time, so the token cannot be found a byte at a time.
            return MessageDigest.isEqual(token.strip().getBytes(StandardCharsets.UTF_8),
                    authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
        }
        return !forwarded && isLoopbackLiteral(remoteAddress);
    }

    private static boolean isLoopbackLiteral(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        // Only IP literals: a host name must never be resolved to decide this.
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }
}
