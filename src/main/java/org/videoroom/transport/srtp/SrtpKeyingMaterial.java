package org.videoroom.transport.srtp;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, split as RFC 5764 §4.2 lays out the
 * exporter output:
 *
 * <pre>
 *   client_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
 *   server_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
 *   client_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
 *   server_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
 * </pre>
 *
 * <p>The DTLS client (the browser) protects what it sends with the client key and salt; the DTLS
 * server (this SFU) with the server key and salt.
 *
 * <p>Immutable: every array is copied in and out, so callers cannot alter the keys and should not
 * expect {@code ==} on what the accessors return. {@link #toString()} never prints key bytes.
 * Equality compares profile and bytes (in constant time), which tests use to check that both ends
 * of a handshake exported the same material. Thread-safe.
 */
public final class SrtpKeyingMaterial {
    private final SrtpProfile profile;
    private final byte[] clientWriteMasterKey;
    private final byte[] serverWriteMasterKey;
    private final byte[] clientWriteMasterSalt;
    private final byte[] serverWriteMasterSalt;

    /**
     * @throws IllegalArgumentException if a key or salt length does not match {@code profile}
     */
    public SrtpKeyingMaterial(SrtpProfile profile, byte[] clientWriteMasterKey, byte[] serverWriteMasterKey,
                              byte[] clientWriteMasterSalt, byte[] serverWriteMasterSalt) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clientWriteMasterKey = copyOfLength(clientWriteMasterKey, profile.masterKeyLength(), "client key");
        this.serverWriteMasterKey = copyOfLength(serverWriteMasterKey, profile.masterKeyLength(), "server key");
        this.clientWriteMasterSalt = copyOfLength(clientWriteMasterSalt, profile.masterSaltLength(), "client salt");
        this.serverWriteMasterSalt = copyOfLength(serverWriteMasterSalt, profile.masterSaltLength(), "server salt");
    }

    /**
     * Splits the output of the TLS exporter (RFC 5705, label {@code "EXTRACTOR-dtls_srtp"}) in the
     * RFC 5764 §4.2 order.
     *
     * @throws IllegalArgumentException if {@code exported} is not exactly
     *                                  {@link SrtpProfile#keyingMaterialLength()} bytes
     */
    public static SrtpKeyingMaterial fromExporterOutput(SrtpProfile profile, byte[] exported) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(exported, "exported");
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("exported keying material must be "
                    + profile.keyingMaterialLength() + " bytes for " + profile + ", was " + exported.length);
        }
        int key = profile.masterKeyLength();
        int salt = profile.masterSaltLength();
        return new SrtpKeyingMaterial(profile,
                Arrays.copyOfRange(exported, 0, key),
                Arrays.copyOfRange(exported, key, 2 * key),
                Arrays.copyOfRange(exported, 2 * key, 2 * key + salt),
                Arrays.copyOfRange(exported, 2 * key + salt, 2 * key + 2 * salt));
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** The master key the DTLS client (browser) protects its packets with; a copy. */
    public byte[] clientWriteMasterKey() {
        return clientWriteMasterKey.clone();
    }

    /** The master key the DTLS server (this SFU) protects its packets with; a copy. */
    public byte[] serverWriteMasterKey() {
        return serverWriteMasterKey.clone();
    }

    /** The DTLS client's master salt; a copy. */
    public byte[] clientWriteMasterSalt() {
        return clientWriteMasterSalt.clone();
    }

    /** The DTLS server's master salt; a copy. */
    public byte[] serverWriteMasterSalt() {
        return serverWriteMasterSalt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SrtpKeyingMaterial that
                && profile == that.profile
                && MessageDigest.isEqual(clientWriteMasterKey, that.clientWriteMasterKey)
                && MessageDigest.isEqual(serverWriteMasterKey, that.serverWriteMasterKey)
                && MessageDigest.isEqual(clientWriteMasterSalt, that.clientWriteMasterSalt)
                && MessageDigest.isEqual(serverWriteMasterSalt, that.serverWriteMasterSalt);
    }

    @Override
    public int hashCode() {
        // Deliberately not derived from key bytes: a hash code is observable and keys must not leak.
        return profile.hashCode();
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", keys redacted]";
    }

    private static byte[] copyOfLength(byte[] bytes, int length, String what) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, was " + bytes.length);
        }
        return bytes.clone();
    }
}
