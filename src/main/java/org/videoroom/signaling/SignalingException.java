package org.videoroom.signaling;

import org.videoroom.signaling.message.ErrorCode;

/** A client request that is refused (undecodable, invalid, or failed); carries the error code the client is told. */
public final class SignalingException extends RuntimeException {

    private final ErrorCode code;

    public SignalingException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
