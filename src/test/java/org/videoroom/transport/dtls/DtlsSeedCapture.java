package org.videoroom.transport.dtls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.videoroom.load.client.ClientCertificate;
import org.videoroom.load.client.DtlsSrtpClient;
import org.videoroom.transport.srtp.SrtpProfile;

/**
 * Writes the seeds of {@link DtlsFuzzTest}: a real handshake per SRTP profile, the load tool's DTLS client against our
 * server over an in-memory pipe, and the client's datagrams, each after its 2-byte length, as one seed. Run by hand
 * (README "Fuzzing"): {@code java -cp <test classpath> org.videoroom.transport.dtls.DtlsSeedCapture <directory>}.
 */
final class DtlsSeedCapture {

    private DtlsSeedCapture() {
    }

    static final class Pipe implements DatagramTransport {
        final BlockingQueue<byte[]> in; final BlockingQueue<byte[]> out; final List<byte[]> sent;
        Pipe(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out, List<byte[]> sent) { this.in = in; this.out = out; this.sent = sent; }
        public int getReceiveLimit() { return 1500; }
        public int getSendLimit() { return 1200; }
        public int receive(byte[] b, int o, int l, int w) throws IOException {
            try { byte[] d = in.poll(w, TimeUnit.MILLISECONDS); if (d == null) return -1; System.arraycopy(d, 0, b, o, d.length); return d.length; }
            catch (InterruptedException e) { throw new IOException(e); }
        }
        public void send(byte[] b, int o, int l) { byte[] d = Arrays.copyOfRange(b, o, o + l); if (sent != null) sent.add(d); out.add(d); }
        public void close() {}
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        int n = 0;
        for (SrtpProfile profile : SrtpProfile.values()) {
            DtlsCertificate serverCert = DtlsCertificate.generate();
            ClientCertificate clientCert = ClientCertificate.generate();
            BlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>(), toClient = new LinkedBlockingQueue<>();
            List<byte[]> clientSent = Collections.synchronizedList(new ArrayList<>());
            DtlsSrtpServer server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), serverCert, DtlsConfig.DEFAULT,
                    () -> List.of(clientCert.fingerprint()), System.getLogger("seed"), "");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> s = pool.submit(() -> { DTLSServerProtocol p = new DTLSServerProtocol(); p.setVerifyRequests(false);
                return p.accept(server, new Pipe(toServer, toClient, null)); });
            new DTLSClientProtocol().connect(new DtlsSrtpClient(clientCert, serverCert.fingerprint(), profile),
                    new Pipe(toClient, toServer, clientSent));
            s.get(10, TimeUnit.SECONDS);
            pool.shutdown();
            ByteArrayOutputStream seed = new ByteArrayOutputStream();
            for (byte[] d : clientSent) { seed.write(d.length >> 8); seed.write(d.length); seed.write(d); }
            Files.write(dir.resolve(String.format("seed-%02d.bin", n++)), seed.toByteArray());
            System.out.println(profile + ": " + clientSent.size() + " client datagrams");
        }
    }
}
