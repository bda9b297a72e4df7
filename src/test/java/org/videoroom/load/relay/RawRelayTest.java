package org.videoroom.load.relay;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw relay over real loopback sockets: decrypt once, encrypt per member of the sender's room. */
class RawRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final AtomicInteger NEXT_SSRC = new AtomicInteger(0x1000);

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One participant: its link, keys in the client's role and what it received, decrypted. */
    private final class Peer {
        final UdpLink link;
        final SrtpKeyingMaterial keys;
        final SrtpSession srtp;
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final AtomicInteger undecryptable = new AtomicInteger();
        /** Its streams: one the relay forwards (audio, a top layer), one it does not (a lower layer). */
        final int forwarded = NEXT_SSRC.getAndIncrement();
        final int heldBack = NEXT_SSRC.getAndIncrement();

        Peer(RawRelay relay, String room) throws Exception {
            this(relay, room, null);
        }

        Peer(RawRelay relay, String room, IntPredicate forwardedSsrcs) throws Exception {
            link = new UdpLink("127.0.0.1", relay.address());
            closing.add(link);
            byte[] exported = new byte[SrtpProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength()];
            new SecureRandom().nextBytes(exported);
            keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AEAD_AES_128_GCM, exported);
            srtp = SrtpSession.forClient(keys, SrtpConfig.DEFAULT);
            closing.add(srtp);
            relay.addParticipant(room, link.localAddress(), keys,
                    forwardedSsrcs != null ? forwardedSsrcs : ssrc -> ssrc == forwarded);
            link.start((buf, off, len, arrival) -> {
                byte[] copy = Arrays.copyOfRange(buf, off, off + len + SrtpSession.MAX_TAIL_ROOM);
                int n = srtp.decryptRtp(copy, 0, len);
                if (n > 0) {
                    received.add(Arrays.copyOf(copy, n));
                } else {
                    undecryptable.incrementAndGet();
                }
            });
        }

        /** Sends one RTP packet of 100 payload bytes filled with {@code payloadByte}; returns it unencrypted. */
        byte[] send(boolean forward, int sequence, byte payloadByte) throws Exception {
            int ssrc = forward ? forwarded : heldBack;
            byte[] plain = new byte[12 + 100];
            plain[0] = (byte) 0x80;
            plain[1] = 96;
            plain[2] = (byte) (sequence >> 8);
            plain[3] = (byte) sequence;
            plain[8] = (byte) (ssrc >>> 24);
            plain[9] = (byte) (ssrc >>> 16);
            plain[10] = (byte) (ssrc >>> 8);
            plain[11] = (byte) ssrc;
            Arrays.fill(plain, 12, plain.length, payloadByte);
            byte[] wire = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TAIL_ROOM);
            int n = srtp.encryptRtp(wire, 0, plain.length);
            link.send(wire, 0, n);
            return plain;
        }

        byte[] poll(Duration timeout) throws InterruptedException {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for exactly {@code expected} (in any order across senders), then for quiet. */
        void assertReceivesExactly(List<byte[]> expected) throws InterruptedException {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                byte[] packet = poll(WAIT);
                assertNotNull(packet, "packet " + (i + 1) + " of " + expected.size());
                got.add(HexFormat.of().formatHex(packet));
            }
            assertNull(poll(QUIET), "nothing more");
            assertEquals(sortedHex(expected), got.stream().sorted().toList());
            assertEquals(0, undecryptable.get());
        }
    }

    private static List<String> sortedHex(List<byte[]> packets) {
        return packets.stream().map(HexFormat.of()::formatHex).sorted().toList();
    }

    private static void assertEventually(long expected, LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, counter.getAsLong());
    }

    private RawRelay relay() throws Exception {
        RawRelay relay = new RawRelay(new InetSocketAddress("127.0.0.1", 0));
        closing.add(relay);
        return relay;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void forwardsTheChosenStreamsToTheOtherMembersOfTheRoomOnly() throws Exception {
        RawRelay relay = relay();
        List<Peer> roomA = List.of(new Peer(relay, "a"), new Peer(relay, "a"), new Peer(relay, "a"));
        Peer zed = new Peer(relay, "b");
        relay.start();

        List<List<byte[]>> forwardedBy = new ArrayList<>();
        int packets = 5;
        List<Peer> everyone = new ArrayList<>(roomA);
        everyone.add(zed);
        for (int p = 0; p < everyone.size(); p++) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < packets; i++) {
                sent.add(everyone.get(p).send(true, 2 * i, (byte) (16 * p + i)));
                everyone.get(p).send(false, 2 * i + 1, (byte) (16 * p + i + 8));
            }
            forwardedBy.add(sent);
        }

        for (int p = 0; p < roomA.size(); p++) {
            List<byte[]> expected = new ArrayList<>();
            for (int other = 0; other < roomA.size(); other++) {
                if (other != p) {
                    expected.addAll(forwardedBy.get(other));
                }
            }
            roomA.get(p).assertReceivesExactly(expected);
        }
        zed.assertReceivesExactly(List.of());

        assertEquals(4L * 2 * packets, relay.received());
        assertEquals(3L * 2 * packets, relay.forwarded(), "3 senders x 2 others in room a; zed's room has no one else");
        assertEquals(4L * packets, relay.dropped(), "the held-back layers");
        assertTrue(relay.cpuNanos() > 0);
    }

    @Test
    void garbageAndStrangersAreDroppedWithoutDisturbingTheRoom() throws Exception {
        RawRelay relay = relay();
        Peer ada = new Peer(relay, "a");
        Peer bob = new Peer(relay, "a");
        relay.start();
        try (UdpLink stranger = new UdpLink("127.0.0.1", relay.address())) {
            stranger.send(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0x11, 0x11}, 0, 12);
        }
        byte[] junk = new byte[50];
        new SecureRandom().nextBytes(junk);
        junk[0] = (byte) 0x80;
        junk[1] = 96;
        ada.link.send(junk, 0, junk.length); // looks like RTP, does not authenticate
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        ada.link.send(rtcp, 0, rtcp.length);
        ada.link.send(new byte[] {0, 1, 2}, 0, 3); // neither RTP nor RTCP, shorter than any header

        byte[] sent = ada.send(true, 5, (byte) 3);
        assertArrayEquals(sent, bob.poll(WAIT));
        assertEquals(4, relay.dropped());
        assertEquals(5, relay.received());
        assertEventually(1, relay::forwarded); // counted just after the send that bob may already have read
    }

    @Test
    void aParticipantMayJoinWhileMediaFlows() throws Exception {
        RawRelay relay = relay();
        Peer ada = new Peer(relay, "a");
        Peer bob = new Peer(relay, "a");
        relay.start();
        assertArrayEquals(ada.send(true, 1, (byte) 1), bob.poll(WAIT));

        Peer cy = new Peer(relay, "a");
        byte[] sent = ada.send(true, 2, (byte) 2);
        assertArrayEquals(sent, bob.poll(WAIT));
        assertArrayEquals(sent, cy.poll(WAIT));
        assertArrayEquals(cy.send(true, 1, (byte) 3), ada.poll(WAIT));
    }

    @Test
    void aFailingPredicateCostsOnlyItsOwnPackets() throws Exception {
        RawRelay relay = relay();
        Peer broken = new Peer(relay, "a", ssrc -> {
            throw new IllegalStateException("test");
        });
        Peer bob = new Peer(relay, "a");
        relay.start();
        broken.send(true, 1, (byte) 1);
        byte[] sent = bob.send(true, 1, (byte) 2);
        assertArrayEquals(sent, broken.poll(WAIT));
        assertEquals(1, relay.dropped());
    }

    @Test
    void aSourceRegistersOnce() throws Exception {
        RawRelay relay = relay();
        Peer ada = new Peer(relay, "a");
        assertThrows(IllegalArgumentException.class,
                () -> relay.addParticipant("b", ada.link.localAddress(), ada.keys, ssrc -> true));
    }

    @Test
    void closingKeepsTheCpuTimeAndIsIdempotent() throws Exception {
        RawRelay relay = relay();
        Peer ada = new Peer(relay, "a");
        Peer bob = new Peer(relay, "a");
        relay.start();
        assertThrows(IllegalStateException.class, relay::start);
        assertArrayEquals(ada.send(true, 1, (byte) 1), bob.poll(WAIT));

        relay.close();
        long cpu = relay.cpuNanos();
        assertTrue(cpu > 0);
        relay.close();
        assertEquals(cpu, relay.cpuNanos());
        assertThrows(IllegalStateException.class, relay::start);
        assertThrows(IllegalStateException.class,
                () -> relay.addParticipant("a", new InetSocketAddress("127.0.0.1", 9), ada.keys, ssrc -> true));
        ada.send(true, 2, (byte) 2); // the port is gone; the link survives the ICMP error
        assertNull(bob.poll(QUIET));
    }
}
