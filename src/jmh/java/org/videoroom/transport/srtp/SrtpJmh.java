package org.videoroom.transport.srtp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.videoroom.jmh.Packets;

/**
 * SRTP protect and unprotect of one RTP packet, in place, through {@link SrtpSession} as the transport calls it:
 * the SFU's session ({@link SrtpSession#forServer}) encrypts what it sends and decrypts what a browser sends,
 * under either profile our DTLS negotiates, with jitsi-srtp choosing its AES implementation as in production.
 *
 * <p>Protect re-encrypts the same buffer with a new sequence number each time (send-side replay checking is off,
 * as in production). Unprotect needs a packet the receiver has never seen (replay protection is on): it decrypts
 * a copy of the next of {@link #RING_PACKETS} packets the browser's side ({@link SrtpSession#forClient})
 * protected in setup, with consecutive sequence numbers; after the last, the stream's contexts are dropped
 * ({@link SrtpSession#removeSsrc}) so the ring is new again. The copy (of 100 or 1,200 bytes, from a ring that
 * fits the L3 cache) and one context derivation per ring are part of the figure; {@link RingCopyJmh} measures
 * the copy alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpJmh {

    static final int RING_PACKETS = 4096;

    @Param({"SRTP_AEAD_AES_128_GCM", "SRTP_AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    @Param({"video1200", "audio100"})
    public String packet;

    private SrtpSession server;
    private SrtpSession browser;
    private byte[] work;
    private int length;
    private int sequenceNumber;
    private int ssrc;
    private byte[][] ring;
    private int ringLength;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] exported = new byte[profile.keyingMaterialLength()];
        new java.util.SplittableRandom(7).nextBytes(exported);
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(profile, exported);
        server = SrtpSession.forServer(keys, SrtpConfig.DEFAULT);
        browser = SrtpSession.forClient(keys, SrtpConfig.DEFAULT);
        boolean video = packet.startsWith("video");
        work = video ? Packets.vp8(Packets.VIDEO_BYTES, false) : Packets.opus(Packets.AUDIO_BYTES);
        length = video ? Packets.VIDEO_BYTES : Packets.AUDIO_BYTES;
        ssrc = (int) (video ? Packets.VIDEO_SSRC : Packets.AUDIO_SSRC);

        ring = new byte[RING_PACKETS][];
        for (int i = 0; i < RING_PACKETS; i++) {
            byte[] plain = work.clone();
            setSequenceNumber(plain, i);
            ringLength = browser.encryptRtp(plain, 0, length);
            if (ringLength < 0) {
                throw new IllegalStateException("setup: " + SrtpStatus.of(ringLength));
            }
            ring[i] = plain;
        }
        int check = unprotect();
        if (check != length) {
            throw new IllegalStateException("setup: the ring does not decrypt: " + SrtpStatus.of(check));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
        browser.close();
    }

    /** The SFU encrypts one packet for a subscriber: returns the SRTP length. */
    @Benchmark
    public int protect() {
        setSequenceNumber(work, sequenceNumber++);
        return server.encryptRtp(work, 0, length);
    }

    /** The SFU authenticates and decrypts one packet from a publisher: returns the RTP length. */
    @Benchmark
    public int unprotect() {
        int i = next;
        System.arraycopy(ring[i], 0, work, 0, ringLength);
        int result = server.decryptRtp(work, 0, ringLength);
        if (++i == RING_PACKETS) {
            i = 0;
            server.removeSsrc(ssrc);
        }
        next = i;
        return result;
    }

    private static void setSequenceNumber(byte[] buf, int sequenceNumber) {
        buf[2] = (byte) (sequenceNumber >>> 8);
        buf[3] = (byte) sequenceNumber;
    }
}
