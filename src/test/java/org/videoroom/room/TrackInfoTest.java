package org.videoroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.videoroom.sdp.MediaKind;

class TrackInfoTest {

    private static final ParticipantId ALICE = new ParticipantId("alice");

    @ParameterizedTest
    @EnumSource(value = MediaKind.class, names = {"AUDIO", "VIDEO"})
    void aTrackIsAudioOrVideo(MediaKind kind) {
        assertEquals(kind, new TrackInfo(TrackId.of(ALICE, "0"), ALICE, kind).kind());
    }

    @ParameterizedTest
    @EnumSource(value = MediaKind.class, names = {"APPLICATION", "TEXT", "MESSAGE"})
    void otherMediaKindsAreNoTrack(MediaKind kind) {
        assertThrows(IllegalArgumentException.class, () -> new TrackInfo(TrackId.of(ALICE, "0"), ALICE, kind));
    }
}
