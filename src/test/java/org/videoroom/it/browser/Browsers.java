package org.videoroom.it.browser;

import java.util.ArrayList;
import java.util.List;

/**
 * The participants one browser test opened, closed together after it (each browser and its driver stopped by
 * its own process, whatever failed), so no test leaves a Chromium behind.
 */
final class Browsers {

    private static final System.Logger LOG = System.getLogger(Browsers.class.getName());

    private final List<RoomPage> pages = new ArrayList<>();

    /** Keeps a page to close later; returns it. */
    RoomPage add(RoomPage page) {
        pages.add(page);
        return page;
    }

    /** The pages in the order they were added. */
    List<RoomPage> pages() {
        return List.copyOf(pages);
    }

    void closeAll() {
        for (RoomPage page : pages) {
            try {
                page.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + page.name() + "'s browser failed", e);
            }
        }
        pages.clear();
    }
}
