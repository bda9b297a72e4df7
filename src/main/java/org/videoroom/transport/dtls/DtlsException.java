package org.videoroom.transport.dtls;

import java.util.Objects;

/**
 * A DTLS failure, on the control plane: a malformed fingerprint, a certificate that cannot be
 * made, or a handshake that did not complete. Handshake failures are not thrown at the caller;
 * they reach {@link DtlsServerTransport.Listener#onDtlsFailed(DtlsException)}. Tests and callers
 * branch on {@link #reason()}, never on the message.
 */
public final class DtlsException extends RuntimeException {
    /** Why the DTLS layer gave up. */
    public enum Reason {
        /** An {@code a=fingerprint} value that RFC 8122 §5 does not allow, or a hash we do not support. */
        INVALID_FINGERPRINT,
        /** The self-signed certificate could not be generated. */
        CERTIFICATE_GENERATION,
        /** The handshake reached the client certificate before any remote fingerprint was set. */
        NO_REMOTE_FINGERPRINT,
        /** The client sent no certificate, so there is nothing to check its SDP fingerprint against (RFC 5763 §5). */
        NO_CLIENT_CERTIFICATE,
        /** The client's certificate does not match the fingerprint from its SDP (RFC 8122 §5). */
        FINGERPRINT_MISMATCH,
        /** The client offered no {@code use_srtp} profile we support (RFC 5764 §4.1.1). */
        NO_COMMON_SRTP_PROFILE,
        /** The handshake did not finish within {@link DtlsConfig#handshakeTimeout()}. */
        HANDSHAKE_TIMEOUT,
        /** The peer sent a fatal alert. */
        ALERT_RECEIVED,
        /** Any other handshake or record-layer failure (protocol violation, internal error). */
        HANDSHAKE_FAILED
    }

    private final Reason reason;

    public DtlsException(Reason reason, String message) {
        this(reason, message, null);
    }

    public DtlsException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
