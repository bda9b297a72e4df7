package org.videoroom.transport.dtls;

/**
 * Lifecycle of a {@link DtlsServerTransport}, named as W3C WebRTC's {@code RTCDtlsTransportState}.
 */
public enum DtlsTransportState {
    /** Created; the handshake has not started. */
    NEW("new"),
    /** {@link DtlsServerTransport#start()} was called; the handshake is running. */
    CONNECTING("connecting"),
    /** The handshake completed and SRTP keys were exported. */
    CONNECTED("connected"),
    /** The peer sent close_notify, or {@link DtlsServerTransport#close()} was called. */
    CLOSED("closed"),
    /** The handshake failed, or a fatal alert arrived. */
    FAILED("failed");

    private final String wireName;

    DtlsTransportState(String wireName) {
        this.wireName = wireName;
    }

    /** The W3C enum value, e.g. {@code "connecting"}. */
    public String wireName() {
        return wireName;
    }
}
