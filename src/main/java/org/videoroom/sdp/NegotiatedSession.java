package org.videoroom.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one offer/answer exchange agreed, for the transport and the packet path: the bundle
 * transport's ICE and DTLS parameters of both ends, and one {@link NegotiatedMedia} per m= section
 * in m= line order. Immutable.
 *
 * @param bundleMid the mid of the answerer-tagged m= section, the transport every accepted m=
 *     section shares (RFC 9143 §7.3.1)
 * @param remoteIce the browser's credentials. Its checks arrive as USERNAME
 *     {@code <localIce.ufrag>:<remoteIce.ufrag>} signed with {@code localIce.pwd}; the server's own
 *     checks to it are signed with {@code remoteIce.pwd} (RFC 8445 §7.2.2)
 * @param remoteFingerprints the certificate digests the browser's DTLS certificate must match
 * @param localSetup the server's DTLS role as answered: {@link Setup#PASSIVE}, the DTLS server
 * @param iceControlling true only when the browser is ICE lite and the server is not (RFC 8445
 *     §6.1.1); otherwise the offering browser controls
 * @param remoteTrickle the browser announced {@code a=ice-options:trickle}
 * @param remoteCandidates RTP-component candidates the offer carried; more arrive by trickle
 * @param remoteEndOfCandidates the offer said {@code a=end-of-candidates}
 */
public record NegotiatedSession(String bundleMid, IceCredentials remoteIce, IceCredentials localIce,
        List<Fingerprint> remoteFingerprints, Fingerprint localFingerprint, Setup localSetup, boolean iceControlling,
        boolean remoteTrickle, List<IceCandidate> remoteCandidates, boolean remoteEndOfCandidates,
        List<NegotiatedMedia> media) {

    public NegotiatedSession {
        Objects.requireNonNull(bundleMid, "bundleMid");
        Objects.requireNonNull(remoteIce, "remoteIce");
        Objects.requireNonNull(localIce, "localIce");
        remoteFingerprints = List.copyOf(remoteFingerprints);
        Objects.requireNonNull(localFingerprint, "localFingerprint");
        Objects.requireNonNull(localSetup, "localSetup");
        remoteCandidates = List.copyOf(remoteCandidates);
        media = List.copyOf(media);
    }

    /** The m= section with this mid. */
    public Optional<NegotiatedMedia> media(String mid) {
        return media.stream().filter(m -> m.mid().equals(mid)).findFirst();
    }

    /** The m= sections in this role, in m= line order. */
    public List<NegotiatedMedia> media(MediaRole role) {
        return media.stream().filter(m -> m.role() == role).toList();
    }

    /** True when the server is the DTLS server (it answered {@code a=setup:passive}). */
    public boolean dtlsServer() {
        return localSetup == Setup.PASSIVE;
    }
}
