package org.videoroom.signaling.message;

import java.util.List;

/**
 * One entry of the page's {@code RTCPeerConnection} {@code iceServers} (W3C {@code RTCIceServer}): TURN URLs with
 * a username and credential valid for this participant for a while (see {@code TurnCredentials}).
 */
public record TurnServer(List<String> urls, String username, String credential) {
    public TurnServer {
        urls = List.copyOf(urls);
    }
}
