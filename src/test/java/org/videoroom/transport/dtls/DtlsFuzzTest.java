package org.videoroom.transport.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS record layer and handshake entry as a client reaches it over a connected ICE pair: our server (its
 * certificate, SRTP profiles and fingerprint check) under Bouncy Castle's protocol, fed a few fuzzed datagrams as
 * the client's flights. Refusing input is an {@link IOException} (a fatal alert, a timeout, a closed transport);
 * anything else is a finding (see {@link org.videoroom.fuzz.ParserFuzzTest}).
 */
class DtlsFuzzTest {

    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    private static final System.Logger QUIET = System.getLogger(DtlsFuzzTest.class.getName() + ".quiet");

    /** {@code input}: the client's datagrams, each after its length (2 bytes, big-endian; the last may be cut). */
    @FuzzTest(maxDuration = "2h")
    void dtls(byte[] input) {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false);
        DtlsSrtpServer server = new DtlsSrtpServer(CRYPTO, CERTIFICATE, DtlsConfig.DEFAULT, List::of, QUIET, "");
        try {
            protocol.accept(server, new Flights(input));
        } catch (IOException refused) {
            // Alerts, a handshake that cannot go on without more flights, a peer without a matching fingerprint.
        }
    }

    /** The client's datagrams, one per receive; when they run out the transport is closed, not waited on. */
    private static final class Flights implements DatagramTransport {
        private final byte[] input;
        private int next;

        Flights(byte[] input) {
            this.input = input;
        }

        @Override
        public int getReceiveLimit() {
            return DtlsServerTransport.MAX_DATAGRAM_BYTES;
        }

        @Override
        public int getSendLimit() {
            return DtlsConfig.DEFAULT.mtu();
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (next + 2 > input.length) {
                throw new TlsFatalAlert(AlertDescription.close_notify);
            }
            int declared = (input[next] & 0xFF) << 8 | input[next + 1] & 0xFF;
            next += 2;
            int length = Math.min(Math.min(declared, input.length - next), len);
            System.arraycopy(input, next, buf, off, length);
            next += length;
            return length;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            // Our flights go nowhere.
        }

        @Override
        public void close() {
        }
    }
}
