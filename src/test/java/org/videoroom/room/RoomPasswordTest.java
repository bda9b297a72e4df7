package org.videoroom.room;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoomPasswordTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void theRightPasswordOpensTheWrongOnesAreThrottled() {
        RoomPassword password = RoomPassword.of("cr\u00e8me br\u00fbl\u00e9e", new SecureRandom(), clock::get);
        assertEquals(RoomPassword.Check.MISSING, password.check(null));
        assertEquals(RoomPassword.Check.ACCEPTED, password.check("cre\u0300me bru\u0302le\u0301e"),
                "decomposed accents are the same password");
        for (int i = 0; i < RoomPassword.GUESS_BURST; i++) {
            assertEquals(RoomPassword.Check.WRONG, password.check("guess" + i));
        }
        assertEquals(RoomPassword.Check.THROTTLED, password.check("cr\u00e8me br\u00fbl\u00e9e"),
                "even the right one waits once the guesses are used up");
        clock.addAndGet(RoomPassword.GUESS_INTERVAL_SECONDS * 1_000_000_000L);
        assertEquals(RoomPassword.Check.ACCEPTED, password.check("cr\u00e8me br\u00fbl\u00e9e"));
        assertEquals(RoomPassword.Check.WRONG, password.check("guess"));
        assertEquals(RoomPassword.Check.THROTTLED, password.check("guess"));
        assertEquals(RoomPassword.Check.MISSING, password.check(null), "asking costs no guess and is not throttled");
    }

    @Test
    void emptyAndOverlongPasswordsCannotBeSet() {
        assertNotNull(RoomPassword.problem(""));
        assertNotNull(RoomPassword.problem("x".repeat(RoomPassword.MAX_LENGTH + 1)));
        assertNull(RoomPassword.problem("x".repeat(RoomPassword.MAX_LENGTH)));
        assertThrows(IllegalArgumentException.class, () -> RoomPassword.of("", new SecureRandom()));
    }

    @Test
    void theOpenerSetsItAndLaterJoinsNeedIt() {
        RoomRegistry registry = new RoomRegistry(4, new RoomRegistry.Listener() {
            @Override
            public void onRoomOpened(RoomName room) {
            }

            @Override
            public void onRoomClosed(RoomName room) {
            }
        });
        RoomName room = new RoomName("board");
        Participant ada = registry.join(room, DisplayName.of("Ada"), new RecordingListener(), "s3cret");
        RoomAccessException none = assertThrows(RoomAccessException.class,
                () -> registry.join(room, DisplayName.of("Bob"), new RecordingListener()));
        assertEquals(RoomPassword.Check.MISSING, none.reason());
        assertEquals(RoomPassword.Check.WRONG, assertThrows(RoomAccessException.class,
                () -> registry.join(room, DisplayName.of("Bob"), new RecordingListener(), "secret")).reason());
        registry.join(room, DisplayName.of("Bob"), new RecordingListener(), "s3cret");
        assertEquals(2, registry.room(room).orElseThrow().size());

        // Once everybody left, the name is free again, and the next opener decides.
        registry.room(room).orElseThrow().participants().forEach(p -> p.leave(LeaveReason.LEFT));
        registry.join(room, DisplayName.of("Cy"), new RecordingListener());
        registry.join(room, DisplayName.of("Dee"), new RecordingListener(), "anything");
        assertEquals(ada.room().name(), room);
    }
}
