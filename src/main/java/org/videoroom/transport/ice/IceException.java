package org.videoroom.transport.ice;

/**
 * A control-plane failure of the ICE layer: the shared port cannot be bound, the library rejects
 * its configuration, a transport is used after it was closed, and the like. The packet path never
 * throws it; {@link IceTransport#send} returns an {@link IceSendStatus} instead.
 */
public class IceException extends RuntimeException {

    public IceException(String message) {
        super(message);
    }

    public IceException(String message, Throwable cause) {
        super(message, cause);
    }
}
