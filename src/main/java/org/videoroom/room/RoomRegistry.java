package org.videoroom.room;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * All rooms of this server. A room exists while it has participants: the first join creates it and the last leave
 * removes it. Two rooms never share participants or events.
 *
 * <p>Thread-safe: joins and leaves from many sockets may race; a join that meets a room in the middle of closing
 * simply retries on a fresh room.
 */
public final class RoomRegistry implements AutoCloseable {

    /** Room lifecycle events, e.g. for the lobby; may be called with a room's lock held, so must not block. */
    public interface Listener {
        void onRoomOpened(RoomName room);

        void onRoomClosed(RoomName room);
    }

    private static final System.Logger LOG = System.getLogger(RoomRegistry.class.getName());

    private final ConcurrentMap<RoomName, Room> rooms = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final int maxParticipantsPerRoom;
    private final int maxRooms;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    public RoomRegistry(int maxParticipantsPerRoom, Listener listener) {
        this(maxParticipantsPerRoom, 0, listener);
    }

    /** @param maxRooms rooms open at once at most (0 = no cap); joins that would open one more are refused */
    public RoomRegistry(int maxParticipantsPerRoom, int maxRooms, Listener listener) {
        if (maxParticipantsPerRoom < 1 || maxRooms < 0) {
            throw new IllegalArgumentException("maxParticipantsPerRoom must be at least 1, maxRooms 0 or more");
        }
        this.maxParticipantsPerRoom = maxParticipantsPerRoom;
        this.maxRooms = maxRooms;
        this.listener = listener;
    }

    /**
     * Puts a new participant into the named room, creating the room if needed. The listener's
     * {@link Participant.Listener#onJoined} is called before this returns.
     *
     * @throws RoomFullException when the room is at its limit
     * @throws ServerFullException when the room would be new and the server holds its maximum of rooms
     * @throws IllegalStateException after {@link #close()}
     */
    public Participant join(RoomName roomName, DisplayName name, Participant.Listener participantListener) {
        return join(roomName, name, participantListener, null);
    }

    /**
     * As above, with a room password: a join that opens the room sets it (null: the room is open to anyone who
     * knows its name); a join of a room that has one must give it.
     *
     * @throws RoomAccessException when the room has a password and {@code password} is missing or wrong, or too
     *         many wrong ones were tried lately
     * @throws IllegalArgumentException when {@code password} is not acceptable as a password
     */
    public Participant join(RoomName roomName, DisplayName name, Participant.Listener participantListener,
                            String password) {
        RoomPassword set = password == null ? null : RoomPassword.of(password, random);
        while (true) {
            if (closed.get()) {
                throw new IllegalStateException("the room registry is closed");
            }
            boolean[] created = {false};
            Room room = rooms.computeIfAbsent(roomName, n -> {
                // Under concurrent first joins of different rooms the count may pass the cap by a few.
                if (maxRooms > 0 && rooms.size() >= maxRooms) {
                    throw new ServerFullException(maxRooms);
                }
                created[0] = true;
                return new Room(n, maxParticipantsPerRoom, random, this, set);
            });
            if (created[0]) {
                fire(() -> listener.onRoomOpened(roomName));
            }
            Participant participant = room.join(name, participantListener, password, created[0]);
            if (participant != null) {
                return participant;
            }
            // The room emptied and closed between lookup and join; it is gone (or going) from the map.
            rooms.remove(roomName, room);
        }
    }

    /** {@link Room#resume} in room {@code roomName}; null when that room is not open. */
    public Participant resume(RoomName roomName, ParticipantId id, String token, Participant.Listener listener) {
        Room room = rooms.get(roomName);
        if (room == null) {
            Room.logRefusedResume(roomName, id, "the room is not open");
            return null;
        }
        return room.resume(id, token, listener);
    }

    public Optional<Room> room(RoomName name) {
        return Optional.ofNullable(rooms.get(name));
    }

    /** The open rooms, in no particular order. */
    public List<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    void roomEmptied(Room room) {
        if (rooms.remove(room.name(), room)) {
            fire(() -> listener.onRoomClosed(room.name()));
        }
    }

    /** Closes every room, telling each participant; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Room room : rooms.values()) {
            room.close(LeaveReason.ROOM_CLOSED);
            if (rooms.remove(room.name(), room)) {
                fire(() -> listener.onRoomClosed(room.name()));
            }
        }
    }

    private void fire(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "room registry listener failed", e);
        }
    }
}
