package org.videoroom.signaling.message;

/** {@code {"type":"error","code":"…","message":"…"}}: a request was refused; see {@link ErrorCode}. */
public record ErrorMessage(ErrorCode code, String message) implements ServerMessage {
}
