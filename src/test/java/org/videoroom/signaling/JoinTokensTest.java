package org.videoroom.signaling;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoinTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final JoinTokens tokens = new JoinTokens("a shared secret of the embedding app");

    @Test
    void aTokenLetsItsNameIntoItsRoomUntilItExpires() {
        String token = tokens.mint("standup", "Ada Lovelace", NOW.plusSeconds(60));
        assertTrue(token.startsWith("v1.1796299260."), token);
        assertNull(tokens.check(token, "standup", "Ada Lovelace", NOW));
        assertEquals(JoinTokens.Refusal.EXPIRED, tokens.check(token, "standup", "Ada Lovelace", NOW.plusSeconds(60)));
        assertEquals(JoinTokens.Refusal.OTHER_ROOM, tokens.check(token, "board", "Ada Lovelace", NOW));
        assertEquals(JoinTokens.Refusal.OTHER_NAME, tokens.check(token, "standup", "Bob", NOW));
        assertNull(tokens.check(tokens.mint("standup", "  Ada   Lovelace ", NOW.plusSeconds(60)), "standup",
                "Ada Lovelace", NOW), "the name is compared as the room normalises it");
    }

    /** The same string signed by hand, as an embedding application in another language would (HMAC-SHA256). */
    @Test
    void theFormatIsWhatTheProtocolDocumentSays() throws Exception {
        String signed = "v1.1796300060." + b64("standup") + "." + b64("Ada");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                "a shared secret of the embedding app".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String token = signed + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(tokens.mint("standup", "Ada", Instant.ofEpochSecond(1796300060)), token);
    }

    @Test
    void forgedAndMalformedTokensAreRefused() {
        String token = tokens.mint("standup", "Ada", NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String otherName = String.join(".", parts[0], parts[1], parts[2], b64("Mallory"), parts[4]);
        assertEquals(JoinTokens.Refusal.BAD_SIGNATURE, tokens.check(otherName, "standup", "Mallory", NOW));
        String later = String.join(".", parts[0], "9999999999", parts[2], parts[3], parts[4]);
        assertEquals(JoinTokens.Refusal.BAD_SIGNATURE, tokens.check(later, "standup", "Ada", NOW));
        JoinTokens otherSecret = new JoinTokens("another application's secret");
        assertEquals(JoinTokens.Refusal.BAD_SIGNATURE,
                otherSecret.check(token, "standup", "Ada", NOW));
        for (String bad : new String[] {null, "", "v1", "v2." + token.substring(3), token + ".x", "v1.x.y.z.w",
                "v1.1.%%.a.b", "x".repeat(5000)}) {
            assertEquals(JoinTokens.Refusal.MALFORMED, tokens.check(bad, "standup", "Ada", NOW), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> new JoinTokens("short"));
    }

    private static String b64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
