package org.videoroom.media;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.videoroom.room.Room;
import org.videoroom.room.TrackId;

/**
 * The forwarding state of one room: its published tracks by id, which subscribers look up when they negotiate,
 * and the sessions taking part. Two rooms never share one, so no packet crosses rooms.
 *
 * <p>Thread-safe.
 */
final class RoomMedia {

    private final Room room;
    private final double lossPercent;
    private final Map<TrackId, PublishedTrack> tracks = new ConcurrentHashMap<>();
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    /** Ticked by the engine's timer only. */
    private final DominantSpeaker<PeerSession> speaker = new DominantSpeaker<>();
    /** Who sends with which SSRC: unique per room. */
    private final SsrcOwners ssrcOwners = new SsrcOwners();
    /** Sessions being created for this room; guarded by the engine's map entry (compute). */
    private int reservations;

    RoomMedia(Room room, double lossPercent) {
        this.room = room;
        this.lossPercent = lossPercent;
    }

    Room room() {
        return room;
    }

    double lossPercent() {
        return lossPercent;
    }

    SsrcOwners ssrcOwners() {
        return ssrcOwners;
    }

    PublishedTrack track(TrackId id) {
        return tracks.get(id);
    }

    void add(PublishedTrack track) {
        tracks.put(track.info().id(), track);
    }

    void remove(PublishedTrack track) {
        tracks.remove(track.info().id(), track);
    }

    void reserve() {
        reservations++;
    }

    /** @return true when nothing holds this room media any more */
    boolean unreserve() {
        reservations--;
        return isUnused();
    }

    void join(PeerSession session) {
        sessions.add(session);
    }

    /** @return true when nothing holds this room media any more */
    boolean leave(PeerSession session) {
        sessions.remove(session);
        return isUnused();
    }

    /** The engine's timer: decides the active speaker from everyone's loudness and announces a change. */
    void tickSpeaker(long nowNanos) {
        PeerSession before = speaker.current();
        java.util.Map<PeerSession, Double> loudness = new java.util.HashMap<>();
        for (PeerSession session : sessions) {
            loudness.put(session, session.loudness(nowNanos));
        }
        PeerSession after = speaker.tick(loudness, nowNanos);
        if (after != before) {
            if (before != null) {
                before.dominantSpeaker(false);
            }
            if (after != null) {
                after.dominantSpeaker(true);
            }
        }
    }

    private boolean isUnused() {
        return sessions.isEmpty() && reservations == 0;
    }
}
