package org.videoroom.signaling;

import java.util.Map;
import org.videoroom.room.Participant;

/**
 * What the signaling needs from the media layer: answer a participant's offer and take its trickled candidates.
 * Implementations refuse bad requests with a {@link SignalingException} whose code the client is told.
 */
public interface MediaControl {

    /**
     * @param subscriptions for each recvonly MID of the offer, the remote track id wanted there
     * @return the SDP answer
     */
    String offer(Participant participant, String sdp, Map<String, String> subscriptions);

    /** @param candidate an RFC 8839 {@code candidate:} attribute value, or "" for end of candidates */
    void candidate(Participant participant, String candidate, String mid);
}
