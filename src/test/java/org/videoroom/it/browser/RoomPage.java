package org.videoroom.it.browser;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A participant as a test sees it: one browser on the lobby and then the room page. */
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

    /**
     * What a person would notice, per getStats(): the camera as sent (summed over simulcast encodings: the
     * widest frame, the sum of target bitrates) and each remote participant's video as received.
     */
    public record Quality(Video sent, Map<String, Video> received, long availableOutgoingBitrate) {
        /** The browser's own encoder holds the camera back: it cannot keep up, whatever the network allows. */
        public boolean cpuLimited() {
            return "cpu".equals(sent.limitation());
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("sent ").append(sent.describe());
            if (availableOutgoingBitrate > 0) {
                sb.append(" estimate ").append(availableOutgoingBitrate / 1000).append(" kbit/s");
            }
            sb.append("; received");
            received.forEach((id, v) -> sb.append(' ').append(id, 0, Math.min(6, id.length())).append(": ")
                    .append(v.describe()));
            return sb.toString();
        }
    }

    /** One video stream's figures; {@code targetBitrate} and {@code limitation} only for what is sent. */
    public record Video(long width, long height, double framesPerSecond, long targetBitrate, String limitation,
                        long freezeCount) {
        public String describe() {
            return width + "x" + height + "@" + Math.round(framesPerSecond)
                    + (targetBitrate > 0 ? " target " + targetBitrate / 1000 + " kbit/s" : "")
                    + (limitation != null && !limitation.isEmpty() ? " (" + limitation + ")" : "")
                    + (freezeCount > 0 ? " freezes " + freezeCount : "");
        }
    }

    private static final String QUALITY = """
            const done = arguments[arguments.length - 1];
            const v = window.videoroom;
            if (!v || !v.media) { done(null); return; }
            v.media.peerConnection.getStats().then((stats) => {
              const sent = { w: 0, h: 0, fps: 0, target: 0, limit: '' };
              const byTrack = new Map();
              let estimate = 0;
              stats.forEach((s) => {
                if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
                  estimate = Math.max(estimate, s.availableOutgoingBitrate ?? 0);
                }
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                  if ((s.frameWidth ?? 0) > sent.w) {
                    sent.w = s.frameWidth; sent.h = s.frameHeight ?? 0; sent.fps = s.framesPerSecond ?? 0;
                  }
                  sent.target += s.targetBitrate ?? 0;
                  if (s.qualityLimitationReason && s.qualityLimitationReason !== 'none') {
                    sent.limit = s.qualityLimitationReason;
                  }
                }
                if (s.type === 'inbound-rtp' && s.kind === 'video') byTrack.set(s.trackIdentifier, s);
              });
              const received = {};
              for (const li of document.querySelectorAll('#participants li[data-participant-id]')) {
                const id = li.dataset.participantId;
                for (const track of v.roster.get(id)?.stream?.getVideoTracks() ?? []) {
                  const s = byTrack.get(track.id);
                  if (s) received[id] = [s.frameWidth ?? 0, s.frameHeight ?? 0, s.framesPerSecond ?? 0,
                                         s.freezeCount ?? 0];
                }
              }
              done({ sent: [sent.w, sent.h, sent.fps, sent.target, sent.limit], received, estimate });
            }).catch(() => done(null));
            """;

    private final Browser browser;
    private final String name;

    public RoomPage(String name) {
        this(name, new Chromium(name));
    }

    /** A participant in the given browser (e.g. one in another network namespace). */
    public RoomPage(String name, Browser browser) {
        this.name = name;
        this.browser = browser;
        // What went wrong in the page, for diagnostics(): uncaught errors and console.error lines.
        browser.addInitScript("""
                (() => {
                  window.pageErrors = [];
                  const keep = (text) => { if (window.pageErrors.length < 20) window.pageErrors.push(String(text)); };
                  window.addEventListener('error', (e) => keep(e.message));
                  window.addEventListener('unhandledrejection', (e) => keep(e.reason));
                  const error = console.error.bind(console);
                  console.error = (...args) => { keep(args.join(' ')); error(...args); };
                })();
                """);
    }

    /**
     * Makes this participant's camera smaller than the 720p the page asks for, as a webcam that only does 640x480
     * would be (the page then publishes two simulcast layers instead of three). Three Chromiums encoding 720p
     * simulcast saturate a 2-core machine; a test of the server must not measure that. Call before {@link #join}.
     */
    public RoomPage withCamera(int width, int height) {
        browser.addInitScript("""
                (() => {
                  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
                  navigator.mediaDevices.getUserMedia = (constraints) => {
                    if (constraints && constraints.video) {
                      constraints = { ...constraints, video: { width: { exact: %d }, height: { exact: %d },
                                                               frameRate: { ideal: 30 } } };
                    }
                    return original(constraints);
                  };
                })();
                """.formatted(width, height));
        return this;
    }

    /** Opens the lobby, fills in the form, and joins from the pre-join step, as a person would. */
    public RoomPage join(URI base, String room) {
        browser.open(base);
        browser.type("input[id$='room']", room);
        browser.type("input[id$='name']", name);
        browser.click("[id$='join']");
        awaitPreJoin();
        browser.click("#join-room");
        return this;
    }

    /** Opens a room link (no name in it) at the pre-join step, and waits until that step shows. */
    public RoomPage openRoomLink(URI base, String room) {
        browser.open(base.resolve("room.xhtml?room=" + room));
        awaitPreJoin();
        return this;
    }

    /** At the pre-join step: types the name and clicks Join. */
    public RoomPage joinFromPreJoin() {
        browser.script("document.getElementById('prejoin-name').value = '';");
        browser.type("#prejoin-name", name);
        browser.click("#join-room");
        return this;
    }

    /** What the pre-join step shows: the preview's width, the microphone level, the devices offered. */
    public record PreJoin(long previewWidth, double micLevel, long cameras, long microphones, boolean visible) {
    }

    public PreJoin preJoin() {
        List<?> f = (List<?>) browser.script("""
                const v = document.getElementById('previewVideo');
                return [v.videoWidth, document.getElementById('mic-level').value,
                        document.querySelectorAll('#camera-select option').length,
                        document.querySelectorAll('#mic-select option').length,
                        !document.getElementById('prejoin').hidden];
                """);
        return new PreJoin(number(f.get(0)), ((Number) f.get(1)).doubleValue(), number(f.get(2)), number(f.get(3)),
                Boolean.TRUE.equals(f.get(4)));
    }

    private void awaitPreJoin() {
        // The lobby's submit navigates: wait for the room page's pre-join step (its Join button) to be there.
        await(Duration.ofSeconds(20), name + "'s pre-join step", () -> {
            try {
                return Boolean.TRUE.equals(browser.script(
                        "return !!document.getElementById('join-room') && !!window.videoroom;"));
            } catch (RuntimeException e) {
                return false; // between documents
            }
        });
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

    /** The figures of {@link Quality}, now. */
    @SuppressWarnings("unchecked")
    public Quality quality() {
        Object result = browser.async(QUALITY);
        if (!(result instanceof Map<?, ?> map)) {
            return new Quality(new Video(0, 0, 0, 0, "", 0), Map.of(), 0);
        }
        List<Object> sent = (List<Object>) map.get("sent");
        Video out = new Video(number(sent.get(0)), number(sent.get(1)), ((Number) sent.get(2)).doubleValue(),
                number(sent.get(3)), String.valueOf(sent.get(4)), 0);
        Map<String, Video> received = new HashMap<>();
        ((Map<String, List<Number>>) map.get("received")).forEach((id, f) -> received.put(id,
                new Video(f.get(0).longValue(), f.get(1).longValue(), f.get(2).doubleValue(), 0, "",
                        f.get(3).longValue())));
        return new Quality(out, received, map.get("estimate") instanceof Number n ? n.longValue() : 0);
    }

    /** One encoding of the camera as this page sends it (simulcast: one per rid that carries frames). */
    public record SentLayer(String rid, long width, long height, double framesPerSecond, long bytesSent, long ssrc) {
    }

    /** The camera's encodings that have sent frames, lowest first, per getStats(). */
    @SuppressWarnings("unchecked")
    public List<SentLayer> sentLayers() {
        Object result = browser.async("""
                const done = arguments[arguments.length - 1];
                const v = window.videoroom;
                if (!v || !v.media) { done([]); return; }
                v.media.peerConnection.getStats().then((stats) => {
                  const out = [];
                  stats.forEach((s) => {
                    if (s.type === 'outbound-rtp' && s.kind === 'video' && (s.framesEncoded ?? 0) > 0) {
                      out.push([s.rid ?? '', s.frameWidth ?? 0, s.frameHeight ?? 0, s.framesPerSecond ?? 0,
                                s.bytesSent ?? 0, s.ssrc]);
                    }
                  });
                  out.sort((a, b) => a[2] - b[2]);
                  done(out);
                }).catch(() => done([]));
                """);
        List<SentLayer> layers = new java.util.ArrayList<>();
        for (Object o : result instanceof List<?> list ? list : List.of()) {
            List<Object> f = (List<Object>) o;
            layers.add(new SentLayer(String.valueOf(f.get(0)), number(f.get(1)), number(f.get(2)),
                    ((Number) f.get(3)).doubleValue(), number(f.get(4)), number(f.get(5))));
        }
        return layers;
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    /** Display names shown in the participant list, without oneself. */
    @SuppressWarnings("unchecked")
    public List<String> remoteNames() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#participants li[data-participant-id]')].map(li => li.textContent);");
    }

    /** What the page says of itself, for a failure's message: status, notice, milestones, inbound, errors. */
    public String diagnostics() {
        try {
            return "status \"" + statusText() + "\", notice \"" + browser.script(
                    "return document.getElementById('notice')?.textContent ?? '';") + "\", milestones " + timeline()
                    + ", inbound " + inbound() + ", errors " + browser.script("return window.pageErrors ?? [];")
                    + ", reconnects " + browser.script("return window.videoroom?.reconnectLog ?? [];");
        } catch (RuntimeException e) {
            return "unavailable (" + e + ")";
        }
    }

    public String statusText() {
        return browser.text("#status");
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

    /** One m-section of this page's last offer: its kind, direction and size in bytes. */
    public record OfferSection(String kind, String direction, long bytes) {
    }

    @SuppressWarnings("unchecked")
    public List<OfferSection> offerSections() {
        List<Object> sections = (List<Object>) browser.script("""
                const sdp = window.videoroom.media.peerConnection.localDescription?.sdp ?? '';
                return sdp.split(/\\r\\n(?=m=)/).slice(1).map((m) => [m.substring(2, m.indexOf(' ')),
                  (m.match(/a=(sendonly|recvonly|sendrecv|inactive)/) ?? ['', ''])[1], m.length + 2]);
                """);
        List<OfferSection> out = new java.util.ArrayList<>();
        for (Object o : sections) {
            List<Object> f = (List<Object>) o;
            out.add(new OfferSection(String.valueOf(f.get(0)), String.valueOf(f.get(1)), number(f.get(2))));
        }
        return out;
    }

    /** Saves what this page shows now as {@code target/screenshots/<name>.png} (README shows some); the path. */
    public java.nio.file.Path screenshot(String name) {
        java.nio.file.Path file = java.nio.file.Path.of("target", "screenshots", name + ".png");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, browser.screenshot());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** The width in CSS pixels at which a remote participant's tile is shown now (0 if it has none). */
    public double tileWidth(String participantId) {
        Object width = browser.script("""
                const tile = document.querySelector('#tiles .tile.remote:not(.screen)[data-participant="' + arguments[0] + '"]');
                return tile ? tile.getBoundingClientRect().width : 0;
                """, participantId);
        return ((Number) width).doubleValue();
    }

    /** The value of an input of the page, by id (e.g. the room link). */
    public String value(String id) {
        Object value = browser.script("return document.getElementById(arguments[0])?.value ?? null;", id);
        return value == null ? null : value.toString();
    }

    /** Clicks a control of the room page by its id (mic, camera, leave, chat-send, …). */
    public void press(String id) {
        browser.click("#" + id);
    }

    /** The data attributes of a remote participant's tile (participant, name, audioMuted, videoMuted, …). */
    @SuppressWarnings("unchecked")
    public Map<String, String> tile(String participantId) {
        Object data = browser.script("""
                const tile = document.querySelector('#tiles .tile.remote:not(.screen)[data-participant="' + arguments[0] + '"]');
                return tile ? Object.fromEntries(Object.entries(tile.dataset)) : {};
                """, participantId);
        Map<String, String> result = new HashMap<>();
        ((Map<String, Object>) data).forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    /**
     * A remote participant's screen share as this page shows it: its tile's caption and data attributes, and the
     * video decoded of it (getStats of the track in that tile).
     *
     * @param present whether the page shows a screen tile for that participant at all
     */
    public record ScreenShare(boolean present, String caption, Map<String, String> data, long framesDecoded,
                              long frameWidth, long frameHeight) {
    }

    @SuppressWarnings("unchecked")
    public ScreenShare screenShare(String participantId) {
        Object result = browser.async("""
                const done = arguments[arguments.length - 1];
                const tile = document.querySelector('#screens .tile.screen[data-participant="' + arguments[0] + '"]');
                if (!tile) { done(null); return; }
                const track = tile.querySelector('video').srcObject?.getVideoTracks()[0];
                window.videoroom.media.peerConnection.getStats().then((stats) => {
                  let s = null;
                  stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.trackIdentifier === track?.id) s = r; });
                  done([tile.querySelector('figcaption').textContent, Object.fromEntries(Object.entries(tile.dataset)),
                    s?.framesDecoded ?? 0, s?.frameWidth ?? 0, s?.frameHeight ?? 0]);
                }).catch(() => done(null));
                """, participantId);
        if (!(result instanceof List<?> list)) {
            return new ScreenShare(false, "", Map.of(), 0, 0, 0);
        }
        Map<String, String> data = new HashMap<>();
        ((Map<String, Object>) list.get(1)).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return new ScreenShare(true, String.valueOf(list.get(0)), data, number(list.get(2)), number(list.get(3)),
                number(list.get(4)));
    }

    /** The statistics panel's rows as shown (track, size, fps, kbit/s, loss, jitter); empty while it is closed. */
    @SuppressWarnings("unchecked")
    public List<List<String>> statsRows() {
        List<Object> rows = (List<Object>) browser.script("""
                const panel = document.getElementById('stats-panel');
                if (!panel || panel.hidden) return [];
                return [...panel.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent));
                """);
        List<List<String>> out = new java.util.ArrayList<>();
        for (Object row : rows) {
            out.add(((List<Object>) row).stream().map(String::valueOf).toList());
        }
        return out;
    }

    /** Types a chat line and sends it with the Send button, as a person would. */
    public void chat(String text) {
        browser.type("#chat-input", text);
        browser.click("#chat-send");
    }

    /** One line of the chat log as shown: author, text, and whether the text holds any element (it must not). */
    public record ChatEntry(String name, String text, boolean hasMarkup) {
    }

    @SuppressWarnings("unchecked")
    public List<ChatEntry> chatLog() {
        Object lines = browser.script("""
                return [...document.querySelectorAll('#chat-log li')].map((li) => [
                  li.querySelector('.who')?.textContent ?? '', li.querySelector('.text')?.textContent ?? '',
                  li.querySelector('.text')?.children.length > 0]);
                """);
        List<ChatEntry> log = new java.util.ArrayList<>();
        for (Object o : (List<Object>) lines) {
            List<Object> f = (List<Object>) o;
            log.add(new ChatEntry(String.valueOf(f.get(0)), String.valueOf(f.get(1)), Boolean.TRUE.equals(f.get(2))));
        }
        return log;
    }

    public void leave() {
        browser.click("#leave");
    }

    public Browser browser() {
        return browser;
    }

    @Override
    /**
     * Closes the page as a person closing the tab would (it goes away, so it says leave: without that the server
     * would keep its participant for the reconnect grace period), then the browser.
     */
    public void close() {
        try {
            browser.open(URI.create("about:blank"));
        } catch (RuntimeException e) {
            // A browser that is gone already: nothing left to say.
        } finally {
            browser.close();
        }
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
