package org.videoroom.load.relay;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw relay over real loopback sockets: decrypt once, encrypt per member of the sender's room. */
class RawRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static int nextSsrc = 0x1000;

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One participant: its link, keys in the client's role and what it received, decrypted. */
    private final class Peer {
        final UdpLink link;
        final SrtpKeyingMaterial keys;
        final SrtpSession srtp;
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        /** Its streams: one the relay forwards (audio, a top layer), one it does not (a lower layer). */
        final int forwarded = nextSsrc++;
        final int heldBack = nextSsrc++;

        Peer(RawRelay relay, String room) throws Exception {
            link = new UdpLink("127.0.0.1", relay.address());
            byte[] exported = new byte[SrtpProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength()];
            new SecureRandom().nextBytes(exported);
            keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.SRTP_AEAD_AES_128_GCM, exported);
            srtp = SrtpSession.forClient(keys, SrtpConfig.DEFAULT);
            relay.addParticipant(room, link.localAddress(), keys, ssrc -> ssrc == forwarded);
            link.start((buf, off, len, arrival) -> {
                byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                int n = srtp.decryptRtp(copy, 0, copy.length);
                if (n > 0) {
                    received.add(Arrays.copyOf(copy, n));
                }
            });
            closing.add(link);
        }

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
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void forwardsTheChosenStreamsToTheOtherMembersOfTheRoomOnly() throws Exception {
        RawRelay relay = new RawRelay(new InetSocketAddress("127.0.0.1", 0));
        closing.add(relay);
        Peer ada = new Peer(relay, "a");
        Peer bob = new Peer(relay, "a");
        Peer cy = new Peer(relay, "a");
        Peer zed = new Peer(relay, "b");
        relay.start();

        byte[] sent = ada.send(true, 1, (byte) 7);
        assertArrayEquals(sent, bob.poll(WAIT));
        assertArrayEquals(sent, cy.poll(WAIT));
        ada.send(false, 2, (byte) 8);
        bob.send(true, 1, (byte) 9);
        assertEquals(9, ada.poll(WAIT)[12]);
        assertEquals(9, cy.poll(WAIT)[12]);

        assertNull(zed.poll(QUIET), "another room gets nothing");
        assertNull(ada.poll(QUIET), "the sender does not get its own packets back, nor a held-back layer");
        assertNull(bob.poll(QUIET));
        assertEquals(4, relay.forwarded());
        assertEquals(1, relay.dropped(), "the held-back layer");
        assertTrue(relay.cpuNanos() > 0);
    }

    @Test
    void garbageAndStrangersAreDroppedWithoutDisturbingTheRoom() throws Exception {
        RawRelay relay = new RawRelay(new InetSocketAddress("127.0.0.1", 0));
        closing.add(relay);
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
        ada.link.send(junk, 0, junk.length); // does not authenticate
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        ada.link.send(rtcp, 0, rtcp.length);

        byte[] sent = ada.send(true, 5, (byte) 3);
        byte[] got = bob.poll(WAIT);
        assertNotNull(got);
        assertArrayEquals(sent, got);
        assertEquals(3, relay.dropped());
        assertEquals(4, relay.received());
    }
}
