package org.videoroom.load.relay;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * A quick look at the relay's own figure, without the load tool: one publisher sends one stream of
 * {@value #PACKET_BYTES}-byte RTP packets to N subscribers through a {@link RawRelay} on loopback, and the run
 * prints forwarded packets per relay CPU-second over the measured window (after a warm-up for the JIT). The
 * subscribers only count what arrives (the first packet of each is decrypted, as a check), so the machine's
 * cores go to the relay and the publisher.
 *
 * <p>{@code mvn -Pload test-compile exec:exec -Dload.main=org.videoroom.load.relay.RawRelayMicroRun
 * -Dload.args="SUBSCRIBERS PACKETS_PER_SECOND SECONDS"}; a rate of 0 sends as fast as the publisher can, which
 * overflows the relay's socket buffer (the losses are the kernel's and cost the relay nothing).
 */
public final class RawRelayMicroRun {

    static final int PACKET_BYTES = 1200;
    private static final SrtpProfile PROFILE = SrtpProfile.SRTP_AEAD_AES_128_GCM;
    private static final int SSRC = 0x5eed_0001;
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private RawRelayMicroRun() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        SrtpSession.warmUp();
        SplittableRandom random = new SplittableRandom(1);
        List<AutoCloseable> closing = new ArrayList<>();
        try (RawRelay relay = new RawRelay(new InetSocketAddress("127.0.0.1", 0))) {
            SrtpKeyingMaterial publisherKeys = keys(random);
            UdpLink publisher = new UdpLink("127.0.0.1", relay.address());
            closing.add(publisher);
            relay.addParticipant("bench", publisher.localAddress(), publisherKeys, ssrc -> ssrc == SSRC);
            AtomicLong delivered = new AtomicLong();
            AtomicLong checked = new AtomicLong();
            for (int i = 0; i < subscribers; i++) {
                SrtpKeyingMaterial keys = keys(random);
                SrtpSession srtp = SrtpSession.forClient(keys, SrtpConfig.DEFAULT);
                closing.add(srtp);
                UdpLink link = new UdpLink("127.0.0.1", relay.address());
                closing.add(link);
                relay.addParticipant("bench", link.localAddress(), keys, ssrc -> false);
                AtomicBoolean first = new AtomicBoolean(true);
                link.start((buf, off, len, arrival) -> {
                    delivered.incrementAndGet();
                    if (first.getAndSet(false)) {
                        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                        if (srtp.decryptRtp(copy, 0, len) == PACKET_BYTES) {
                            checked.incrementAndGet();
                        }
                    }
                });
            }
            relay.start();

            SrtpSession publisherSrtp = SrtpSession.forClient(publisherKeys, SrtpConfig.DEFAULT);
            closing.add(publisherSrtp);
            byte[] template = new byte[PACKET_BYTES];
            random.nextBytes(template);
            template[0] = (byte) 0x80;
            template[1] = 96;
            template[8] = (byte) (SSRC >>> 24);
            template[9] = (byte) (SSRC >>> 16);
            template[10] = (byte) (SSRC >>> 8);
            template[11] = (byte) SSRC;
            byte[] wire = new byte[PACKET_BYTES + SrtpSession.MAX_TAIL_ROOM];

            long start = System.nanoTime();
            long measureFrom = start + WARM_UP_NANOS;
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long cpu0 = -1;
            long forwarded0 = 0;
            long wall0 = 0;
            for (long now = start; now < end; now = System.nanoTime()) {
                if (cpu0 < 0 && now >= measureFrom) {
                    cpu0 = relay.cpuNanos();
                    forwarded0 = relay.forwarded();
                    wall0 = now;
                }
                long due = rate == 0 ? sent + 64 : (now - start) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    System.arraycopy(template, 0, wire, 0, PACKET_BYTES);
                    int sequence = (int) sent;
                    wire[2] = (byte) (sequence >>> 8);
                    wire[3] = (byte) sequence;
                    wire[4] = (byte) (sent * 3000 >>> 24);
                    wire[5] = (byte) (sent * 3000 >>> 16);
                    wire[6] = (byte) (sent * 3000 >>> 8);
                    wire[7] = (byte) (sent * 3000);
                    int n = publisherSrtp.encryptRtp(wire, 0, PACKET_BYTES);
                    publisher.send(wire, 0, n);
                }
                if (rate != 0) {
                    LockSupport.parkNanos(TICK_NANOS);
                }
            }
            long wall = System.nanoTime() - wall0;
            double cpuSeconds = (relay.cpuNanos() - cpu0) / 1e9;
            long forwarded = relay.forwarded() - forwarded0;
            Thread.sleep(200);
            System.out.printf("raw relay, 1 publisher -> %d subscribers, %d-byte packets, %s, %.1f s measured%n",
                    subscribers, PACKET_BYTES, rate == 0 ? "unpaced" : rate + " packets/s", wall / 1e9);
            System.out.printf("  sent %,d, relay received %,d, forwarded %,d, dropped %,d; subscribers got %,d"
                            + " (%d of %d first packets decrypted)%n",
                    sent, relay.received(), relay.forwarded(), relay.dropped(), delivered.get(), checked.get(),
                    subscribers);
            System.out.printf("  relay CPU %.3f s of %.3f s wall (%.0f %%): %,.0f forwarded packets per relay"
                            + " CPU-second, %.2f us per forwarded packet%n",
                    cpuSeconds, wall / 1e9, 100 * cpuSeconds * 1e9 / wall, forwarded / cpuSeconds,
                    cpuSeconds * 1e6 / forwarded);
        } finally {
            for (AutoCloseable c : closing.reversed()) {
                c.close();
            }
        }
    }

    private static SrtpKeyingMaterial keys(SplittableRandom random) {
        byte[] exported = new byte[PROFILE.keyingMaterialLength()];
        random.nextBytes(exported);
        return SrtpKeyingMaterial.fromExporterOutput(PROFILE, exported);
    }
}
