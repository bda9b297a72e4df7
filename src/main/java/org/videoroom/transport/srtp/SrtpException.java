package org.videoroom.transport.srtp;

/**
 * Control-plane failure of the SRTP layer: a session could not be set up (for instance the JVM
 * offers no AES-GCM). Never thrown for a packet; packet outcomes are {@link SrtpStatus} values.
 */
public final class SrtpException extends RuntimeException {
    public SrtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
