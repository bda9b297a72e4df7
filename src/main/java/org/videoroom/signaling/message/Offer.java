package org.videoroom.signaling.message;

import java.util.Map;

/**
 * {@code {"type":"offer","sdp":"v=0…","subscriptions":{"2":"<trackId>"}}}: the browser's SDP offer, and for each
 * of its recvonly MIDs the remote track it wants there.
 */
public record Offer(String sdp, Map<String, String> subscriptions) implements ClientMessage {
    public Offer {
        subscriptions = Map.copyOf(subscriptions);
    }
}
