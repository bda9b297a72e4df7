package org.videoroom.room;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records a participant's room events as readable strings, in order. */
class RecordingListener implements Participant.Listener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onJoined(Participant self, List<ParticipantInfo> others, List<TrackInfo> tracks) {
        events.add("joined " + others.stream().map(p -> p.name().value()).toList()
                + (tracks.isEmpty() ? "" : " " + tracks.stream().map(t -> t.id().value()).toList()));
    }

    @Override
    public void onTracksAdded(List<TrackInfo> tracks) {
        events.add("tracks+" + tracks.stream().map(t -> t.id().value()).toList());
    }

    @Override
    public void onTracksRemoved(List<TrackId> tracks) {
        events.add("tracks-" + tracks.stream().map(TrackId::value).toList());
    }

    @Override
    public void onParticipantJoined(ParticipantInfo participant) {
        events.add("+" + participant.name().value());
    }

    @Override
    public void onParticipantLeft(ParticipantId participant, LeaveReason reason) {
        events.add("-" + participant.value() + " " + reason.wire());
    }

    /** Only screen sharing: the state tests of their own read the rest. */
    @Override
    public void onParticipantState(ParticipantInfo participant) {
        events.add(participant.name().value() + " screen " + participant.state().screen());
    }

    @Override
    public void onRemoved(LeaveReason reason) {
        events.add("removed " + reason.wire());
    }
}
