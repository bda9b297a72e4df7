package org.videoroom.transport.ice;

/** The outcome of {@link IceTransport#send}; the packet path reports failures as values, never exceptions. */
public enum IceSendStatus {
    /** Handed to the operating system. */
    SENT,
    /** No pair is selected yet; the datagram was dropped and counted. */
    NOT_CONNECTED,
    /** The transport is closed or failed; the datagram was dropped and counted. */
    CLOSED,
    /** The socket refused the datagram (an {@code IOException}); dropped and counted. */
    IO_ERROR
}
