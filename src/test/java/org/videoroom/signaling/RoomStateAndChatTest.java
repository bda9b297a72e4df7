package org.videoroom.signaling;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.videoroom.room.Room;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;
import org.videoroom.signaling.SignalingSessionTest.Captured;
import org.videoroom.signaling.SignalingSessionTest.EchoMedia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Participant state (mute, hand) and the room's chat, as two connections see them through the protocol. */
class RoomStateAndChatTest {

    private final RoomRegistry registry = new RoomRegistry(8, new RoomRegistry.Listener() {
        @Override
        public void onRoomOpened(RoomName room) {
        }

        @Override
        public void onRoomClosed(RoomName room) {
        }
    });
    private final SignalCodec codec = new SignalCodec();
    private final AtomicLong now = new AtomicLong();

    private SignalingSession join(Captured out, String name) {
        SignalingSession s = new SignalingSession("standup", registry, codec, out, new EchoMedia(), now::get);
        s.onText("{\"type\":\"join\",\"name\":\"" + name + "\"}");
        return s;
    }

    @Test
    void aStateChangeReachesTheOthersWithTheWholeStateAndLateJoinersSeeIt() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = join(ada, "Ada");
        join(bob, "Bob");
        assertEquals(false, ada.last().getJsonObject("participant").getJsonObject("state").getBoolean("audioMuted"));

        int adaSent = ada.sent.size();
        join(new Captured(), "Cy");
        int bobSent = bob.sent.size();
        a.onText("{\"type\":\"state\",\"audioMuted\":true}");
        JsonObject change = bob.last();
        assertEquals("participantState", change.getString("type"));
        assertEquals(a.participant().id().value(), change.getJsonObject("participant").getString("id"));
        JsonObject state = change.getJsonObject("participant").getJsonObject("state");
        assertTrue(state.getBoolean("audioMuted"));
        assertFalse(state.getBoolean("videoMuted"));
        assertFalse(state.getBoolean("handRaised"));
        assertEquals(bobSent + 1, bob.sent.size());
        assertEquals(adaSent + 1, ada.sent.size(), "Ada only heard of Cy joining, not of her own change");

        // The same state again changes nothing and tells no one.
        a.onText("{\"type\":\"state\",\"audioMuted\":true}");
        assertEquals(bobSent + 1, bob.sent.size());
        // Absent fields stay as they were.
        a.onText("{\"type\":\"state\",\"videoMuted\":true,\"handRaised\":true}");
        state = bob.last().getJsonObject("participant").getJsonObject("state");
        assertTrue(state.getBoolean("audioMuted") && state.getBoolean("videoMuted") && state.getBoolean("handRaised"));

        Captured dan = new Captured();
        join(dan, "Dan");
        JsonObject adaAsDanSeesHer = dan.sent.get(0).getJsonArray("participants").getJsonObject(0);
        assertEquals("Ada", adaAsDanSeesHer.getString("name"));
        assertTrue(adaAsDanSeesHer.getJsonObject("state").getBoolean("videoMuted"));
    }

    @Test
    void badStateMessagesAreRefusedAndFloodsAreRateLimited() {
        Captured ada = new Captured();
        SignalingSession a = join(ada, "Ada");
        a.onText("{\"type\":\"state\"}");
        assertEquals("missing-field", ada.last().getString("code"));
        a.onText("{\"type\":\"state\",\"audioMuted\":\"yes\"}");
        assertEquals("missing-field", ada.last().getString("code"));
        Captured bob = new Captured();
        join(bob, "Bob");
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            a.onText("{\"type\":\"state\",\"audioMuted\":" + (i % 2 == 0) + "}");
            if ("rate-limited".equals(ada.last().getString("code", ""))) {
                refused++;
            }
        }
        assertEquals(100 - SignalingSession.STATE_BURST, refused);
        now.addAndGet(1_000_000_000L);
        a.onText("{\"type\":\"state\",\"handRaised\":true}");
        assertEquals("participantState", bob.last().getString("type"), "allowed again a second later");
    }

    @Test
    void chatGoesToEveryoneAsPlainTextWithNameAndTimeAndLateJoinersGetTheHistory() {
        Captured ada = new Captured();
        Captured bob = new Captured();
        SignalingSession a = join(ada, "Ada");
        join(bob, "Bob");
        a.onText("{\"type\":\"chat\",\"text\":\"  <b>hi</b> & welcome\\n \"}");
        for (Captured c : List.of(ada, bob)) {
            JsonObject line = c.last();
            assertEquals("chat", line.getString("type"));
            assertEquals("<b>hi</b> & welcome", line.getString("text"), "kept as text, trimmed");
            assertEquals("Ada", line.getString("name"));
            assertEquals(a.participant().id().value(), line.getString("from"));
            assertTrue(line.getJsonNumber("at").longValue() > 1_700_000_000_000L);
        }
        Captured cy = new Captured();
        join(cy, "Cy");
        assertEquals("<b>hi</b> & welcome",
                cy.sent.get(0).getJsonArray("chat").getJsonObject(0).getString("text"));
    }

    @Test
    void chatIsLimitedInLengthContentAndRateAndTheHistoryKeepsTheLastHundred() {
        Captured ada = new Captured();
        SignalingSession a = join(ada, "Ada");
        a.onText("{\"type\":\"chat\",\"text\":\"   \"}");
        assertEquals("invalid-chat", ada.last().getString("code"));
        a.onText("{\"type\":\"chat\",\"text\":\"" + "x".repeat(1001) + "\"}");
        assertEquals("invalid-chat", ada.last().getString("code"));
        a.onText("{\"type\":\"chat\",\"text\":\"bell\\u0007\"}");
        assertEquals("invalid-chat", ada.last().getString("code"));
        a.onText("{\"type\":\"chat\"}");
        assertEquals("missing-field", ada.last().getString("code"));

        int sent = 0;
        for (int i = 0; i < 130; i++) {
            now.addAndGet(1_000_000_000L);
            a.onText("{\"type\":\"chat\",\"text\":\"line " + i + "\"}");
            assertEquals("chat", ada.last().getString("type"), "one a second is fine");
            sent++;
        }
        now.addAndGet(10_000_000_000L); // a pause fills the bucket again
        for (int i = 0; i < SignalingSession.CHAT_BURST; i++) {
            a.onText("{\"type\":\"chat\",\"text\":\"burst " + i + "\"}");
        }
        a.onText("{\"type\":\"chat\",\"text\":\"one too many\"}");
        assertEquals("rate-limited", ada.last().getString("code"));

        Captured late = new Captured();
        join(late, "Late");
        var history = late.sent.get(0).getJsonArray("chat");
        assertEquals(Room.CHAT_HISTORY, history.size());
        assertEquals("burst " + (SignalingSession.CHAT_BURST - 1),
                history.getJsonObject(history.size() - 1).getString("text"));
        assertEquals(sent + SignalingSession.CHAT_BURST - Room.CHAT_HISTORY,
                Integer.parseInt(history.getJsonObject(0).getString("text").replace("line ", "")));
    }
}
