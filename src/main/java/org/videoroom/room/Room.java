package org.videoroom.room;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of participants who see and hear each other. The room decides membership and tells every member about
 * every change, in one order for all: changes happen under the room's lock, and listeners only enqueue. Readers on
 * the media path use {@link #participants()}, a copy-on-write snapshot that needs no lock.
 *
 * <p>Thread-safe.
 */
public final class Room {

    private static final System.Logger LOG = System.getLogger(Room.class.getName());

    private final RoomName name;
    private final int maxParticipants;
    private final SecureRandom random;
    private final RoomRegistry registry;
    /** How many chat messages the room keeps for people who join later. */
    public static final int CHAT_HISTORY = 100;

    private final Map<ParticipantId, Participant> members = new LinkedHashMap<>();
    /** The last {@link #CHAT_HISTORY} chat messages, oldest first; guarded by this. */
    private final ArrayDeque<ChatMessage> chat = new ArrayDeque<>();

    private volatile List<Participant> snapshot = List.of();
    private boolean closed;
    /** Set by the join that opened the room, if it gave one; null for an open room. */
    private final RoomPassword password;

    Room(RoomName name, int maxParticipants, SecureRandom random, RoomRegistry registry, RoomPassword password) {
        this.name = name;
        this.maxParticipants = maxParticipants;
        this.random = random;
        this.registry = registry;
        this.password = password;
    }


    public RoomName name() {
        return name;
    }

    /** The members in join order, as of the last change. */
    public List<Participant> participants() {
        return snapshot;
    }

    public int size() {
        return snapshot.size();
    }

    /** Returns null when the room closed before the lock was taken (the registry then makes a new one). */
    synchronized Participant join(DisplayName displayName, Participant.Listener listener, String attempt,
                                  boolean opener) {
        if (closed) {
            return null;
        }
        if (password != null && !opener) {
            RoomPassword.Check check = password.check(attempt);
            if (check != RoomPassword.Check.ACCEPTED) {
                throw new RoomAccessException(name, check);
            }
        }
        if (members.size() >= maxParticipants) {
            throw new RoomFullException(name, maxParticipants);
        }
        ParticipantId id;
        do {
            id = ParticipantId.random(random);
        } while (members.containsKey(id));
        byte[] token = new byte[16];
        random.nextBytes(token);
        Participant joining = new Participant(new ParticipantInfo(id, displayName), this, listener,
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        List<ParticipantInfo> others = new ArrayList<>(members.size());
        List<TrackInfo> tracks = new ArrayList<>();
        for (Participant member : members.values()) {
            others.add(member.info());
            tracks.addAll(member.publishedTracks().values());
        }
        members.put(id, joining);
        snapshot = List.copyOf(members.values());
        joining.notifyJoined(List.copyOf(others), List.copyOf(tracks));
        for (Participant member : members.values()) {
            if (member != joining) {
                member.notifyParticipantJoined(joining.info());
            }
        }
        return joining;
    }

    /**
     * A new connection takes over participant {@code id}, which is still in the room (its old connection dropped,
     * or is about to be found dead), when {@code token} is its resume token: {@code listener} hears its events
     * from now on, starting with {@code onJoined} as on a join; the others notice nothing. Null when there is no
     * such participant or the token is not its.
     */
    public synchronized Participant resume(ParticipantId id, String token, Participant.Listener listener) {
        Participant member = members.get(id);
        String refusal = resumeRefusal(member, token);
        if (refusal != null) {
            logRefusedResume(name, id, refusal);
            return null;
        }
        member.rebind(listener);
        List<ParticipantInfo> others = new ArrayList<>(members.size());
        List<TrackInfo> tracks = new ArrayList<>();
        for (Participant other : members.values()) {
            if (other != member) {
                others.add(other.info());
                tracks.addAll(other.publishedTracks().values());
            }
        }
        member.notifyJoined(List.copyOf(others), List.copyOf(tracks));
        return member;
    }

    /** Why {@code member} cannot be resumed with {@code token}; null when it can. */
    private static String resumeRefusal(Participant member, String token) {
        if (member == null) {
            return "not in the room (it left, or its grace ran out)";
        }
        if (member.isClosed()) {
            return "already closed";
        }
        return member.resumableWith(token) ? null : "not its token";
    }

    /**
     * Logged at most once per connection (its join goes on as a fresh one): why a page that reconnected came back
     * as someone new.
     */
    static void logRefusedResume(RoomName room, ParticipantId id, String refusal) {
        LOG.log(System.Logger.Level.INFO, "room {0}: resume of participant {1} refused: {2}", room.value(),
                id.value(), refusal);
    }

    synchronized void publish(Participant publisher, List<TrackInfo> tracks) {
        if (!members.containsKey(publisher.id())) {
            return;
        }
        List<TrackInfo> added = new ArrayList<>();
        for (TrackInfo track : tracks) {
            if (!track.publisher().equals(publisher.id())) {
                throw new IllegalArgumentException("a participant publishes only its own tracks: " + track);
            }
            if (publisher.publishedTracks().putIfAbsent(track.id(), track) == null) {
                added.add(track);
            }
        }
        if (!added.isEmpty()) {
            List<TrackInfo> event = List.copyOf(added);
            for (Participant member : members.values()) {
                if (member != publisher) {
                    member.notifyTracksAdded(event);
                }
            }
            screenChanged(publisher);
        }
    }

    /** After the tracks changed: whether the publisher shares its screen, announced when that changed. */
    private void screenChanged(Participant publisher) {
        boolean sharing = publisher.publishedTracks().values().stream().anyMatch(TrackInfo::isScreen);
        updateState(publisher, state -> state.withScreen(sharing));
    }

    synchronized void updateState(Participant participant, java.util.function.UnaryOperator<ParticipantState> change) {
        if (!members.containsKey(participant.id())) {
            return;
        }
        ParticipantState before = participant.info().state();
        ParticipantState after = change.apply(before);
        if (after.equals(before)) {
            return;
        }
        participant.state(after);
        ParticipantInfo event = participant.info();
        for (Participant member : members.values()) {
            if (member != participant) {
                member.notifyParticipantState(event);
            }
        }
    }

    synchronized void chat(Participant author, String text) {
        // The record refuses a text that breaks ChatMessage.problem, before anything is kept or sent.
        ChatMessage message = new ChatMessage(author.id(), author.name(), ChatMessage.normalize(text), Instant.now());
        if (!members.containsKey(author.id())) {
            return;
        }
        if (chat.size() == CHAT_HISTORY) {
            chat.removeFirst();
        }
        chat.addLast(message);
        for (Participant member : members.values()) {
            member.notifyChat(message);
        }
    }

    /** The chat so far (at most {@link #CHAT_HISTORY} messages), oldest first. */
    public synchronized List<ChatMessage> chatHistory() {
        return List.copyOf(chat);
    }

    synchronized void unpublish(Participant publisher, List<TrackId> tracks) {
        if (!members.containsKey(publisher.id())) {
            return;
        }
        List<TrackId> removed = new ArrayList<>();
        for (TrackId track : tracks) {
            if (publisher.publishedTracks().remove(track) != null) {
                removed.add(track);
            }
        }
        if (!removed.isEmpty()) {
            List<TrackId> event = List.copyOf(removed);
            for (Participant member : members.values()) {
                if (member != publisher) {
                    member.notifyTracksRemoved(event);
                }
            }
            screenChanged(publisher);
        }
    }

    synchronized void remove(Participant leaving, LeaveReason reason) {
        if (members.remove(leaving.id()) == null) {
            return;
        }
        snapshot = List.copyOf(members.values());
        for (Participant member : members.values()) {
            member.notifyParticipantLeft(leaving.id(), reason);
        }
        if (members.isEmpty()) {
            closed = true;
            registry.roomEmptied(this);
        }
    }

    /** Closes the room with everyone in it (server shutdown); idempotent. */
    void close(LeaveReason reason) {
        List<Participant> removed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            removed = List.copyOf(members.values());
            members.clear();
            snapshot = List.of();
        }
        for (Participant participant : removed) {
            participant.parentClosed(reason);
        }
    }

    @Override
    public String toString() {
        return "Room[" + name + ", " + snapshot.size() + " participants]";
    }
}
