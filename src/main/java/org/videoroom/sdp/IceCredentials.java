package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

/**
 * One end's ICE username fragment and password (RFC 8839 §5.4). STUN checks to that end carry
 * {@code <its ufrag>:<sender ufrag>} and are signed with its password (RFC 8445 §7.2.2).
 *
 * <p>Immutable; safe to share between threads.
 */
public record IceCredentials(String ufrag, String pwd) {

    public IceCredentials {
        require(TransportAttributes.isUfrag(ufrag), "ice-ufrag", ufrag);
        require(TransportAttributes.isPwd(pwd), "ice-pwd", "(hidden)");
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=(hidden)]";
    }
}
