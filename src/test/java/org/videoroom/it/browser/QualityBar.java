package org.videoroom.it.browser;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The picture a receiver is owed of each publisher: the camera's top layer at its full frame rate, as far as the
 * server controls it (layer choice and forwarding). What it does not control is what the publisher sends: on a busy
 * 2-core machine the fake camera's capture falls from 30 to about 16-22 fps, an encoder that cannot keep up says
 * {@code qualityLimitationReason: "cpu"} and shrinks the picture (a CI run: three Chromiums all at 480x360 and
 * 20 fps, while every receiver got exactly that), and a send-side estimator that reads the scheduler's queues as
 * congestion says {@code "bandwidth"}. So the frame rate owed is 80 % of what the publisher sends, at most the full
 * rate, and a publisher that reports a limitation is owed the size it sends; both are taken as the lower of two
 * samples a second apart, so that a change of its encoder in between is not charged to the server. Whether a
 * publisher gets the bandwidth it should is the uplink's question, which the tests that ask it check on the
 * publisher's own target bitrate.
 */
final class QualityBar {

    private static final double SENT_FPS_SHARE = 0.8;

    private final long fullWidth;
    private final double fullFps;
    private final Map<RoomPage, String> ids = new HashMap<>();
    private Map<String, RoomPage.Quality> previous = Map.of();
    private Map<String, RoomPage.Quality> latest = Map.of();

    QualityBar(long fullWidth, double fullFps) {
        this.fullWidth = fullWidth;
        this.fullFps = fullFps;
    }

    /** Samples every page's getStats once; the publishers' figures become the bar of the next checks. */
    Map<RoomPage, RoomPage.Quality> sample(List<RoomPage> pages) {
        Map<RoomPage, RoomPage.Quality> byPage = new HashMap<>();
        Map<String, RoomPage.Quality> byId = new HashMap<>();
        for (RoomPage page : pages) {
            RoomPage.Quality q = page.quality();
            byPage.put(page, q);
            String id = ids.computeIfAbsent(page, p -> p.participantId());
            if (id == null) {
                ids.remove(page);
            } else {
                byId.put(id, q);
            }
        }
        previous = latest.isEmpty() ? byId : latest;
        latest = byId;
        return byPage;
    }

    /** The width a receiver must see of this publisher. */
    long owedWidth(String publisherId) {
        if (!limited(previous.get(publisherId)) && !limited(latest.get(publisherId))) {
            return fullWidth;
        }
        return Math.min(fullWidth, Math.min(sent(previous, publisherId).width(), sent(latest, publisherId).width()));
    }

    /** The frame rate a receiver must see of this publisher. */
    double owedFps(String publisherId) {
        double sent = Math.min(sent(previous, publisherId).framesPerSecond(),
                sent(latest, publisherId).framesPerSecond());
        return Math.min(fullFps, SENT_FPS_SHARE * sent);
    }

    /** Every one of {@code expected} remote videos at the owed size and frame rate. */
    boolean receivesTop(RoomPage.Quality receiver, int expected) {
        return receiver.received().size() == expected && receiver.received().entrySet().stream()
                .allMatch(e -> e.getValue().width() >= owedWidth(e.getKey())
                        && e.getValue().framesPerSecond() >= owedFps(e.getKey()));
    }

    /** Every one of {@code expected} remote videos at the owed size, whatever its frame rate this second. */
    boolean receivesTopSize(RoomPage.Quality receiver, int expected) {
        return receiver.received().size() == expected && receiver.received().entrySet().stream()
                .allMatch(e -> e.getValue().width() >= owedWidth(e.getKey()));
    }

    /**
     * Every one of {@code expected} remote videos moving at {@code minFps} or more, and, when the receiver's link
     * cannot carry all top layers, at least one of them below the owed size.
     */
    boolean receivesWhatItsLinkCarries(RoomPage.Quality receiver, int expected, double minFps,
                                       boolean topLayersExceedLink) {
        var videos = receiver.received().entrySet();
        return receiver.received().size() == expected
                && videos.stream().allMatch(e -> e.getValue().width() > 0 && e.getValue().framesPerSecond() >= minFps)
                && (!topLayersExceedLink || videos.stream()
                        .anyMatch(e -> e.getValue().width() < owedWidth(e.getKey())));
    }

    /** What each publisher is owed, for the log and the failure message. */
    String describe() {
        StringBuilder sb = new StringBuilder("owed:");
        for (String id : latest.keySet()) {
            sb.append(' ').append(id, 0, Math.min(6, id.length())).append(' ').append(owedWidth(id)).append(" px @ ")
                    .append(Math.round(owedFps(id))).append(" fps");
            if (limited(latest.get(id))) {
                sb.append(" (").append(latest.get(id).sent().limitation()).append(')');
            }
        }
        return sb.toString();
    }

    private static boolean limited(RoomPage.Quality q) {
        return q != null && !q.sent().limitation().isEmpty() && !"none".equals(q.sent().limitation());
    }

    private RoomPage.Video sent(Map<String, RoomPage.Quality> sample, String publisherId) {
        RoomPage.Quality q = sample.get(publisherId);
        return q == null || q.sent().width() == 0 ? new RoomPage.Video(fullWidth, 0, fullFps, 0, "", 0) : q.sent();
    }
}
