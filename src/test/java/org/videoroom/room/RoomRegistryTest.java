package org.videoroom.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.videoroom.sdp.MediaKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomRegistryTest {

    private final List<String> lifecycle = new CopyOnWriteArrayList<>();
    private final RoomRegistry registry = new RoomRegistry(4, new RoomRegistry.Listener() {
        @Override
        public void onRoomOpened(RoomName room) {
            lifecycle.add("opened " + room);
        }

        @Override
        public void onRoomClosed(RoomName room) {
            lifecycle.add("closed " + room);
        }
    });

    private static final RoomName STANDUP = new RoomName("standup");

    @Test
    void participantsSeeEachOtherJoinAndLeaveInOrder() {
        RecordingListener ada = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        RecordingListener eve = new RecordingListener();
        Participant a = registry.join(STANDUP, DisplayName.of("Ada"), ada);
        Participant b = registry.join(STANDUP, DisplayName.of("Bob"), bob);
        registry.join(STANDUP, DisplayName.of("Eve"), eve);
        b.leave(LeaveReason.LEFT);
        a.leave(LeaveReason.DISCONNECTED);

        assertEquals(List.of("joined []", "+Bob", "+Eve", "-" + b.id() + " left"), ada.events);
        assertEquals(List.of("joined [Ada]", "+Eve"), bob.events);
        assertEquals(List.of("joined [Ada, Bob]", "-" + b.id() + " left", "-" + a.id() + " disconnected"),
                eve.events);
        assertEquals(1, registry.room(STANDUP).orElseThrow().size());
    }

    @Test
    void tracksAreAnnouncedToTheOthersAndListedForLateJoiners() {
        RecordingListener ada = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        Participant a = registry.join(STANDUP, DisplayName.of("Ada"), ada);
        Participant b = registry.join(STANDUP, DisplayName.of("Bob"), bob);
        TrackInfo audio = new TrackInfo(new TrackId("a-0"), a.id(), MediaKind.AUDIO);
        TrackInfo video = new TrackInfo(new TrackId("a-1"), a.id(), MediaKind.VIDEO);
        a.publish(List.of(audio, video));
        a.publish(List.of(audio)); // already published: no event
        assertEquals(List.of("joined [Ada]", "tracks+[a-0, a-1]"), bob.events);
        assertEquals(List.of("joined []", "+Bob"), ada.events);

        RecordingListener cy = new RecordingListener();
        registry.join(STANDUP, DisplayName.of("Cy"), cy);
        assertEquals(List.of("joined [Ada, Bob] [a-0, a-1]"), cy.events);

        a.unpublish(List.of(new TrackId("a-0"), new TrackId("nope")));
        assertEquals("tracks-[a-0]", cy.events.get(1));
        assertEquals(List.of(video), a.published());
        assertThrows(IllegalArgumentException.class,
                () -> b.publish(List.of(new TrackInfo(new TrackId("x"), a.id(), MediaKind.AUDIO))));
    }

    @Test
    void aScreenTrackMakesItsPublisherSharingUntilItEnds() {
        RecordingListener ada = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        Participant a = registry.join(STANDUP, DisplayName.of("Ada"), ada);
        registry.join(STANDUP, DisplayName.of("Bob"), bob);
        TrackInfo camera = new TrackInfo(new TrackId("a-1"), a.id(), MediaKind.VIDEO);
        TrackInfo screen = new TrackInfo(new TrackId("a-2"), a.id(), MediaKind.VIDEO, TrackSource.SCREEN);
        a.publish(List.of(camera));
        a.publish(List.of(screen));
        a.unpublish(List.of(camera.id()));
        a.unpublish(List.of(screen.id()));
        assertEquals(List.of("joined [Ada]", "tracks+[a-1]", "tracks+[a-2]", "Ada screen true", "tracks-[a-1]",
                "tracks-[a-2]", "Ada screen false"), bob.events, "the state changes only with the screen track");

        RecordingListener cy = new RecordingListener();
        a.publish(List.of(new TrackInfo(new TrackId("a-3"), a.id(), MediaKind.VIDEO, TrackSource.SCREEN)));
        registry.join(STANDUP, DisplayName.of("Cy"), cy);
        assertTrue(registry.room(STANDUP).orElseThrow().participants().stream()
                .filter(p -> p.id().equals(a.id())).allMatch(p -> p.info().state().screen()), "a late joiner sees it too");
    }

    @Test
    void childrenCloseWithTheParticipantAndRemovalTellsEveryone() {
        RecordingListener ada = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        Participant a = registry.join(STANDUP, DisplayName.of("Ada"), ada);
        Participant b = registry.join(STANDUP, DisplayName.of("Bob"), bob);
        List<String> closed = new CopyOnWriteArrayList<>();
        b.attach(() -> closed.add("transport"));
        b.attach(() -> closed.add("tracks"));
        b.remove(LeaveReason.TRANSPORT_FAILED);
        b.remove(LeaveReason.TRANSPORT_FAILED);
        b.leave(LeaveReason.LEFT);
        assertEquals(List.of("tracks", "transport"), closed, "closed once, in reverse order");
        assertEquals(List.of("joined [Ada]", "removed transport-failed"), bob.events);
        assertEquals("-" + b.id() + " transport-failed", ada.events.get(ada.events.size() - 1));
        b.attach(() -> closed.add("late"));
        assertEquals("late", closed.get(2), "a child attached after close is closed at once");
        a.leave(LeaveReason.LEFT);
    }

    @Test
    void joinsThatWouldOpenARoomBeyondTheCapAreRefusedButExistingRoomsStillFill() {
        RoomRegistry capped = new RoomRegistry(4, 2, new RoomRegistry.Listener() {
            @Override
            public void onRoomOpened(RoomName room) {
            }

            @Override
            public void onRoomClosed(RoomName room) {
            }
        });
        Participant a = capped.join(new RoomName("one"), DisplayName.of("Ada"), new RecordingListener());
        capped.join(new RoomName("two"), DisplayName.of("Bob"), new RecordingListener());
        assertThrows(ServerFullException.class,
                () -> capped.join(new RoomName("three"), DisplayName.of("Cy"), new RecordingListener()));
        Participant d = capped.join(new RoomName("one"), DisplayName.of("Dee"), new RecordingListener());
        assertEquals(2, capped.rooms().size());
        a.leave(LeaveReason.LEFT);
        d.leave(LeaveReason.LEFT);
        capped.join(new RoomName("three"), DisplayName.of("Cy"), new RecordingListener());
        assertEquals(2, capped.rooms().size(), "a room that closed frees its place");
    }

    @Test
    void roomIsCreatedOnFirstJoinAndRemovedWithTheLastLeave() {
        Participant a = registry.join(STANDUP, DisplayName.of("Ada"), new RecordingListener());
        Participant b = registry.join(STANDUP, DisplayName.of("Bob"), new RecordingListener());
        assertTrue(registry.room(STANDUP).isPresent());
        a.leave(LeaveReason.LEFT);
        a.leave(LeaveReason.LEFT); // idempotent
        assertTrue(registry.room(STANDUP).isPresent());
        b.leave(LeaveReason.LEFT);
        assertTrue(registry.room(STANDUP).isEmpty());
        assertEquals(List.of("opened standup", "closed standup"), lifecycle);

        registry.join(STANDUP, DisplayName.of("Cy"), new RecordingListener());
        assertEquals(List.of("opened standup", "closed standup", "opened standup"), lifecycle);
    }

    @Test
    void roomsAreIsolated() {
        RecordingListener inA = new RecordingListener();
        RecordingListener inB = new RecordingListener();
        registry.join(new RoomName("a"), DisplayName.of("Ada"), inA);
        registry.join(new RoomName("b"), DisplayName.of("Bob"), inB);
        registry.join(new RoomName("b"), DisplayName.of("Cy"), new RecordingListener()).leave(LeaveReason.LEFT);
        assertEquals(List.of("joined []"), inA.events);
        assertEquals(3, inB.events.size());
    }

    @Test
    void fullRoomRefusesAJoin() {
        for (int i = 0; i < 4; i++) {
            registry.join(STANDUP, DisplayName.of("p" + i), new RecordingListener());
        }
        assertThrows(RoomFullException.class,
                () -> registry.join(STANDUP, DisplayName.of("late"), new RecordingListener()));
    }

    @Test
    void closeRemovesEveryoneAndRefusesNewJoins() {
        RecordingListener ada = new RecordingListener();
        registry.join(STANDUP, DisplayName.of("Ada"), ada);
        registry.close();
        registry.close();
        assertEquals(List.of("joined []", "removed room-closed"), ada.events);
        assertTrue(registry.rooms().isEmpty());
        assertThrows(IllegalStateException.class,
                () -> registry.join(STANDUP, DisplayName.of("Bob"), new RecordingListener()));
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        RecordingListener ada = new RecordingListener();
        registry.join(STANDUP, DisplayName.of("Ada"), ada);
        registry.join(STANDUP, DisplayName.of("Bad"), new RecordingListener() {
            @Override
            public void onParticipantJoined(ParticipantInfo participant) {
                throw new IllegalStateException("broken listener");
            }
        });
        registry.join(STANDUP, DisplayName.of("Cy"), new RecordingListener());
        assertEquals(List.of("joined []", "+Bad", "+Cy"), ada.events);
    }

    @Test
    void concurrentJoinsAndLeavesKeepRoomsConsistent() throws Exception {
        RoomRegistry big = new RoomRegistry(1000, new RoomRegistry.Listener() {
            @Override
            public void onRoomOpened(RoomName room) {
            }

            @Override
            public void onRoomClosed(RoomName room) {
            }
        });
        int threads = 8;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<ParticipantId>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                List<ParticipantId> stayed = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    RoomName room = new RoomName("r" + (i % 3));
                    Participant p = big.join(room, DisplayName.of("t" + thread + "-" + i), new RecordingListener());
                    if (i % 10 == 0) {
                        stayed.add(p.id());
                    } else {
                        p.leave(LeaveReason.LEFT);
                    }
                }
                return stayed;
            }));
        }
        start.countDown();
        Set<ParticipantId> stayed = new HashSet<>();
        for (Future<List<ParticipantId>> result : results) {
            stayed.addAll(result.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertEquals(threads * rounds / 10, stayed.size(), "ids are unique");
        int inRooms = big.rooms().stream().mapToInt(Room::size).sum();
        assertEquals(stayed.size(), inRooms);
        for (Room room : big.rooms()) {
            for (Participant p : room.participants()) {
                assertTrue(stayed.contains(p.id()));
                assertNotEquals(true, p.isClosed());
            }
        }
    }
}
