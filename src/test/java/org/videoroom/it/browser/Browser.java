package org.videoroom.it.browser;

import java.net.URI;

/**
 * One real browser as a {@link RoomPage} drives it: Chromium through chromedriver ({@link Chromium}) or Firefox
 * through WebDriver BiDi ({@link Firefox}). Scripts follow Selenium's convention: the text is a function body,
 * {@code return} gives the result, {@code arguments} holds the arguments, and for {@link #async} the last
 * argument is the callback. Results come back as Java values: Long or Double, String, Boolean, List, Map, null.
 */
public interface Browser extends AutoCloseable {

    String label();

    /** Loads the page and waits until it has loaded. */
    void open(URI url);

    Object script(String script, Object... args);

    Object async(String script, Object... args);

    /** Runs the source before any script of every document loaded from now on. */
    void addInitScript(String source);

    /** Types the text into the first element the selector matches. */
    void type(String cssSelector, String text);

    void click(String cssSelector);

    /** The rendered text of the first element the selector matches. */
    String text(String cssSelector);

    /** A PNG of what the page shows now (its viewport). */
    byte[] screenshot();

    /** Stops the browser and everything it started; idempotent. */
    @Override
    void close();
}
