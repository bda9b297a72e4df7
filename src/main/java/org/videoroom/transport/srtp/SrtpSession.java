package org.videoroom.transport.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * The SRTP/SRTCP transforms of one DTLS-SRTP association (RFC 3711, with AES-GCM per RFC 7714),
 * working in place on the caller's array.
 *
 * <h2>Keys</h2>
 * A session protects with the local side's write key and unprotects with the peer's: the SFU is
 * the DTLS server, so {@link #forServer} encrypts with the server write key and decrypts with the
 * client write key (RFC 5764 §4.2). {@link #forClient} is the mirror image, for tests and for a
 * future client role.
 *
 * <h2>Calling convention</h2>
 * Each packet method takes {@code buf[off, off + len)} and transforms it in place, never
 * allocating or reallocating: the packet keeps its offset, and the method returns its new length
 * ({@code >= 0}) or a negative {@link SrtpStatus#code()} ({@link SrtpStatus#of(int)} decodes it).
 * Bad packets are never thrown about. Decrypting shrinks the packet (tag, and for SRTCP the index,
 * removed); encrypting grows it, so the caller must leave free bytes after the packet:
 * {@link SrtpProfile#rtpAuthTagLength()} for RTP and {@link SrtpProfile#rtcpOverhead()} for RTCP,
 * at most {@link #MAX_TAIL_ROOM} for every supported profile. Without them the result is
 * {@link SrtpStatus#NO_TAIL_ROOM} and the packet is untouched. An {@code off}/{@code len} outside
 * {@code buf} is a caller bug and throws {@link IndexOutOfBoundsException}.
 *
 * <h2>Per-SSRC state</h2>
 * Contexts (rollover counter, replay window, derived session keys) are created on the first packet
 * of an SSRC, one table per direction, each bounded by {@link SrtpConfig#maxSsrcsPerDirection()}
 * with least-recently-used eviction. A decrypt context is kept only once a packet has
 * authenticated under it, so forged packets with invented SSRCs cost a key derivation each but
 * leave nothing behind. Receive-side replay protection is on (a 64-packet window, RFC 3711
 * §3.3.2). Send-side replay checking is off: re-protecting the same RTP sequence number is what a
 * retransmission without RTX does, and it yields the very same bytes.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe. Each of the four transforms (SRTP decrypt, SRTP encrypt, SRTCP decrypt, SRTCP
 * encrypt) is serialized by its own lock and the four run independently. The expected use is one
 * thread per direction, which keeps every lock uncontended.
 */
public final class SrtpSession implements AutoCloseable {
    /**
     * Free bytes an encrypt call may need after the packet, for every supported profile: an
     * SRTCP packet under {@link SrtpProfile#SRTP_AEAD_AES_128_GCM} grows by a 16-byte tag plus the
     * 4-byte SRTCP index.
     */
    public static final int MAX_TAIL_ROOM = 20;

    /** RFC 3550 §5.1: V, P, X, CC, M, PT, sequence number, timestamp, SSRC. */
    private static final int RTP_FIXED_HEADER_LENGTH = 12;
    /** RFC 3711 §3.4: the first header (4 bytes) and the sender SSRC stay in the clear. */
    private static final int RTCP_CLEAR_HEADER_LENGTH = 8;
    /** RFC 3550 §5.3.1: profile-defined 16 bits plus a 16-bit length in 32-bit words. */
    private static final int RTP_EXTENSION_HEADER_LENGTH = 4;
    private static final int RTP_VERSION = 2;

    private final SrtpProfile profile;
    private final SrtpContextFactory encryptFactory;
    private final SrtpContextFactory decryptFactory;
    private final Lane<SrtpCryptoContext> rtpDecrypt;
    private final Lane<SrtpCryptoContext> rtpEncrypt;
    private final Lane<SrtcpCryptoContext> rtcpDecrypt;
    private final Lane<SrtcpCryptoContext> rtcpEncrypt;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SrtpSession(SrtpProfile profile, SrtpContextFactory encryptFactory,
                        SrtpContextFactory decryptFactory, SrtpConfig config) {
        this.profile = profile;
        this.encryptFactory = encryptFactory;
        this.decryptFactory = decryptFactory;
        this.rtpDecrypt = new Lane<>(config.maxSsrcsPerDirection());
        this.rtpEncrypt = new Lane<>(config.maxSsrcsPerDirection());
        this.rtcpDecrypt = new Lane<>(config.maxSsrcsPerDirection());
        this.rtcpEncrypt = new Lane<>(config.maxSsrcsPerDirection());
    }

    /**
     * The session of the DTLS server (this SFU): encrypts with the server write key, decrypts
     * what the client (browser) sends with the client write key.
     *
     * @throws SrtpException if the JVM cannot provide the profile's ciphers
     */
    public static SrtpSession forServer(SrtpKeyingMaterial keyingMaterial, SrtpConfig config) {
        return create(keyingMaterial, config, false);
    }

    /**
     * The session of the DTLS client: encrypts with the client write key, decrypts with the
     * server write key.
     *
     * @throws SrtpException if the JVM cannot provide the profile's ciphers
     */
    public static SrtpSession forClient(SrtpKeyingMaterial keyingMaterial, SrtpConfig config) {
        return create(keyingMaterial, config, true);
    }

    /**
     * Runs jitsi-srtp's one-time, JVM-wide cipher selection now. On first use it benchmarks every
     * AES provider it finds (native OpenSSL, SunJCE, Bouncy Castle) for each mode, which takes
     * seconds; an application calls this once at startup so the first participant does not wait.
     * Idempotent and thread-safe; holds no state of its own.
     */
    public static void warmUp() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            create(SrtpKeyingMaterial.fromExporterOutput(profile, new byte[profile.keyingMaterialLength()]),
                    SrtpConfig.DEFAULT, false).close();
        }
    }

    private static SrtpSession create(SrtpKeyingMaterial keys, SrtpConfig config, boolean localIsClient) {
        Objects.requireNonNull(keys, "keyingMaterial");
        Objects.requireNonNull(config, "config");
        SrtpProfile profile = keys.profile();
        SrtpPolicy rtpPolicy = policy(profile, profile.rtpAuthTagLength());
        SrtpPolicy rtcpPolicy = policy(profile, profile.rtcpAuthTagLength());
        // jitsi-srtp's own logging goes to java.util.logging under this name; it only logs at
        // debug level on the packet path.
        Logger logger = new LoggerImpl(SrtpSession.class.getName());

        byte[] localKey = localIsClient ? keys.clientWriteMasterKey() : keys.serverWriteMasterKey();
        byte[] localSalt = localIsClient ? keys.clientWriteMasterSalt() : keys.serverWriteMasterSalt();
        byte[] remoteKey = localIsClient ? keys.serverWriteMasterKey() : keys.clientWriteMasterKey();
        byte[] remoteSalt = localIsClient ? keys.serverWriteMasterSalt() : keys.clientWriteMasterSalt();
        try {
            // The factories copy the keys; our copies are wiped right after.
            SrtpContextFactory encrypt = new SrtpContextFactory(true, localKey, localSalt, rtpPolicy, rtcpPolicy, logger);
            SrtpContextFactory decrypt = new SrtpContextFactory(false, remoteKey, remoteSalt, rtpPolicy, rtcpPolicy, logger);
            // Derive one context of each kind now: this surfaces a missing cipher here, on the
            // control plane, and moves jitsi-srtp's one-time cipher selection off the first packet.
            encrypt.deriveContext(0, 0);
            encrypt.deriveControlContext(0);
            decrypt.deriveContext(0, 0);
            decrypt.deriveControlContext(0);
            return new SrtpSession(profile, encrypt, decrypt, config);
        } catch (GeneralSecurityException e) {
            throw new SrtpException("cannot set up " + profile, e);
        } finally {
            Arrays.fill(localKey, (byte) 0);
            Arrays.fill(localSalt, (byte) 0);
            Arrays.fill(remoteKey, (byte) 0);
            Arrays.fill(remoteSalt, (byte) 0);
        }
    }

    private static SrtpPolicy policy(SrtpProfile profile, int authTagLength) {
        SrtpPolicy policy = switch (profile) {
            case SRTP_AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(
                    SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLength(),
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20 /* RFC 3711 §4.2.1: 160-bit HMAC-SHA1 key */,
                    authTagLength, profile.masterSaltLength());
            // RFC 7714 §8: the GCM tag authenticates; there is no separate auth key.
            case SRTP_AEAD_AES_128_GCM -> new SrtpPolicy(
                    SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0,
                    authTagLength, profile.masterSaltLength());
        };
        policy.setReceiveReplayEnabled(true);
        policy.setSendReplayEnabled(false);
        return policy;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Authenticates and decrypts an SRTP packet from the peer, in place.
     *
     * @return the plain RTP length (tag removed), or a negative {@link SrtpStatus} code
     */
    public int decryptRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int tag = profile.rtpAuthTagLength();
        int check = checkRtpHeader(buf, off, len, tag);
        Lane<SrtpCryptoContext> lane = rtpDecrypt;
        synchronized (lane) {
            if (check < 0) {
                return lane.count(check);
            }
            if (lane.closed) {
                return lane.count(SrtpStatus.CLOSED.code());
            }
            int ssrc = readInt(buf, off + 8);
            SrtpCryptoContext context = lane.contexts.get(ssrc);
            boolean derived = context == null;
            try {
                if (derived) {
                    context = decryptFactory.deriveContext(ssrc, 0);
                }
                lane.view.wrap(buf, off, len);
                int result = toResult(context.reverseTransformPacket(lane.view, false), lane.view, off);
                if (result >= 0 && derived) {
                    lane.contexts.putIfAbsent(ssrc, context);
                }
                return lane.count(result);
            } catch (GeneralSecurityException e) {
                return lane.count(SrtpStatus.CRYPTO_ERROR.code());
            } catch (RuntimeException e) {
                return lane.count(runtimeFailure(e));
            } finally {
                lane.view.release();
            }
        }
    }

    /**
     * Encrypts and tags an RTP packet for the peer, in place; needs
     * {@link SrtpProfile#rtpAuthTagLength()} free bytes after the packet.
     *
     * @return the SRTP length, or a negative {@link SrtpStatus} code
     */
    public int encryptRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int check = checkRtpHeader(buf, off, len, 0);
        Lane<SrtpCryptoContext> lane = rtpEncrypt;
        synchronized (lane) {
            if (check < 0) {
                return lane.count(check);
            }
            if (buf.length - off - len < profile.rtpAuthTagLength()) {
                return lane.count(SrtpStatus.NO_TAIL_ROOM.code());
            }
            if (lane.closed) {
                return lane.count(SrtpStatus.CLOSED.code());
            }
            int ssrc = readInt(buf, off + 8);
            try {
                SrtpCryptoContext context = lane.contexts.get(ssrc);
                if (context == null) {
                    context = encryptFactory.deriveContext(ssrc, 0);
                    lane.contexts.putIfAbsent(ssrc, context);
                }
                lane.view.wrap(buf, off, len);
                return lane.count(toResult(context.transformPacket(lane.view), lane.view, off));
            } catch (GeneralSecurityException e) {
                return lane.count(SrtpStatus.CRYPTO_ERROR.code());
            } catch (RuntimeException e) {
                return lane.count(runtimeFailure(e));
            } finally {
                lane.view.release();
            }
        }
    }

    /**
     * Authenticates and (if its E flag is set) decrypts a compound SRTCP packet from the peer, in
     * place.
     *
     * @return the plain RTCP length (tag and SRTCP index removed), or a negative {@link SrtpStatus} code
     */
    public int decryptRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int check = checkRtcpHeader(buf, off, len, profile.rtcpOverhead());
        Lane<SrtcpCryptoContext> lane = rtcpDecrypt;
        synchronized (lane) {
            if (check < 0) {
                return lane.count(check);
            }
            if (lane.closed) {
                return lane.count(SrtpStatus.CLOSED.code());
            }
            // RFC 7714 §9.3 puts the E flag in the last word; see SrtpStatus.UNSUPPORTED.
            if (profile == SrtpProfile.SRTP_AEAD_AES_128_GCM && (buf[off + len - 4] & 0x80) == 0) {
                return lane.count(SrtpStatus.UNSUPPORTED.code());
            }
            int senderSsrc = readInt(buf, off + 4);
            SrtcpCryptoContext context = lane.contexts.get(senderSsrc);
            boolean derived = context == null;
            try {
                if (derived) {
                    context = decryptFactory.deriveControlContext(senderSsrc);
                }
                lane.view.wrap(buf, off, len);
                int result = toResult(context.reverseTransformPacket(lane.view), lane.view, off);
                if (result >= 0 && derived) {
                    lane.contexts.putIfAbsent(senderSsrc, context);
                }
                return lane.count(result);
            } catch (GeneralSecurityException e) {
                return lane.count(SrtpStatus.CRYPTO_ERROR.code());
            } catch (RuntimeException e) {
                return lane.count(runtimeFailure(e));
            } finally {
                lane.view.release();
            }
        }
    }

    /**
     * Encrypts and tags a compound RTCP packet for the peer, in place; needs
     * {@link SrtpProfile#rtcpOverhead()} free bytes after the packet.
     *
     * @return the SRTCP length, or a negative {@link SrtpStatus} code
     */
    public int encryptRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int check = checkRtcpHeader(buf, off, len, 0);
        Lane<SrtcpCryptoContext> lane = rtcpEncrypt;
        synchronized (lane) {
            if (check < 0) {
                return lane.count(check);
            }
            if (buf.length - off - len < profile.rtcpOverhead()) {
                return lane.count(SrtpStatus.NO_TAIL_ROOM.code());
            }
            if (lane.closed) {
                return lane.count(SrtpStatus.CLOSED.code());
            }
            int senderSsrc = readInt(buf, off + 4);
            try {
                SrtcpCryptoContext context = lane.contexts.get(senderSsrc);
                if (context == null) {
                    context = encryptFactory.deriveControlContext(senderSsrc);
                    lane.contexts.putIfAbsent(senderSsrc, context);
                }
                lane.view.wrap(buf, off, len);
                return lane.count(toResult(context.transformPacket(lane.view), lane.view, off));
            } catch (GeneralSecurityException e) {
                return lane.count(SrtpStatus.CRYPTO_ERROR.code());
            } catch (RuntimeException e) {
                return lane.count(runtimeFailure(e));
            } finally {
                lane.view.release();
            }
        }
    }

    /**
     * Drops every context of {@code ssrc} (a stream that ended), so a long session does not rely on
     * eviction to reclaim them. A later packet of the same SSRC starts a fresh context.
     */
    public void removeSsrc(int ssrc) {
        for (Lane<?> lane : lanes()) {
            synchronized (lane) {
                lane.contexts.remove(ssrc);
            }
        }
    }

    /** A snapshot of the counters. */
    public SrtpStats stats() {
        return new SrtpStats(rtpDecrypt.snapshot(), rtpEncrypt.snapshot(),
                rtcpDecrypt.snapshot(), rtcpEncrypt.snapshot());
    }

    /**
     * Drops every context and wipes the master keys; afterwards every packet method returns
     * {@link SrtpStatus#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Lane<?> lane : lanes()) {
            synchronized (lane) {
                lane.closed = true;
                lane.contexts.clear();
            }
        }
        encryptFactory.close();
        decryptFactory.close();
    }

    private Lane<?>[] lanes() {
        return new Lane<?>[] {rtpDecrypt, rtpEncrypt, rtcpDecrypt, rtcpEncrypt};
    }

    /**
     * Checks what RFC 3550 §5.1 lets us check before the crypto touches the packet: version 2,
     * and the fixed header, CSRC list and header extension (if X is set) plus {@code tagLength}
     * all inside {@code len}.
     *
     * @return 0, or a negative {@link SrtpStatus} code
     */
    private static int checkRtpHeader(byte[] buf, int off, int len, int tagLength) {
        if (len < RTP_FIXED_HEADER_LENGTH + tagLength) {
            return SrtpStatus.TOO_SHORT.code();
        }
        int first = buf[off] & 0xff;
        if (first >>> 6 != RTP_VERSION) {
            return SrtpStatus.INVALID_PACKET.code();
        }
        int headerLength = RTP_FIXED_HEADER_LENGTH + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (headerLength + RTP_EXTENSION_HEADER_LENGTH + tagLength > len) {
                return SrtpStatus.TOO_SHORT.code();
            }
            int words = ((buf[off + headerLength + 2] & 0xff) << 8) | (buf[off + headerLength + 3] & 0xff);
            headerLength += RTP_EXTENSION_HEADER_LENGTH + 4 * words;
        }
        return headerLength + tagLength > len ? SrtpStatus.TOO_SHORT.code() : 0;
    }

    /**
     * Version 2 and at least the clear header (RFC 3711 §3.4) plus {@code trailerLength}.
     *
     * @return 0, or a negative {@link SrtpStatus} code
     */
    private static int checkRtcpHeader(byte[] buf, int off, int len, int trailerLength) {
        if (len < RTCP_CLEAR_HEADER_LENGTH + trailerLength) {
            return SrtpStatus.TOO_SHORT.code();
        }
        return (buf[off] & 0xff) >>> 6 == RTP_VERSION ? 0 : SrtpStatus.INVALID_PACKET.code();
    }

    private static int toResult(SrtpErrorStatus status, InPlaceBuffer view, int originalOffset) {
        return switch (status) {
            // Cryptex (which may move the offset) is off, so the packet still starts at off.
            case OK -> view.getOffset() == originalOffset ? view.getLength() : SrtpStatus.INVALID_PACKET.code();
            case AUTH_FAIL -> SrtpStatus.AUTH_FAILED.code();
            case REPLAY_FAIL -> SrtpStatus.REPLAY.code();
            case REPLAY_OLD -> SrtpStatus.REPLAY_TOO_OLD.code();
            case INVALID_PACKET -> SrtpStatus.TOO_SHORT.code();
            case FAIL -> SrtpStatus.CRYPTO_ERROR.code();
        };
    }

    /**
     * jitsi-srtp trusts the lengths it is given; the header checks above keep its reads inside the
     * packet, and this catches whatever a malformed packet still manages to provoke, so that bad
     * input never escapes as an exception.
     */
    private static int runtimeFailure(RuntimeException e) {
        return e instanceof InPlaceBuffer.InsufficientTailRoom
                ? SrtpStatus.NO_TAIL_ROOM.code()
                : SrtpStatus.INVALID_PACKET.code();
    }

    private static int readInt(byte[] buf, int at) {
        return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }

    /** One transform's state, guarded by the lane's own monitor. */
    private static final class Lane<C> {
        final SsrcContextTable<C> contexts;
        final InPlaceBuffer view = new InPlaceBuffer();
        final long[] counts = new long[SrtpStatus.values().length];
        boolean closed;

        Lane(int maxSsrcs) {
            this.contexts = new SsrcContextTable<>(maxSsrcs);
        }

        /** Counts {@code result} and passes it through. */
        int count(int result) {
            counts[SrtpStatus.of(result).ordinal()]++;
            return result;
        }

        synchronized SrtpStats.Direction snapshot() {
            Map<SrtpStatus, Long> packets = new EnumMap<>(SrtpStatus.class);
            for (SrtpStatus status : SrtpStatus.values()) {
                packets.put(status, counts[status.ordinal()]);
            }
            return new SrtpStats.Direction(packets, contexts.size(), contexts.evictions());
        }
    }
}
