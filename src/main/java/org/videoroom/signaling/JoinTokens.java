package org.videoroom.signaling;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.videoroom.room.DisplayName;

/**
 * Signed join tokens, for deployments that embed rooms in another application: that application, which knows
 * who its user is, signs "this person may enter this room under this name until then" with a secret it shares with
 * the server ({@code videoroom.auth.token-secret}), and the room page passes the token in its {@code join}.
 *
 * <p>A token is {@code v1.<expiry>.<room>.<name>.<mac>}: the expiry in Unix seconds, room and display name in
 * base64url without padding, and {@code mac} the base64url HMAC-SHA256, keyed with the secret's UTF-8 bytes, of
 * everything before the last dot. Verified in constant time. Immutable, thread-safe.
 */
public final class JoinTokens {

    /** Why a token was refused. */
    public enum Refusal { MALFORMED, BAD_SIGNATURE, EXPIRED, OTHER_ROOM, OTHER_NAME }

    private static final String VERSION = "v1";
    private static final int MAX_TOKEN_CHARS = 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final byte[] secret;

    public JoinTokens(String secret) {
        if (secret == null || secret.strip().length() < 16) {
            throw new IllegalArgumentException("a token secret has at least 16 characters");
        }
        this.secret = secret.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** A token for {@code name} in {@code room}, valid until {@code expiry}. */
    public String mint(String room, String name, Instant expiry) {
        String signed = VERSION + "." + expiry.getEpochSecond() + "." + b64(room) + "." + b64(name);
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /**
     * Null when {@code token} lets {@code name} into {@code room} at {@code now}; otherwise why not.
     *
     * @param name the display name of the join, normalised ({@link DisplayName}); the token's is normalised too
     */
    public Refusal check(String token, String room, String name, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Refusal.MALFORMED;
        }
        int lastDot = token.lastIndexOf('.');
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0]) || lastDot < 0) {
            return Refusal.MALFORMED;
        }
        byte[] given;
        long expiry;
        String tokenRoom;
        String tokenName;
        try {
            given = UNB64.decode(parts[4]);
            expiry = Long.parseLong(parts[1]);
            tokenRoom = new String(UNB64.decode(parts[2]), StandardCharsets.UTF_8);
            tokenName = new String(UNB64.decode(parts[3]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Refusal.MALFORMED;
        }
        if (!MessageDigest.isEqual(mac(token.substring(0, lastDot)), given)) {
            return Refusal.BAD_SIGNATURE;
        }
        if (now.getEpochSecond() >= expiry) {
            return Refusal.EXPIRED;
        }
        if (!tokenRoom.equals(room)) {
            return Refusal.OTHER_ROOM;
        }
        return DisplayName.isValid(tokenName) && DisplayName.of(tokenName).value().equals(name)
                ? null : Refusal.OTHER_NAME;
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
