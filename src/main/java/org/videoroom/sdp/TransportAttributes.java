package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ICE and DTLS attributes of one level of a description: {@code a=ice-ufrag},
 * {@code a=ice-pwd}, {@code a=ice-options} (RFC 8839 §5.4, §5.6), {@code a=fingerprint} (RFC 8122
 * §5), {@code a=setup} (RFC 4145 §4), and, at media level, {@code a=candidate} and
 * {@code a=end-of-candidates} (RFC 8839 §5.1, RFC 8840).
 *
 * <p>Chromium writes them in every m= section; Firefox puts the fingerprint at session level. A
 * media-level value overrides the session-level one ({@link #orElse}).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param iceUfrag 4..256 ice-chars
 * @param icePwd 22..256 ice-chars
 * @param fingerprints several are allowed (RFC 8122 §5), one per hash function in practice
 */
public record TransportAttributes(Optional<String> iceUfrag, Optional<String> icePwd, List<String> iceOptions,
        List<Fingerprint> fingerprints, Optional<Setup> setup, List<IceCandidate> candidates, boolean endOfCandidates) {

    /** No transport attributes at this level. */
    public static final TransportAttributes NONE = new TransportAttributes(Optional.empty(), Optional.empty(),
            List.of(), List.of(), Optional.empty(), List.of(), false);

    public TransportAttributes {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        iceUfrag.ifPresent(u -> require(isUfrag(u), "ice-ufrag", u));
        Objects.requireNonNull(icePwd, "icePwd");
        icePwd.ifPresent(p -> require(isPwd(p), "ice-pwd", p));
        iceOptions = List.copyOf(iceOptions);
        for (String option : iceOptions) {
            require(SdpSyntax.isIceChars(option, 1, 256), "ice-option", option);
        }
        fingerprints = List.copyOf(fingerprints);
        Objects.requireNonNull(setup, "setup");
        candidates = List.copyOf(candidates);
    }

    /** RFC 8839 §5.4: ice-ufrag is 4 to 256 ice-chars. */
    static boolean isUfrag(String s) {
        return SdpSyntax.isIceChars(s, 4, 256);
    }

    /** RFC 8839 §5.4: ice-pwd is 22 to 256 ice-chars. */
    static boolean isPwd(String s) {
        return SdpSyntax.isIceChars(s, 22, 256);
    }

    /**
     * The attributes in force at media level: each one present here, else the session-level one
     * from {@code session}. Candidates are media-level only and are not inherited.
     */
    public TransportAttributes orElse(TransportAttributes session) {
        return new TransportAttributes(
                iceUfrag.or(session::iceUfrag),
                icePwd.or(session::icePwd),
                iceOptions.isEmpty() ? session.iceOptions() : iceOptions,
                fingerprints.isEmpty() ? session.fingerprints() : fingerprints,
                setup.or(session::setup),
                candidates,
                endOfCandidates);
    }

    /** True when the ice-options include {@code trickle} (RFC 8840). */
    public boolean trickle() {
        return iceOptions.contains("trickle");
    }

    /** A copy with these candidates. */
    public TransportAttributes withCandidates(List<IceCandidate> newCandidates, boolean complete) {
        return new TransportAttributes(iceUfrag, icePwd, iceOptions, fingerprints, setup, newCandidates, complete);
    }
}
