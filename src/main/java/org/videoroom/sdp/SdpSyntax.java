package org.videoroom.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Character classes and number rules of the SDP grammars (RFC 8866 §9, RFC 8839 §5.1), shared by
 * the parser and the records' validating constructors. Stateless.
 */
final class SdpSyntax {

    /** 2^32 - 1: SSRCs (RFC 3550) and ICE priorities (RFC 8445 §5.1.2) are unsigned 32-bit. */
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private SdpSyntax() {
    }

    /**
     * Runs a record constructor for a value parser, turning the constructor's invariant check
     * ({@link IllegalArgumentException}) into the parse error {@code reason}.
     */
    static <T> T build(SdpParseException.Reason reason, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw SdpParseException.of(reason, e.getMessage());
        }
    }

    /** Throws {@link IllegalArgumentException} naming {@code what} unless {@code ok}. */
    static void require(boolean ok, String what, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
    }

    /** RFC 8866 §9 token-char: visible ASCII except the separators {@code "(),/:;<=>?@[\]{}}. */
    static boolean isTokenChar(char c) {
        return c == 0x21
                || (c >= 0x23 && c <= 0x27)
                || c == 0x2A || c == 0x2B
                || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39)
                || (c >= 0x41 && c <= 0x5A)
                || (c >= 0x5E && c <= 0x7E);
    }

    /** True for a non-empty RFC 8866 token. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8839 §5.1 ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean isIceChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    /** True when {@code s} is {@code min..max} ice-chars. */
    static boolean isIceChars(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isIceChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for 1..maxDigits ASCII digits. */
    static boolean isDigits(String s, int maxDigits) {
        if (s == null || s.isEmpty() || s.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** True for visible ASCII (VCHAR) and any non-ASCII text, i.e. no spaces or control characters. */
    static boolean isVisible(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses an unsigned decimal of at most {@code maxDigits} digits no greater than {@code max};
     * returns -1 when it is not one. Never throws: callers pick the exception reason.
     */
    static long parseUnsigned(String s, int maxDigits, long max) {
        if (!isDigits(s, maxDigits)) {
            return -1;
        }
        long value = Long.parseLong(s);
        return value > max ? -1 : value;
    }

    /** Splits on runs of spaces, dropping empty pieces (tolerates doubled separators). */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /**
     * True for an RFC 8866 unicast connection address as ICE uses it (RFC 8839 §5.1): a dotted
     * IPv4 address, an IPv6 address, or a fully qualified domain name (browsers hide host
     * addresses behind mDNS names such as {@code 1f4c...-....local}). Nothing is resolved.
     */
    static boolean isConnectionAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return isIpv6(s);
        }
        return isIpv4(s) || isDomainName(s);
    }

    /** Dotted-quad IPv4 with each octet 0..255. */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (parseUnsigned(part, 3, 255) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4291 §2.2 textual IPv6: up to eight 16-bit hex groups, one "::" at most, optionally ending
     * in a dotted IPv4 address (which counts as two groups).
     */
    static boolean isIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int groups = 0;
        List<String> pieces = new ArrayList<>();
        if (!head.isEmpty()) {
            pieces.addAll(List.of(head.split(":", -1)));
        }
        if (!tail.isEmpty()) {
            pieces.addAll(List.of(tail.split(":", -1)));
        }
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            if (last && piece.indexOf('.') >= 0) {
                if (!isIpv4(piece)) {
                    return false;
                }
                groups += 2;
            } else if (isHexGroup(piece)) {
                groups++;
            } else {
                return false;
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHexGroup(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 1035 §2.3.1 style host name: dot-separated labels of letters, digits and inner hyphens. */
    static boolean isDomainName(String s) {
        String[] labels = s.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        // An all-numeric name would be a malformed IPv4 address, not a host name.
        return !s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
