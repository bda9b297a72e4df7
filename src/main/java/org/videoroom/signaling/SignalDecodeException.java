package org.videoroom.signaling;

import org.videoroom.signaling.message.ErrorCode;

/** A client message that cannot be decoded; carries the error code the client is told. */
public final class SignalDecodeException extends RuntimeException {

    private final ErrorCode code;

    public SignalDecodeException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
