package org.videoroom.it.browser;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;

/** A participant as a test sees it: one Chromium on the lobby and then the room page. */
public final class RoomPage implements AutoCloseable {

    /** What one remote participant's media looks like from this page, per getStats(). */
    public record Inbound(long framesDecoded, long audioPacketsReceived) {
    }

    private static final String INBOUND_BY_PARTICIPANT = """
            const done = arguments[arguments.length - 1];
            const v = window.videoroom;
            if (!v || !v.media) { done(null); return; }
            v.media.peerConnection.getStats().then((stats) => {
              const byTrack = new Map();
              stats.forEach((s) => { if (s.type === 'inbound-rtp') byTrack.set(s.trackIdentifier, s); });
              const out = {};
              for (const li of document.querySelectorAll('#participants li[data-participant-id]')) {
                const id = li.dataset.participantId;
                const person = v.roster.get(id);
                let frames = 0, audio = 0;
                for (const track of person?.stream?.getTracks() ?? []) {
                  const s = byTrack.get(track.id);
                  if (!s) continue;
                  if (s.kind === 'video') frames += s.framesDecoded ?? 0;
                  if (s.kind === 'audio') audio += s.packetsReceived ?? 0;
                }
                out[id] = [frames, audio];
              }
              done(out);
            }).catch(() => done(null));
            """;

    private final Chromium browser;
    private final String name;

    public RoomPage(String name) {
        this.name = name;
        this.browser = new Chromium(name);
    }

    /** Opens the lobby, fills in the form and joins, as a person would. */
    public RoomPage join(URI base, String room) {
        browser.driver().get(base.toString());
        browser.driver().findElement(By.cssSelector("input[id$='room']")).sendKeys(room);
        browser.driver().findElement(By.cssSelector("input[id$='name']")).sendKeys(name);
        browser.driver().findElement(By.cssSelector("[id$='join']")).click();
        return this;
    }

    public String name() {
        return name;
    }

    public String participantId() {
        Object id = browser.script("return window.videoroom && window.videoroom.participantId;");
        return id == null ? null : id.toString();
    }

    /** Participant id → inbound media counters, for every remote participant listed on the page. */
    @SuppressWarnings("unchecked")
    public Map<String, Inbound> inbound() {
        Object result = browser.async(INBOUND_BY_PARTICIPANT);
        Map<String, Inbound> inbound = new HashMap<>();
        if (result instanceof Map<?, ?> map) {
            map.forEach((id, counters) -> {
                List<Number> c = (List<Number>) counters;
                inbound.put(id.toString(), new Inbound(c.get(0).longValue(), c.get(1).longValue()));
            });
        }
        return inbound;
    }

    /** Display names shown in the participant list, without oneself. */
    @SuppressWarnings("unchecked")
    public List<String> remoteNames() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#participants li[data-participant-id]')].map(li => li.textContent);");
    }

    public String statusText() {
        return browser.driver().findElement(By.id("status")).getText();
    }

    public long remoteTiles() {
        return (Long) browser.script("return document.querySelectorAll('#tiles .tile.remote').length;");
    }

    /** The page's milestones (ms since navigation): joinSent, joined, mediaConnected, firstRemoteFrame, … */
    @SuppressWarnings("unchecked")
    public Map<String, Long> timeline() {
        Object timeline = browser.script("return window.videoroom ? window.videoroom.timeline : {};");
        Map<String, Long> result = new HashMap<>();
        ((Map<String, Object>) timeline).forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }

    public void leave() {
        browser.driver().findElement(By.id("leave")).click();
    }

    public Chromium browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
    }

    /** Polls until the condition holds; fails with the message after the timeout. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
