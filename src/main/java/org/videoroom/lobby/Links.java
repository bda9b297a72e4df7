package org.videoroom.lobby;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The lobby's and the room page's URLs, in one place so the redirects agree with each other. */
final class Links {

    private Links() {
    }

    static String lobby(String contextPath, String room) {
        String base = contextPath + "/";
        return room == null ? base : base + "?room=" + encode(room);
    }

    static String room(String contextPath, String room, String name) {
        return contextPath + "/room.xhtml?room=" + encode(room) + "&name=" + encode(name);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
