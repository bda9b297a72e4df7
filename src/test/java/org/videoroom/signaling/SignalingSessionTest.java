package org.videoroom.signaling;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.videoroom.sdp.MediaKind;
import org.videoroom.room.Participant;
import org.videoroom.room.TrackSource;
import org.videoroom.room.RoomName;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.signaling.message.Viewport;
import org.videoroom.signaling.message.ErrorCode;
import org.videoroom.room.RoomRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingSessionTest {

    /** An outbound that keeps what would have gone to the socket. */
    static class Captured implements Outbound {
        final List<JsonObject> sent = new CopyOnWriteArrayList<>();
        volatile String closedWith;

        @Override
        public void send(String text) {
            sent.add(Json.createReader(new StringReader(text)).readObject());
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }

        JsonObject last() {
            return sent.get(sent.size() - 1);
        }

        List<String> types() {
            return sent.stream().map(m -> m.getString("type")).toList();
        }
    }

    private final RoomRegistry registry = new RoomRegistry(2, new RoomRegistry.Listener() {
        @Override
        public void onRoomOpened(RoomName room) {
        }

        @Override
        public void onRoomClosed(RoomName room) {
        }
    });
    private final SignalCodec codec = new SignalCodec();

    /** Media stand-in for the protocol tests: echoes what it was asked, refuses SDP that says "bad". */
    static final class EchoMedia implements MediaControl {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void reset(Participant participant) {
            calls.add("reset " + participant.name().value());
        }

        @Override
        public String offer(Participant participant, String sdp, Map<String, String> subscriptions,
                            Map<String, TrackSource> sources) {
            if (sdp.contains("bad")) {
                throw new SignalingException(ErrorCode.BAD_SDP, "refused");
            }
            if (sdp.contains("boom")) {
                throw new IllegalStateException("a bug in the media layer");
            }
            calls.add("offer " + participant.name() + " " + new TreeMap<>(subscriptions));
            return "answer to " + sdp;
        }

        @Override
        public void candidate(Participant participant, String candidate, String mid) {
            calls.add("candidate " + participant.name() + " " + candidate + " " + mid);
        }

        @Override
        public void viewport(Participant participant, Map<String, Viewport.Tile> tiles) {
            calls.add("viewport " + participant.name() + " " + new TreeMap<>(tiles));
        }
    }

    private final EchoMedia media = new EchoMedia();

    private SignalingSession session(String room, Captured out) {
        return new SignalingSession(room, registry, codec, out, media);
    }

    @Test
    void offersAndCandidatesGoToTheMediaLayerOnlyAfterJoining() {
        Captured out = new Captured();
        SignalingSession s = session("standup", out);
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals("not-joined", out.last().getString("code"));
        s.onText("{\"type\":\"candidate\",\"candidate\":\"\"}");
        assertEquals("not-joined", out.last().getString("code"));
        assertTrue(media.calls.isEmpty());

        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0\",\"subscriptions\":{\"2\":\"t2\",\"1\":\"t1\"}}");
        assertEquals("answer", out.last().getString("type"));
        assertEquals("answer to v=0", out.last().getString("sdp"));
        s.onText("{\"type\":\"offer\",\"sdp\":\"bad\"}");
        assertEquals("bad-sdp", out.last().getString("code"));
        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0\",\"subscriptions\":{\"2\":7}}");
        assertEquals("missing-field", out.last().getString("code"));
        s.onText("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\"}");
        assertEquals(List.of("offer Ada {1=t1, 2=t2}",
                "candidate Ada candidate:1 1 udp 1 127.0.0.1 5000 typ host 0"), media.calls);
    }

    /** Only an offer creates media state: a candidate first is refused, a viewport first waits for the offer. */
    @Test
    void candidatesAndViewportsBeforeTheFirstOfferCreateNoMediaSession() {
        Captured out = new Captured();
        SignalingSession s = session("standup", out);
        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        s.onText("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\"}");
        assertEquals("bad-candidate", out.last().getString("code"));
        s.onText("{\"type\":\"viewport\",\"tiles\":{\"p1\":{\"visible\":false,\"height\":0}}}");
        s.onText("{\"type\":\"viewport\",\"tiles\":{\"p1\":{\"visible\":true,\"height\":180}}}");
        s.onText("{\"type\":\"offer\",\"sdp\":\"bad\"}");
        s.onText("{\"type\":\"candidate\",\"candidate\":\"\"}");
        assertEquals("bad-candidate", out.last().getString("code"), "a refused offer is no offer");
        assertTrue(media.calls.isEmpty(), media.calls.toString());

        s.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        s.onText("{\"type\":\"candidate\",\"candidate\":\"\"}");
        assertEquals(List.of("offer Ada {}", "viewport Ada {p1=Tile[visible=true, height=180]}", "candidate Ada  null"),
                media.calls);

        // Leaving and joining again on the same socket starts over.
        s.onText("{\"type\":\"leave\"}");
        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        s.onText("{\"type\":\"candidate\",\"candidate\":\"\"}");
        assertEquals("bad-candidate", out.last().getString("code"));
    }

    @Test
    void aRoomPasswordIsSetByTheOpenerAndAskedOfEveryoneElse() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        session("board", ada).onText("{\"type\":\"join\",\"name\":\"Ada\",\"password\":\"s3cret\"}");
        assertEquals("joined", ada.last().getString("type"));
        SignalingSession b = session("board", bob);
        b.onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        assertEquals("password-required", bob.last().getString("code"));
        b.onText("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"secret\"}");
        assertEquals("wrong-password", bob.last().getString("code"));
        assertTrue(!bob.last().toString().contains("secret\""), "the attempt is not echoed");
        b.onText("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"" + "x".repeat(200) + "\"}");
        assertEquals("invalid-password", bob.last().getString("code"));
        b.onText("{\"type\":\"join\",\"name\":\"Bob\",\"password\":\"s3cret\"}");
        assertEquals("joined", bob.last().getString("type"), "the same socket may try again");
        assertEquals(List.of("joined", "participantJoined"), ada.types(), "Ada saw only Bob's successful join");
    }

    @Test
    void signedRoomsLetInOnlyTheNameTheirTokenCarries() {
        JoinTokens tokens = new JoinTokens("the embedding application's secret");
        JoinPolicy policy = new JoinPolicy(tokens, "app-");
        String token = tokens.mint("app-42", "Ada", java.time.Instant.now().plusSeconds(300));
        Captured ada = new Captured();
        SignalingSession a = new SignalingSession("app-42", registry, codec, ada, media, TurnCredentials.NONE, policy);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        assertEquals("unauthorized", ada.last().getString("code"));
        a.onText("{\"type\":\"join\",\"name\":\"Mallory\",\"token\":\"" + token + "\"}");
        assertEquals("unauthorized", ada.last().getString("code"));
        assertTrue(ada.last().getString("message").contains("other name"), ada.last().toString());
        a.onText("{\"type\":\"join\",\"name\":\"Ada\",\"token\":\"" + token + "\"}");
        assertEquals("joined", ada.last().getString("type"));

        Captured open = new Captured();
        new SignalingSession("standup", registry, codec, open, media, TurnCredentials.NONE, policy)
                .onText("{\"type\":\"join\",\"name\":\"Cy\"}");
        assertEquals("joined", open.last().getString("type"), "rooms outside the prefix need no token");
    }

    @Test
    void joinedHandsEachParticipantTurnCredentialsOfItsOwn() {
        TurnCredentials turn = new TurnCredentials(List.of("turn:10.98.0.1:3478?transport=tcp"), "north-secret",
                java.time.Duration.ofHours(1));
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = new SignalingSession("standup", registry, codec, ada, media, turn);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        new SignalingSession("standup", registry, codec, bob, media, turn).onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        JsonObject adaServer = ada.sent.get(0).getJsonArray("iceServers").getJsonObject(0);
        JsonObject bobServer = bob.sent.get(0).getJsonArray("iceServers").getJsonObject(0);
        assertEquals("turn:10.98.0.1:3478?transport=tcp", adaServer.getJsonArray("urls").getString(0));
        assertTrue(adaServer.getString("username").endsWith(":" + a.participant().id().value()), adaServer.toString());
        long expiry = Long.parseLong(adaServer.getString("username").split(":")[0]);
        long inAnHour = java.time.Instant.now().getEpochSecond() + 3600;
        assertTrue(Math.abs(expiry - inAnHour) <= 5, "expires in an hour: " + expiry);
        assertTrue(!adaServer.getString("credential").equals(bobServer.getString("credential")), "per participant");
        assertEquals(turn.credential(adaServer.getString("username")), adaServer.getString("credential"));

        Captured plain = new Captured();
        session("other", plain).onText("{\"type\":\"join\",\"name\":\"Cy\"}");
        assertTrue(plain.sent.get(0).getJsonArray("iceServers").isEmpty(), "none configured");
    }

    @Test
    void anUnexpectedFailureIsReportedAsInternalAndClosesOnlyThatConnection() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = session("standup", ada);
        SignalingSession b = session("standup", bob);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        b.onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        b.onText("{\"type\":\"offer\",\"sdp\":\"boom\"}");
        assertEquals("internal", bob.last().getString("code"));
        assertEquals("internal", bob.closedWith);
        assertNull(ada.closedWith);
        a.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals("answer", ada.last().getString("type"));
    }

    @Test
    void tracksOfOthersAreAnnounced() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = session("standup", ada);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        Participant p = a.participant();
        p.publish(List.of(new TrackInfo(TrackId.of(p.id(), "0"), p.id(), MediaKind.VIDEO)));
        session("standup", bob).onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        JsonObject track = bob.last().getJsonArray("tracks").getJsonObject(0);
        assertEquals(p.id() + "-0", track.getString("trackId"));
        assertEquals(p.id().value(), track.getString("participantId"));
        assertEquals("video", track.getString("kind"));
        p.publish(List.of(new TrackInfo(TrackId.of(p.id(), "1"), p.id(), MediaKind.AUDIO)));
        assertEquals("tracksAdded", bob.last().getString("type"));
        assertEquals("audio", bob.last().getJsonArray("tracks").getJsonObject(0).getString("kind"));
        p.unpublish(List.of(TrackId.of(p.id(), "0")));
        assertEquals("tracksRemoved", bob.last().getString("type"));
        assertEquals(p.id() + "-0", bob.last().getJsonArray("trackIds").getString(0));
    }

    /**
     * Reconnecting (issue 12): a connection with media that drops keeps its participant; a new one resumes it with
     * the token of its {@code joined}, the others see neither a leave nor a join, and the old connection is done.
     * A wrong token, or one that never had media, is no resume.
     */
    @Test
    void aDroppedConnectionsParticipantIsResumedByTheNextWithItsToken_theOthersSeeNothing() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        List<Participant> kept = new CopyOnWriteArrayList<>();
        SignalingSession a = session("standup", ada).withReconnects(kept::add);
        SignalingSession b = session("standup", bob);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        b.onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        a.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        String adaId = a.participant().id().value();
        String token = ada.sent.get(0).getString("resumeToken");
        assertTrue(token.length() >= 22, "128 random bits: " + token);
        int bobSaw = bob.sent.size();

        a.onClose();
        assertEquals(1, kept.size(), "kept for its grace period");
        assertTrue(kept.get(0).isAway());
        Captured again = new Captured();
        SignalingSession a2 = session("standup", again);
        a2.onText("{\"type\":\"join\",\"name\":\"Ada\",\"resume\":{\"participantId\":\"" + adaId
                + "\",\"token\":\"" + token + "x\",\"media\":\"keep\"}}");
        // A wrong token is no resume: it is a fresh join, and Ada still holds her seat of this room of two.
        assertEquals("room-full", again.last().getString("code"), again.sent.toString());

        Captured resumed = new Captured();
        SignalingSession a3 = session("standup", resumed);
        a3.onText("{\"type\":\"join\",\"name\":\"Ada\",\"resume\":{\"participantId\":\"" + adaId
                + "\",\"token\":\"" + token + "\",\"media\":\"keep\"}}");
        assertEquals("joined", resumed.last().getString("type"));
        assertEquals(adaId, resumed.last().getString("participantId"), "the same participant");
        assertEquals("Bob", resumed.last().getJsonArray("participants").getJsonObject(0).getString("name"));
        assertTrue(!kept.get(0).isAway());
        assertEquals(List.of(), bob.types().subList(bobSaw, bob.sent.size()), "Bob saw nothing of it");
        a3.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals("answer", resumed.last().getString("type"), "its media session goes on");

        // A third connection takes over from a live one (a page that reconnected before the old socket was found
        // dead), this time with new media: the server ends the old media session, the old connection is closed.
        Captured fresh = new Captured();
        SignalingSession a4 = session("standup", fresh);
        a4.onText("{\"type\":\"join\",\"name\":\"Ada\",\"resume\":{\"participantId\":\"" + adaId
                + "\",\"token\":\"" + token + "\",\"media\":\"new\"}}");
        assertEquals(adaId, fresh.last().getString("participantId"));
        assertEquals("replaced", resumed.closedWith);
        assertNull(a3.participant());
        assertTrue(media.calls.contains("reset Ada"), media.calls.toString());
        a3.onClose(); // the replaced socket's close changes nothing
        assertEquals(adaId, a4.participant().id().value());
        assertTrue(!a4.participant().isAway());
        assertEquals(List.of(), bob.types().subList(bobSaw, bob.sent.size()), "Bob saw nothing of it");

        // Without media there is nothing to come back to: it leaves at once.
        Captured cy = new Captured();
        Captured dee = new Captured();
        SignalingSession c = session("retro", cy).withReconnects(kept::add);
        session("retro", dee).onText("{\"type\":\"join\",\"name\":\"Dee\"}");
        c.onText("{\"type\":\"join\",\"name\":\"Cy\"}");
        c.onClose();
        assertEquals(1, kept.size());
        assertEquals("participantLeft", dee.last().getString("type"));

        // A client that closes its socket for a page that went away (1001) is done: no grace.
        Captured eve = new Captured();
        SignalingSession e = session("retro", eve).withReconnects(kept::add);
        e.onText("{\"type\":\"join\",\"name\":\"Eve\"}");
        e.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        e.onClose(true);
        assertEquals(1, kept.size(), "not kept");
        assertEquals("participantLeft", dee.last().getString("type"));
        assertEquals("disconnected", dee.last().getString("reason"));
    }

    @Test
    void joinLeaveAndRejoin() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = session("standup", ada);
        SignalingSession b = session("standup", bob);
        a.onText("{\"type\":\"join\",\"name\":\" Ada \"}");
        b.onText("{\"type\":\"join\",\"name\":\"Bob\"}");

        JsonObject bobJoined = bob.sent.get(0);
        assertEquals("joined", bobJoined.getString("type"));
        assertEquals("Ada", bobJoined.getJsonArray("participants").getJsonObject(0).getString("name"));
        assertEquals(a.participant().id().value(),
                bobJoined.getJsonArray("participants").getJsonObject(0).getString("id"));
        assertEquals("participantJoined", ada.last().getString("type"));
        assertEquals("Bob", ada.last().getJsonObject("participant").getString("name"));

        String bobId = b.participant().id().value();
        b.onText("{\"type\":\"leave\"}");
        assertNull(b.participant());
        assertEquals("participantLeft", ada.last().getString("type"));
        assertEquals(bobId, ada.last().getString("participantId"));
        assertEquals("left", ada.last().getString("reason"));

        b.onText("{\"type\":\"join\",\"name\":\"Bob\"}");
        assertEquals("joined", bob.last().getString("type"));
        a.onClose();
        assertEquals("participantLeft", bob.last().getString("type"));
        assertEquals("disconnected", bob.last().getString("reason"));
    }

    @Test
    void everyBadRequestGetsItsErrorAndTheSessionStaysUsable() {
        Captured out = new Captured();
        SignalingSession s = session("standup", out);
        String huge = "{\"type\":\"join\",\"name\":\"" + "x".repeat(SignalingSession.MAX_MESSAGE_BYTES) + "\"}";
        String hugeInUtf8 = "{\"type\":\"join\",\"name\":\"" + "é".repeat(SignalingSession.MAX_MESSAGE_BYTES / 2) + "\"}";
        List<String[]> cases = List.of(
                new String[] {"{\"type\":\"leave\"}", "not-joined"},
                new String[] {"garbage", "bad-json"},
                new String[] {"{\"type\":\"fly\"}", "unknown-type"},
                new String[] {"{\"type\":\"join\"}", "missing-field"},
                new String[] {huge, "too-large"},
                new String[] {hugeInUtf8, "too-large"},
                new String[] {"{\"type\":\"join\",\"name\":\"\"}", "invalid-name"},
                new String[] {"{\"type\":\"join\",\"name\":\"a\\u0000b\"}", "invalid-name"},
                new String[] {"{\"type\":\"join\",\"name\":\"" + "n".repeat(41) + "\"}", "invalid-name"});
        for (String[] c : cases) {
            s.onText(c[0]);
            assertEquals("error", out.last().getString("type"), c[0]);
            assertEquals(c[1], out.last().getString("code"), c[0]);
            assertTrue(out.last().getString("message").length() > 3);
        }
        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        assertEquals("joined", out.last().getString("type"));
        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        assertEquals("already-joined", out.last().getString("code"));
        assertNull(out.closedWith);
    }

    @Test
    void invalidRoomPathIsRefusedAtJoin() {
        Captured out = new Captured();
        session("no such room!", out).onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        assertEquals("invalid-room", out.last().getString("code"));
        assertTrue(registry.rooms().isEmpty());
    }

    @Test
    void fullRoomIsRefused() {
        session("standup", new Captured()).onText("{\"type\":\"join\",\"name\":\"A\"}");
        session("standup", new Captured()).onText("{\"type\":\"join\",\"name\":\"B\"}");
        Captured third = new Captured();
        session("standup", third).onText("{\"type\":\"join\",\"name\":\"C\"}");
        assertEquals("room-full", third.last().getString("code"));
    }

    @Test
    void serverShutdownClosesTheSocket() {
        Captured out = new Captured();
        SignalingSession s = session("standup", out);
        s.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        registry.close();
        assertEquals("room-closed", out.closedWith);
        assertNull(s.participant());
        assertEquals(List.of("joined"), out.types());
    }
}
