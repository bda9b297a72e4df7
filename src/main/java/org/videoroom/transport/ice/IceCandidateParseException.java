package org.videoroom.transport.ice;

/** A {@code candidate:} attribute that does not follow the grammar of RFC 8839 section 5.1. */
public final class IceCandidateParseException extends IceException {

    public IceCandidateParseException(String message) {
        super(message);
    }
}
