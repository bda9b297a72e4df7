package org.videoroom.signaling;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may open a signaling socket. A browser sends the page's origin with every WebSocket handshake
 * and lets any page open a socket to any server, so without this check a page on another site, visited by one of
 * our users, could join rooms and publish that user's camera through their browser.
 *
 * <p>Allowed: the server's own origin (the handshake's origin has the authority the request was sent to: its
 * {@code Host}, or {@code X-Forwarded-Host} behind a proxy; the scheme is not compared, because a proxy that
 * terminates TLS forwards plain http) and every origin configured in the allow-list. A handshake without an
 * {@code Origin} is no browser's (browsers always send one) and is allowed: a program that connects directly can
 * send any origin it likes anyway, so the check protects browsers, not the server. {@code Origin: null} (a
 * sandboxed page or a local file) is refused unless listed.
 *
 * <p>Immutable and thread-safe.
 */
public final class OriginPolicy {

    private final Set<String> allowed;

    /** @param allowedOrigins origins allowed besides the server's own, e.g. {@code https://intranet.example} */
    public OriginPolicy(Collection<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Parses a comma-separated allow-list (blank: only the server's own origin). */
    public static OriginPolicy parse(String allowList) {
        return new OriginPolicy(allowList == null ? Set.of() : java.util.Arrays.asList(allowList.split(",")));
    }

    /**
     * Whether a handshake with this {@code Origin} header may proceed.
     *
     * @param origin        the Origin header, null when absent
     * @param host          the Host header the request came with
     * @param forwardedHost the X-Forwarded-Host header, null when absent (its first entry counts)
     */
    public boolean allows(String origin, String host, String forwardedHost) {
        if (origin == null) {
            return true;
        }
        String normalised = normalise(origin);
        if (allowed.contains(normalised)) {
            return true;
        }
        String authority = authority(origin);
        if (authority == null) {
            return false;
        }
        String requested = forwardedHost != null && !forwardedHost.isBlank()
                ? forwardedHost.split(",")[0].strip() : host;
        return requested != null && authority.equals(normaliseAuthority(requested, scheme(origin)));
    }

    /** scheme://host[:port] in lower case, the default port of the scheme dropped; unparseable input as is. */
    private static String normalise(String origin) {
        String authority = authority(origin);
        String scheme = scheme(origin);
        return authority == null || scheme == null ? origin.strip().toLowerCase(Locale.ROOT) : scheme + "://" + authority;
    }

    private static String scheme(String origin) {
        try {
            String scheme = new URI(origin.strip()).getScheme();
            return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The origin's host[:port], lower case, without the scheme's default port; null if it is no http(s) origin. */
    private static String authority(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return null;
            }
            return normaliseAuthority(uri.getRawAuthority(), scheme.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String normaliseAuthority(String authority, String scheme) {
        String a = Objects.requireNonNull(authority).strip().toLowerCase(Locale.ROOT);
        if (("http".equals(scheme) && a.endsWith(":80")) || ("https".equals(scheme) && a.endsWith(":443"))) {
            return a.substring(0, a.lastIndexOf(':'));
        }
        return a;
    }
}
