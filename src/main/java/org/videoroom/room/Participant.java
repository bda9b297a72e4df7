package org.videoroom.room;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One person in one room, from join until leave. The room owns it; whoever joined it (the signaling session)
 * holds it to leave. Media state (transport, published tracks, subscriptions) hangs off the participant in later
 * layers, so closing a participant is the one place that tears a person's presence down.
 *
 * <p>Thread-safe: {@link #leave} may race with the room closing; exactly one of them wins.
 */
public final class Participant {

    /**
     * Room events for one participant, in the order the room decided them. Calls arrive on whatever thread
     * changed the room and with the room's lock held, so implementations must only enqueue, never block.
     */
    public interface Listener {
        /** First call: the participant is in; {@code others} are the ones already there, with their tracks. */
        void onJoined(Participant self, List<ParticipantInfo> others, List<TrackInfo> tracks);

        void onParticipantJoined(ParticipantInfo participant);

        /** Another participant published tracks. */
        void onTracksAdded(List<TrackInfo> tracks);

        /** Another participant stopped publishing tracks (not sent when a participant leaves). */
        void onTracksRemoved(List<TrackId> tracks);

        void onParticipantLeft(ParticipantId participant, LeaveReason reason);

        /** The server removed this participant (room closed, transport failed); no more calls follow. */
        void onRemoved(LeaveReason reason);

        /** Another participant's state changed (mute, hand); {@code participant} carries the whole new state. */
        default void onParticipantState(ParticipantInfo participant) {
        }

        /** Someone (this participant included) wrote to the room's chat. */
        default void onChat(ChatMessage message) {
        }

        /** Another connection took this participant over ({@link Room#resume}); no more calls follow here. */
        default void onReplaced() {
        }
    }

    /** Hears nothing: the listener of a participant whose connection dropped, until one resumes it. */
    private static final Listener AWAY = new Listener() {
        @Override
        public void onJoined(Participant self, List<ParticipantInfo> others, List<TrackInfo> tracks) {
        }

        @Override
        public void onParticipantJoined(ParticipantInfo participant) {
        }

        @Override
        public void onTracksAdded(List<TrackInfo> tracks) {
        }

        @Override
        public void onTracksRemoved(List<TrackId> tracks) {
        }

        @Override
        public void onParticipantLeft(ParticipantId participant, LeaveReason reason) {
        }

        @Override
        public void onRemoved(LeaveReason reason) {
        }
    };

    private static final System.Logger LOG = System.getLogger(Participant.class.getName());

    /** Replaced (never mutated) under the room's lock when the state changes. */
    private volatile ParticipantInfo info;
    private final Room room;
    /** Who hears this participant's events: its connection's session, or {@link #AWAY} between connections. */
    private volatile Listener listener;
    /** What a new connection shows to take this participant over (docs/protocol.md, "Reconnecting"). */
    private final String resumeToken;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guarded by the room's lock. */
    private final Map<TrackId, TrackInfo> published = new LinkedHashMap<>();
    /** What lives and dies with this participant (its media transport, …), closed in reverse order. */
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();

    Participant(ParticipantInfo info, Room room, Listener listener, String resumeToken) {
        this.info = info;
        this.room = room;
        this.listener = listener;
        this.resumeToken = resumeToken;
    }

    /** Told only to this participant's own connection ({@code joined}); shown back to resume it. */
    public String resumeToken() {
        return resumeToken;
    }

    /** Whether {@code candidate} is this participant's resume token (in constant time). */
    boolean resumableWith(String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                resumeToken.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether its connection dropped and no other took it over yet. */
    public boolean isAway() {
        return listener == AWAY;
    }

    /** Whether {@code candidate} hears this participant's events now. */
    public boolean isHeardBy(Listener candidate) {
        return listener == candidate;
    }

    /**
     * The connection of {@code gone} dropped: the participant stays in the room and hears nothing until a new
     * connection resumes it, or it leaves. A no-op when another connection took it over meanwhile.
     */
    public void away(Listener gone) {
        synchronized (room) {
            if (listener == gone) {
                listener = AWAY;
            }
        }
    }

    /** Its grace period ended: it leaves ("disconnected") unless a connection resumed it meanwhile. */
    public void leaveIfAway() {
        synchronized (room) {
            if (listener == AWAY) {
                leave(LeaveReason.DISCONNECTED);
            }
        }
    }

    /** Called by the room under its lock: {@code next} hears this participant's events from now on. */
    void rebind(Listener next) {
        Listener previous = listener;
        listener = next;
        if (previous != next) {
            notify(previous::onReplaced);
        }
    }

    public ParticipantId id() {
        return info.id();
    }

    public DisplayName name() {
        return info.name();
    }

    public ParticipantInfo info() {
        return info;
    }

    public Room room() {
        return room;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Ties a child's life to this participant: it is closed when the participant leaves or is removed (at once
     * if that already happened).
     */
    public void attach(AutoCloseable child) {
        children.add(child);
        if (closed.get()) {
            closeChildren();
        }
    }

    /** Announces tracks to the others in the room; ids already published are ignored. */
    public void publish(List<TrackInfo> tracks) {
        room.publish(this, tracks);
    }

    /** Changes this participant's state (null: unchanged) and tells the others when anything changed. */
    public void updateState(Boolean audioMuted, Boolean videoMuted, Boolean handRaised) {
        room.updateState(this, state -> state.with(audioMuted, videoMuted, handRaised));
    }

    /** The server found this participant to be (or no longer to be) the room's active speaker. */
    public void speaking(boolean speaking) {
        room.updateState(this, state -> state.withSpeaking(speaking));
    }

    /** The server's view of this participant's uplink; announced to the others when it changes. */
    public void connection(ConnectionQuality connection) {
        room.updateState(this, state -> state.withConnection(connection));
    }

    /**
     * Writes to the room's chat: everyone in the room, this participant included, receives it.
     *
     * @throws IllegalArgumentException when the text breaks {@link ChatMessage#problem}
     */
    public void chat(String text) {
        room.chat(this, text);
    }

    /** Withdraws tracks; unknown ids are ignored. */
    public void unpublish(List<TrackId> tracks) {
        room.unpublish(this, tracks);
    }

    /** The tracks this participant publishes now. */
    public List<TrackInfo> published() {
        synchronized (room) {
            return List.copyOf(published.values());
        }
    }

    /** Leaves the room on the participant's own initiative; idempotent. */
    public void leave(LeaveReason reason) {
        if (closed.compareAndSet(false, true)) {
            room.remove(this, reason);
            closeChildren();
        }
    }

    /**
     * The server removes the participant (e.g. its media transport failed): the others are told it left and its
     * own listener is told it was removed; idempotent, and a no-op after {@link #leave}.
     */
    public void remove(LeaveReason reason) {
        if (closed.compareAndSet(false, true)) {
            room.remove(this, reason);
            closeChildren();
            notify(() -> listener.onRemoved(reason));
        }
    }

    /** The room is closing: tell the listener, never call back into the room. */
    void parentClosed(LeaveReason reason) {
        if (closed.compareAndSet(false, true)) {
            closeChildren();
            notify(() -> listener.onRemoved(reason));
        }
    }

    /** Called by the room under its lock. */
    void state(ParticipantState state) {
        info = info.withState(state);
    }

    /** Called by the room under its lock. */
    Map<TrackId, TrackInfo> publishedTracks() {
        return published;
    }

    void notifyJoined(List<ParticipantInfo> others, List<TrackInfo> tracks) {
        notify(() -> listener.onJoined(this, others, tracks));
    }

    void notifyTracksAdded(List<TrackInfo> tracks) {
        notify(() -> listener.onTracksAdded(tracks));
    }

    void notifyTracksRemoved(List<TrackId> tracks) {
        notify(() -> listener.onTracksRemoved(tracks));
    }

    void notifyParticipantJoined(ParticipantInfo other) {
        notify(() -> listener.onParticipantJoined(other));
    }

    void notifyParticipantState(ParticipantInfo other) {
        notify(() -> listener.onParticipantState(other));
    }

    void notifyChat(ChatMessage message) {
        notify(() -> listener.onChat(message));
    }

    void notifyParticipantLeft(ParticipantId other, LeaveReason reason) {
        notify(() -> listener.onParticipantLeft(other, reason));
    }

    private void closeChildren() {
        List<AutoCloseable> toClose = new ArrayList<>(children);
        children.removeAll(toClose);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing a child of participant " + info.id() + " failed", e);
            }
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // One participant's broken listener must not stop the others from hearing about the room.
            LOG.log(Level.WARNING, "listener of participant " + info.id() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "Participant[" + info.id() + " in " + room.name() + "]";
    }
}
