package org.videoroom.signaling.message;

/** {@code {"id":"…","name":"…","state":{…}}}: a participant as other participants see it. */
public record ParticipantSummary(String id, String name, StateSummary state) {

    public ParticipantSummary {
        if (state == null) {
            state = StateSummary.INITIAL;
        }
    }

    public ParticipantSummary(String id, String name) {
        this(id, name, StateSummary.INITIAL);
    }
}
