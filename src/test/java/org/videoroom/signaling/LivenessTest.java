package org.videoroom.signaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.videoroom.room.RoomName;
import org.videoroom.room.RoomRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The squatting and dead-socket rules on a clock the test moves. */
class LivenessTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Liveness.Policy POLICY = new Liveness.Policy(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofSeconds(15));

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final RoomRegistry registry = new RoomRegistry(4, new RoomRegistry.Listener() {
        @Override
        public void onRoomOpened(RoomName room) {
        }

        @Override
        public void onRoomClosed(RoomName room) {
        }
    });
    private final Liveness liveness = new Liveness();

    /** Captures messages and counts pings. */
    private static final class Socket extends SignalingSessionTest.Captured {
        final List<Long> pings = new ArrayList<>();
        private final AtomicLong clock;

        Socket(AtomicLong clock) {
            this.clock = clock;
        }

        @Override
        public void ping() {
            pings.add(clock.get());
        }
    }

    private SignalingSession open(Socket socket) {
        SignalingSession session = new SignalingSession("standup", registry, new SignalCodec(), socket,
                new SignalingSessionTest.EchoMedia(), clock::get);
        liveness.register(session, POLICY, clock.get());
        return session;
    }

    private void advance(long seconds) {
        for (long i = 0; i < seconds; i++) {
            clock.addAndGet(SECOND);
            liveness.sweep(clock.get());
        }
    }

    @Test
    void aSquatterIsRemovedAndTheOthersAreToldWhy() {
        Socket ada = new Socket(clock);
        Socket squatter = new Socket(clock);
        SignalingSession a = open(ada);
        SignalingSession s = open(squatter);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        advance(3);
        a.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        s.onText("{\"type\":\"join\",\"name\":\"Squatter\"}");
        String squatterId = s.participant().id().value();

        advance(6);
        a.onPong();
        s.onPong();
        assertNull(squatter.closedWith, "not yet: 9 s after its socket opened");
        advance(2);
        assertEquals("idle", squatter.closedWith);
        assertEquals("participantLeft", ada.last().getString("type"));
        assertEquals(squatterId, ada.last().getString("participantId"));
        assertEquals("idle", ada.last().getString("reason"));
        assertNull(ada.closedWith, "Ada offered: she stays");
        assertEquals(1, liveness.expiredIdle());
        assertEquals(1, liveness.size());
    }

    @Test
    void aSocketThatNeverJoinsIsClosedToo() {
        Socket lurker = new Socket(clock);
        open(lurker);
        advance(11);
        assertEquals("idle", lurker.closedWith);
    }

    @Test
    void pingsGoOutAndASocketThatAnswersNothingIsClosed() {
        Socket ada = new Socket(clock);
        SignalingSession a = open(ada);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        a.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        for (int i = 0; i < 6; i++) {
            advance(5);
            a.onPong();
        }
        assertNull(ada.closedWith, "answering pings keeps it open");
        assertTrue(ada.pings.size() >= 5, "a ping every 5 s: " + ada.pings.size());

        advance(16);
        assertEquals("idle", ada.closedWith);
        assertEquals(1, liveness.expiredSilent());
        assertEquals(0, liveness.size());
        assertTrue(registry.rooms().isEmpty(), "its place in the room is freed");
    }

    @Test
    void joiningAndLeavingOverAndOverDoesNotKeepASeat() {
        Socket mallory = new Socket(clock);
        SignalingSession m = open(mallory);
        for (int i = 0; i < 4; i++) {
            m.onText("{\"type\":\"join\",\"name\":\"Mallory\"}");
            advance(1);
            m.onText("{\"type\":\"leave\"}");
            advance(1);
        }
        assertNull(mallory.closedWith, "8 s: not yet");
        m.onText("{\"type\":\"join\",\"name\":\"Mallory\"}");
        advance(3);
        assertEquals("idle", mallory.closedWith);
        assertTrue(registry.rooms().isEmpty());
    }

    @Test
    void leavingStartsTheIdleClockAgain() {
        Socket ada = new Socket(clock);
        SignalingSession a = open(ada);
        a.onText("{\"type\":\"join\",\"name\":\"Ada\"}");
        a.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        advance(4);
        a.onText("{\"type\":\"leave\"}");
        advance(9);
        assertNull(ada.closedWith);
        advance(2);
        assertEquals("idle", ada.closedWith);
    }

    /** A participant whose connection dropped is kept for its grace period, then leaves ("disconnected"). */
    @Test
    void aDroppedParticipantWithMediaLeavesWhenItsGracePeriodEnds_unlessItIsResumed() {
        Socket ada = new Socket(clock);
        Socket bob = new Socket(clock);
        Socket cy = new Socket(clock);
        SignalingSession a = open(ada).withReconnects(p -> liveness.away(p, clock.get() + 20 * SECOND));
        SignalingSession b = open(bob).withReconnects(p -> liveness.away(p, clock.get() + 20 * SECOND));
        SignalingSession c = open(cy);
        for (SignalingSession session : List.of(a, b, c)) {
            session.onText("{\"type\":\"join\",\"name\":\"P\"}");
            session.onText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        }
        String adaId = a.participant().id().value();
        String bobId = b.participant().id().value();
        String bobToken = bob.sent.get(0).getString("resumeToken");
        liveness.unregister(a);
        a.onClose();
        liveness.unregister(b);
        b.onClose();
        assertEquals(2, liveness.awayCount());
        java.util.function.IntConsumer live = seconds -> {
            for (int k = 0; k < seconds; k++) {
                advance(1);
                c.onPong(); // Cy's browser answers pings
            }
        };
        live.accept(10);
        SignalingSession back = open(new Socket(clock));
        back.onText("{\"type\":\"join\",\"name\":\"P\",\"resume\":{\"participantId\":\"" + bobId
                + "\",\"token\":\"" + bobToken + "\",\"media\":\"keep\"}}");
        assertEquals(bobId, back.participant().id().value());
        live.accept(9);
        assertTrue(cy.types().stream().noneMatch("participantLeft"::equals), "nobody left within 19 s: " + cy.types());
        live.accept(2);
        assertEquals("participantLeft", cy.last().getString("type"));
        assertEquals(adaId, cy.last().getString("participantId"));
        assertEquals("disconnected", cy.last().getString("reason"));
        assertEquals(0, liveness.awayCount());
        assertEquals(1, liveness.awayExpired());
        assertEquals(1, cy.types().stream().filter("participantLeft"::equals).count(), "Bob came back in time");
    }
}
