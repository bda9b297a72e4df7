package org.videoroom.signaling.message;

/** A message the server sends to a browser. Each record is one {@code type} of docs/protocol.md. */
public sealed interface ServerMessage permits Joined, ParticipantJoined, ParticipantLeft, TracksAdded, TracksRemoved,
        Answer, ErrorMessage, ParticipantStateChanged, ChatLine {
}
