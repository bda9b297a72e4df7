package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;
import java.util.Objects;

/**
 * The server's side of the bundle transport, as the answer advertises it: ICE credentials, the
 * DTLS certificate fingerprint, and the host candidates on the shared UDP port (or none, when they
 * are trickled afterwards).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param iceUfrag 4..256 ice-chars (RFC 8839 §5.4)
 * @param icePwd 22..256 ice-chars; with at least 128 bits of randomness (RFC 8445)
 * @param candidates written into the answer, the first UDP one as the default candidate
 * @param endOfCandidates write {@code a=end-of-candidates}: {@code candidates} is all there will be
 * @param iceLite the server runs ICE lite (RFC 8445 §2.5); false for the full ice4j agent
 */
public record LocalTransportParameters(String iceUfrag, String icePwd, Fingerprint fingerprint,
        List<IceCandidate> candidates, boolean endOfCandidates, boolean iceLite) {

    public LocalTransportParameters {
        require(TransportAttributes.isUfrag(iceUfrag), "ice-ufrag", iceUfrag);
        require(TransportAttributes.isPwd(icePwd), "ice-pwd", "(hidden)");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
        for (IceCandidate c : candidates) {
            require(c.component() == 1, "candidate component (rtcp-mux leaves only 1)", c.component());
        }
    }

    /** Full ICE, candidates trickled later. */
    public static LocalTransportParameters trickled(String iceUfrag, String icePwd, Fingerprint fingerprint) {
        return new LocalTransportParameters(iceUfrag, icePwd, fingerprint, List.of(), false, false);
    }

    /** Full ICE with every candidate known now (one shared UDP port), followed by end-of-candidates. */
    public static LocalTransportParameters withCandidates(String iceUfrag, String icePwd, Fingerprint fingerprint,
            List<IceCandidate> candidates) {
        return new LocalTransportParameters(iceUfrag, icePwd, fingerprint, candidates, true, false);
    }
}
