package org.videoroom.transport.ice;

/** Why {@link IceTransport.Listener#onIceFailed} was called. */
public enum IceFailureReason {
    /** ice4j tried every candidate pair and none succeeded (RFC 8445 section 7.2.5.3.3 / 8.1.2). */
    CHECKS_FAILED,
    /** No pair was selected within {@link IceConfig#connectTimeout()}. */
    CONNECT_TIMEOUT,
    /** The {@link IceServer} that owns the shared port was closed. */
    SERVER_CLOSED
}
