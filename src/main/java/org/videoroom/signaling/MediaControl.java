package org.videoroom.signaling;

import java.util.Map;
import org.videoroom.room.Participant;
import org.videoroom.room.TrackSource;
import org.videoroom.signaling.message.Viewport;

/**
 * What the signaling needs from the media layer: answer a participant's offer and take its trickled candidates.
 * Implementations refuse bad requests with a {@link SignalingException} whose code the client is told.
 */
public interface MediaControl {

    /**
     * @param subscriptions for each recvonly MID of the offer, the remote track id wanted there
     * @param sources       for sendonly MIDs, what they carry where it is not their kind's default
     * @return the SDP answer
     */
    String offer(Participant participant, String sdp, Map<String, String> subscriptions,
                 Map<String, TrackSource> sources);

    /**
     * How the participant's page shows each remote participant (participant id → tile), for what it is sent.
     */
    void viewport(Participant participant, Map<String, Viewport.Tile> tiles);

    /** Ends the participant's media session, if it has one: its page starts a new one (a resumed connection). */
    void reset(Participant participant);

    /** @param candidate an RFC 8839 {@code candidate:} attribute value, or "" for end of candidates */
    void candidate(Participant participant, String candidate, String mid);
}
