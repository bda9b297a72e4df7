package org.videoroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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

    @Test
    void aTrackCarriesWhatFitsItsKind() {
        TrackId id = TrackId.of(ALICE, "0");
        assertEquals(TrackSource.MICROPHONE, new TrackInfo(id, ALICE, MediaKind.AUDIO).source());
        assertEquals(TrackSource.CAMERA, new TrackInfo(id, ALICE, MediaKind.VIDEO).source());
        assertTrue(new TrackInfo(id, ALICE, MediaKind.VIDEO, TrackSource.SCREEN).isScreen());
        assertThrows(IllegalArgumentException.class, () -> new TrackInfo(id, ALICE, MediaKind.AUDIO,
                TrackSource.SCREEN));
        // What a publisher declares is a label: one that does not fit its line is the line's default.
        assertEquals(TrackSource.MICROPHONE, TrackSource.of(TrackSource.SCREEN, MediaKind.AUDIO));
        assertEquals(TrackSource.CAMERA, TrackSource.of(null, MediaKind.VIDEO));
        assertEquals(TrackSource.SCREEN, TrackSource.of(TrackSource.SCREEN, MediaKind.VIDEO));
        assertEquals(java.util.Optional.of(TrackSource.SCREEN), TrackSource.fromWire("screen"));
        assertEquals(java.util.Optional.empty(), TrackSource.fromWire("Screen"));
    }

    @ParameterizedTest
    @EnumSource(value = MediaKind.class, names = {"APPLICATION", "TEXT", "MESSAGE"})
    void otherMediaKindsAreNoTrack(MediaKind kind) {
        assertThrows(IllegalArgumentException.class, () -> new TrackInfo(TrackId.of(ALICE, "0"), ALICE, kind));
    }
}
