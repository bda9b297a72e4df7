package org.videoroom.tls;

/**
 * A keystore that cannot serve: unreadable, of the wrong kind, without the named key, or a directory that cannot
 * be written. The message says which file and what to do about it, because it is shown to the person who ran
 * the build, not to a caller that could recover.
 */
public final class TlsSetupException extends RuntimeException {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
