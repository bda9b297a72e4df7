package org.videoroom.signaling;

import org.videoroom.room.LeaveReason;
import org.videoroom.room.Participant;

/**
 * What becomes of a participant with media whose connection dropped without a leave: kept for a grace period in
 * which a new connection may resume it ({@link Liveness#away}), or gone at once.
 */
@FunctionalInterface
public interface Reconnects {

    /** Called once its connection closed; the participant hears nothing meanwhile ({@link Participant#away}). */
    void away(Participant participant);

    /** No grace: it leaves at once, "disconnected". */
    Reconnects NONE = participant -> participant.leave(LeaveReason.DISCONNECTED);
}
