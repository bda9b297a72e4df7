package org.videoroom.transport.ice;

/** What {@link IceTransport#addRemoteCandidate} did with a trickled or signalled candidate. */
public enum RemoteCandidateResult {
    /**
     * Valid, and its address may be talked to. Recorded; the connection itself is made from the
     * browser's checks to this address (see {@link IceTransport#addRemoteCandidate}).
     */
    ACCEPTED,
    /** The same address, port and type was added before. */
    DUPLICATE,
    /** Not UDP (e.g. {@code tcp} candidates): our server listens on UDP only. */
    IGNORED_NOT_UDP,
    /** Not component 1: with rtcp-mux and BUNDLE there is no other component. */
    IGNORED_COMPONENT,
    /** Not an IP literal (for example an mDNS {@code .local} name); we never resolve names. */
    IGNORED_NOT_LITERAL,
    /** The address is outside {@link IceConfig#allowedRemoteNetworks()}; we must never send to it. */
    IGNORED_ADDRESS_NOT_ALLOWED,
    /** Port 0: nothing can be sent there. */
    IGNORED_PORT,
    /** A candidate type other than host, srflx, prflx or relay (RFC 8839 allows future tokens). */
    IGNORED_TYPE,
    /** The transport already holds {@link IceTransport#MAX_REMOTE_CANDIDATES}; a browser sends a dozen or so. */
    IGNORED_LIMIT,
    /** The transport is already closed or failed. */
    IGNORED_CLOSED
}
