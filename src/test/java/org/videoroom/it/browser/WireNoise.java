package org.videoroom.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * Hostile datagrams for the server's shared media port, from a loopback socket no participant owns: random bytes,
 * and packets whose first byte claims STUN, DTLS, RTP and RTCP (RFC 7983), each malformed or unauthenticated.
 */
final class WireNoise {

    private static final int DATAGRAMS_PER_KIND = 200;

    private WireNoise() {
    }

    static void blast(int port) {
        Random random = new Random(7983);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            int[] firstBytes = {-1, 0x00, 0x01, 22, 23, 0x80, 0x90};
            for (int first : firstBytes) {
                for (int i = 0; i < DATAGRAMS_PER_KIND; i++) {
                    byte[] data = new byte[1 + random.nextInt(1200)];
                    random.nextBytes(data);
                    if (first >= 0) {
                        data[0] = (byte) first;
                    }
                    if (first == 0x00 && data.length >= 20) {
                        // A STUN binding request header with the magic cookie, then garbage attributes.
                        data[1] = 0x01;
                        data[4] = 0x21;
                        data[5] = 0x12;
                        data[6] = (byte) 0xA4;
                        data[7] = 0x42;
                    }
                    if (first == 0x90 && data.length > 1) {
                        data[1] = (byte) 200; // RTCP sender report type
                    }
                    socket.send(new DatagramPacket(data, data.length, target));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
