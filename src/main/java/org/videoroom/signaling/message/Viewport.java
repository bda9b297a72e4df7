package org.videoroom.signaling.message;

import java.util.Map;

/**
 * {@code {"type":"viewport","tiles":{"<participantId>":{"visible":true,"height":360}}}}: how the page shows each
 * remote participant's video, so the server sends each subscriber only what it can show (a hidden tile gets no
 * video, a small one no layer taller than it needs).
 *
 * @param tiles per remote participant id, its tile
 */
public record Viewport(Map<String, Tile> tiles) implements ClientMessage {

    /** At most this many tiles per message (far above any room size). */
    public static final int MAX_TILES = 256;
    /** Heights are clamped to this (CSS pixels times device pixel ratio). */
    public static final int MAX_HEIGHT = 8192;

    public Viewport {
        tiles = Map.copyOf(tiles);
    }

    /**
     * @param visible whether any of the tile is on screen
     * @param height  its height in device pixels, 0 when unknown
     */
    public record Tile(boolean visible, int height) {
        public Tile {
            height = Math.max(0, Math.min(MAX_HEIGHT, height));
        }
    }
}
