package org.videoroom.signaling.message;

import java.util.Map;
import org.videoroom.room.TrackSource;

/**
 * {@code {"type":"offer","sdp":"v=0…","subscriptions":{"2":"<trackId>"},"sources":{"4":"screen"}}}: the
 * browser's SDP offer, for each of its recvonly MIDs the remote track it wants there, and for sendonly MIDs what
 * they carry where it is not the default (a video line is a camera unless said otherwise).
 */
public record Offer(String sdp, Map<String, String> subscriptions, Map<String, TrackSource> sources)
        implements ClientMessage {
    public Offer {
        subscriptions = Map.copyOf(subscriptions);
        sources = Map.copyOf(sources);
    }

    public Offer(String sdp, Map<String, String> subscriptions) {
        this(sdp, subscriptions, Map.of());
    }
}
