package org.videoroom.room;

import java.lang.System.Logger.Level;
import java.util.List;
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
        /** First call: the participant is in; {@code others} are the ones already there. */
        void onJoined(Participant self, List<ParticipantInfo> others);

        void onParticipantJoined(ParticipantInfo participant);

        void onParticipantLeft(ParticipantId participant, LeaveReason reason);

        /** The server removed this participant (room closed, transport failed); no more calls follow. */
        void onRemoved(LeaveReason reason);
    }

    private static final System.Logger LOG = System.getLogger(Participant.class.getName());

    private final ParticipantInfo info;
    private final Room room;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    Participant(ParticipantInfo info, Room room, Listener listener) {
        this.info = info;
        this.room = room;
        this.listener = listener;
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

    /** Leaves the room on the participant's own initiative; idempotent. */
    public void leave(LeaveReason reason) {
        if (closed.compareAndSet(false, true)) {
            room.remove(this, reason);
        }
    }

    /** The room is closing: tell the listener, never call back into the room. */
    void parentClosed(LeaveReason reason) {
        if (closed.compareAndSet(false, true)) {
            notify(() -> listener.onRemoved(reason));
        }
    }

    void notifyJoined(List<ParticipantInfo> others) {
        notify(() -> listener.onJoined(this, others));
    }

    void notifyParticipantJoined(ParticipantInfo other) {
        notify(() -> listener.onParticipantJoined(other));
    }

    void notifyParticipantLeft(ParticipantId other, LeaveReason reason) {
        notify(() -> listener.onParticipantLeft(other, reason));
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
