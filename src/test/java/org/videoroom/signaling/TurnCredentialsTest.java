package org.videoroom.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoroom.signaling.message.TurnServer;

class TurnCredentialsTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_796_162_400L);

    @Test
    void usernameIsExpiryAndParticipant_passwordIsTheHmacCoturnChecks() {
        TurnCredentials turn = new TurnCredentials(List.of("turn:10.98.0.1:3478?transport=tcp"), "north-secret",
                Duration.ofHours(12));
        List<TurnServer> servers = turn.issue("Ada123456789", NOW);
        assertEquals(1, servers.size());
        TurnServer server = servers.get(0);
        assertEquals(List.of("turn:10.98.0.1:3478?transport=tcp"), server.urls());
        assertEquals("1796205600:Ada123456789", server.username()); // NOW + 12 h
        // base64(HMAC-SHA1("north-secret", username)), computed independently with Python's hmac module.
        assertEquals("XguDQwOIyV9Ms7sEfVuCk8EFiUw=", server.credential());
    }

    @Test
    void noUrlsMeansNoServers() {
        assertTrue(TurnCredentials.parse("  ", "", 3600).issue("Ada", NOW).isEmpty());
        assertTrue(TurnCredentials.NONE.issue("Ada", NOW).isEmpty());
    }

    @Test
    void aCommaSeparatedListIsParsed() {
        TurnCredentials turn = TurnCredentials.parse(" turn:a.example:3478 , turns:a.example:5349?transport=tcp ",
                "s", 600);
        assertEquals(List.of("turn:a.example:3478", "turns:a.example:5349?transport=tcp"),
                turn.issue("Bob", NOW).get(0).urls());
        assertEquals((NOW.getEpochSecond() + 600) + ":Bob", turn.issue("Bob", NOW).get(0).username());
    }

    @Test
    void badConfigurationIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> TurnCredentials.parse("stun:a.example", "s", 600));
        assertThrows(IllegalArgumentException.class, () -> TurnCredentials.parse("http://a.example", "s", 600));
        assertThrows(IllegalArgumentException.class, () -> TurnCredentials.parse("turn:a.example", "", 600));
        assertThrows(IllegalArgumentException.class, () -> TurnCredentials.parse("turn:a.example", "s", 30));
        assertThrows(IllegalArgumentException.class, () -> TurnCredentials.parse("turn:a b", "s", 600));
    }
}
