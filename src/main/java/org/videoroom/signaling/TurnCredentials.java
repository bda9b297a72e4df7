package org.videoroom.signaling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.videoroom.signaling.message.TurnServer;

/**
 * Short-lived credentials for the configured TURN servers, in the scheme coturn calls {@code use-auth-secret} (the
 * "TURN REST API" draft): the username is {@code <expiry as Unix seconds>:<participant id>}, the password is
 * base64(HMAC-SHA1(shared secret, username)). The TURN server checks the signature and the expiry itself, so the
 * two servers share only the secret and no per-user state; a leaked credential works until it expires, for one
 * participant id.
 *
 * <p>The lifetime must cover a whole call: coturn checks it on every allocation refresh, so a relay ends when its
 * credential expires. Immutable and thread-safe.
 */
public final class TurnCredentials {

    /** None configured: the page gets no TURN server. */
    public static final TurnCredentials NONE = new TurnCredentials(List.of(), "", Duration.ofHours(12));

    private final List<String> urls;
    private final byte[] secret;
    private final Duration lifetime;

    /**
     * @param urls     {@code turn:} and {@code turns:} URLs (RFC 7065), e.g. {@code turn:turn.example:3478?transport=tcp}
     * @param secret   coturn's {@code static-auth-secret}
     * @param lifetime how long a credential is valid, at least a minute
     * @throws IllegalArgumentException for a URL that is not turn:/turns:, a missing secret, or a short lifetime
     */
    public TurnCredentials(List<String> urls, String secret, Duration lifetime) {
        this.urls = List.copyOf(urls);
        for (String url : this.urls) {
            if (!(url.startsWith("turn:") || url.startsWith("turns:")) || url.length() > 512
                    || url.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
                throw new IllegalArgumentException("not a turn: or turns: URL: " + url);
            }
        }
        if (!this.urls.isEmpty() && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("TURN servers need the shared secret (videoroom.turn.secret)");
        }
        if (lifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("a TURN credential lifetime under a minute: " + lifetime);
        }
        this.secret = Objects.requireNonNullElse(secret, "").getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
    }

    /**
     * From configuration values: a comma-separated URL list (blank: none), the secret and the lifetime in seconds.
     */
    public static TurnCredentials parse(String urls, String secret, long lifetimeSeconds) {
        List<String> list = urls == null ? List.of() : java.util.Arrays.stream(urls.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        return list.isEmpty() ? NONE : new TurnCredentials(list, secret, Duration.ofSeconds(lifetimeSeconds));
    }

    /** The servers for one participant, valid from {@code now} for the lifetime; empty when none are configured. */
    public List<TurnServer> issue(String participantId, Instant now) {
        if (urls.isEmpty()) {
            return List.of();
        }
        String username = now.plus(lifetime).getEpochSecond() + ":" + participantId;
        return List.of(new TurnServer(urls, username, credential(username)));
    }

    /** base64(HMAC-SHA1(secret, username)), what coturn computes to check the password. */
    String credential(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java platform", e);
        }
    }
}
