package org.videoroom.transport.ice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses literal IP addresses without ever asking DNS.
 *
 * <p>{@link InetAddress#getByName} resolves anything that does not look like a literal, which
 * would turn a hostile or mDNS ({@code *.local}) candidate address into a DNS query; Java 21 has
 * no {@code InetAddress.ofLiteral}. Stateless and thread-safe.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    /**
     * Returns the address if {@code text} is a dotted-quad IPv4 literal (RFC 791 notation) or an
     * IPv6 literal (RFC 4291 section 2.2, optionally in brackets, no zone id), else empty.
     */
    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (literal.indexOf(':') >= 0) {
            return parseIpv6(literal);
        }
        return parseIpv4(literal);
    }

    private static Optional<InetAddress> parseIpv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return Optional.empty();
                }
            } else if (c == '.') {
                if (value < 0 || part == 4) {
                    return Optional.empty();
                }
                bytes[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return Optional.empty();
            }
        }
        if (part != 4) {
            return Optional.empty();
        }
        return byAddress(bytes);
    }

    private static Optional<InetAddress> parseIpv6(String text) {
        // Only hex digits, ':' and '.' (embedded IPv4) may appear. With a ':' present and this
        // alphabet, the JDK takes its literal-parsing branch and never falls back to DNS.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> byAddress(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            // Only thrown for a wrong array length, which cannot happen here.
            return Optional.empty();
        }
    }
}
