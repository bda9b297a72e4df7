package org.videoroom.transport.ice;

/**
 * The life of one {@link IceTransport}, named after the W3C {@code RTCIceTransportState} values it
 * corresponds to. A transport only moves forward: NEW, CHECKING, CONNECTED, then FAILED or CLOSED.
 */
public enum IceTransportState {
    /** Created; candidates are known but the remote credentials are not. */
    NEW("new"),
    /** Remote credentials set, connectivity checks running (RFC 8445 section 7). */
    CHECKING("checking"),
    /** A pair is selected and consent is fresh (RFC 7675); media may flow. */
    CONNECTED("connected"),
    /** Checks failed, timed out, consent expired, or the server closed underneath. Terminal. */
    FAILED("failed"),
    /** {@link IceTransport#close()} was called. Terminal. */
    CLOSED("closed");

    private final String w3cName;

    IceTransportState(String w3cName) {
        this.w3cName = w3cName;
    }

    /** The {@code RTCIceTransportState} string, for stats and logs. */
    public String w3cName() {
        return w3cName;
    }

    /** Whether no further transitions can happen. */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
