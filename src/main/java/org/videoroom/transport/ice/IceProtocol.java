package org.videoroom.transport.ice;

import org.ice4j.Transport;

/** The transport protocol of a candidate pair, with its SDP token (RFC 8839 section 5.1, RFC 6544). */
public enum IceProtocol {
    UDP("udp"),
    TCP("tcp");

    private final String wire;

    IceProtocol(String wire) {
        this.wire = wire;
    }

    /** As written in a candidate line and in the W3C stats ({@code RTCIceCandidateStats.protocol}). */
    public String wire() {
        return wire;
    }

    /** ice4j's transport of a host candidate; TLS and SSLTCP candidates are never made here. */
    static IceProtocol of(Transport transport) {
        return transport == Transport.TCP ? TCP : UDP;
    }
}
