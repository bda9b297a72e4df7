package org.videoroom.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.videoroom.media.NegotiationPlan.PublicationPlan;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;

/**
 * What one participant publishes: its {@link PublishedTrack}s (the producers) by the MID of the m-line each
 * came from, kept in step with the negotiation plans and registered with the room's media, where subscribers
 * find them.
 *
 * <p>Thread-safety: the control plane only, under the session's lock.
 */
final class Publications {

    /** What a plan changed, for the room's announcements. */
    record Change(List<TrackInfo> added, List<TrackId> removed) {
    }

    private final RoomMedia roomMedia;
    private final Map<String, PublishedTrack> byMid = new LinkedHashMap<>();

    Publications(RoomMedia roomMedia) {
        this.roomMedia = roomMedia;
    }

    /** Withdraws and closes what the plan withdrew, creates the fresh tracks and keeps the rest. */
    Change apply(NegotiationPlan plan, Function<PublicationPlan, PublishedTrack> create) {
        List<TrackId> removed = new ArrayList<>();
        for (String mid : plan.withdrawn()) {
            PublishedTrack old = byMid.remove(mid);
            removed.add(old.info().id());
            withdraw(old);
        }
        List<TrackInfo> added = new ArrayList<>();
        Map<String, PublishedTrack> next = new LinkedHashMap<>();
        for (PublicationPlan publication : plan.publications()) {
            PublishedTrack track = byMid.get(publication.mid());
            if (publication.fresh()) {
                track = create.apply(publication);
                added.add(track.info());
            }
            next.put(publication.mid(), track);
        }
        byMid.clear();
        byMid.putAll(next);
        next.values().forEach(roomMedia::add);
        return new Change(added, removed);
    }

    /** The tracks in the plan's order (that of its publications). */
    List<PublishedTrack> tracks() {
        return List.copyOf(byMid.values());
    }

    int size() {
        return byMid.size();
    }

    /** Withdraws every track. */
    void close() {
        byMid.values().forEach(this::withdraw);
        byMid.clear();
    }

    private void withdraw(PublishedTrack track) {
        roomMedia.remove(track);
        track.close();
    }
}
