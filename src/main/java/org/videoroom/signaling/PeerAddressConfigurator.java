package org.videoroom.signaling;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Gives the signaling endpoint its client's address, which Jakarta WebSocket has no API for. The application's
 * handshake filter (it runs before the container's WebSocket filter) puts the servlet request's remote address in
 * {@link #HEADER}, replacing any such header the client sent; this copies it into the connection's user properties
 * under {@link #PROPERTY}, which the container hands to the session (WebSocket 2.1).
 */
public class PeerAddressConfigurator extends ServerEndpointConfig.Configurator {

    /** Set by the server's own filter; a client's header of this name never gets through. */
    public static final String HEADER = "X-Videoroom-Peer-Address";
    public static final String PROPERTY = "org.videoroom.peerAddress";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(config, request, response);
        String address = find(request.getHeaders());
        if (address != null) {
            config.getUserProperties().put(PROPERTY, address);
        } else {
            config.getUserProperties().remove(PROPERTY);
        }
    }

    private static String find(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            // Containers differ in the case they keep header names in.
            if (HEADER.equalsIgnoreCase(header.getKey()) && header.getValue() != null && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }
}
