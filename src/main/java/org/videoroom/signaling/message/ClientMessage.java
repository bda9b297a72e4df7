package org.videoroom.signaling.message;

/** A message a browser sends to the server. Each record is one {@code type} of docs/protocol.md. */
public sealed interface ClientMessage permits Join, Leave, Offer, Candidate, Viewport, SetState, SendChat {
}
