package org.videoroom.transport.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;

/**
 * One DTLS-SRTP handshake between our server and a client of our own, in memory, when the media service starts:
 * the first participant's handshake otherwise pays for loading and compiling the server's and Bouncy Castle's
 * handshake code (about a third of a second of the first room's wait). Run it on a thread that ends afterwards:
 * Bouncy Castle leaves thread-locals on the threads that run its code (see {@link DtlsCertificate#initializeCrypto}).
 */
public final class DtlsWarmUp {

    private static final int TIMEOUT_MS = 10_000;
    private static final int QUEUE = 64;

    private DtlsWarmUp() {
    }

    /**
     * Runs the handshake with {@code certificate} as the server's; returns how long it took in ms.
     *
     * @throws DtlsException if it did not complete (the service works all the same, only colder)
     */
    public static long run(DtlsCertificate certificate, DtlsConfig config) {
        long start = System.nanoTime();
        DtlsCertificate clientCertificate = DtlsCertificate.generate();
        BlockingQueue<byte[]> toClient = new ArrayBlockingQueue<>(QUEUE);
        CompletableFuture<SrtpKeyingMaterial> serverKeys = new CompletableFuture<>();
        ExecutorService handshake = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "videoroom-dtls-warm-up");
            thread.setDaemon(true);
            return thread;
        });
        DtlsServerTransport server = new DtlsServerTransport(certificate, config,
                (buf, off, len) -> toClient.offer(java.util.Arrays.copyOfRange(buf, off, off + len)),
                new DtlsServerTransport.Listener() {
                    @Override
                    public void onDtlsConnected(SrtpProfile profile, SrtpKeyingMaterial keys) {
                        serverKeys.complete(keys);
                    }

                    @Override
                    public void onDtlsFailed(DtlsException cause) {
                        serverKeys.completeExceptionally(cause);
                    }

                    @Override
                    public void onDtlsClosed() {
                    }
                }, handshake, "[warm-up] ");
        try {
            server.setRemoteFingerprint(clientCertificate.fingerprint());
            server.start();
            Client client = new Client(clientCertificate);
            new DTLSClientProtocol().connect(client, new MemoryTransport(toClient, server)).close();
            SrtpKeyingMaterial keys = serverKeys.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!keys.equals(client.keys)) {
                throw new DtlsException(DtlsException.Reason.HANDSHAKE_FAILED, "the two ends exported different keys");
            }
            return (System.nanoTime() - start) / 1_000_000;
        } catch (DtlsException e) {
            throw e;
        } catch (Exception e) {
            throw new DtlsException(DtlsException.Reason.HANDSHAKE_FAILED, "warm-up handshake: " + e, e);
        } finally {
            server.close();
            handshake.shutdownNow();
        }
    }

    /** The server's datagrams in a queue, the client's straight into the server. */
    private record MemoryTransport(BlockingQueue<byte[]> in, DtlsServerTransport server) implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return DtlsServerTransport.MAX_DATAGRAM_BYTES;
        }

        @Override
        public int getSendLimit() {
            return DtlsServerTransport.MAX_DATAGRAM_BYTES;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] datagram = in.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (datagram == null) {
                    return -1;
                }
                int n = Math.min(len, datagram.length);
                System.arraycopy(datagram, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            server.receive(buf, off, len);
        }

        @Override
        public void close() {
        }
    }

    /** A browser's side, as much as the handshake needs: DTLS 1.2, use_srtp, an ECDSA client certificate. */
    private static final class Client extends DefaultTlsClient {
        private final BcTlsCrypto crypto;
        private final DtlsCertificate certificate;
        private volatile SrtpKeyingMaterial keys;

        Client(DtlsCertificate certificate) {
            this(new BcTlsCrypto(new SecureRandom()), certificate);
        }

        private Client(BcTlsCrypto crypto, DtlsCertificate certificate) {
            super(crypto);
            this.crypto = crypto;
            this.certificate = certificate;
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return TIMEOUT_MS; // never for ever: the warm-up thread must end before the deployment does
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            if (extensions == null) {
                extensions = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                    new int[] {SrtpProfile.SRTP_AEAD_AES_128_GCM.id()}, new byte[0]));
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // Our own server: nothing to check, the handshake is what is being warmed.
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    org.bouncycastle.tls.Certificate chain = new org.bouncycastle.tls.Certificate(
                            new TlsCertificate[] {new BcTlsCertificate(crypto, certificate.der())});
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                            certificate.privateKey(), chain,
                            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            SrtpProfile profile = SrtpProfile.SRTP_AEAD_AES_128_GCM;
            keys = SrtpKeyingMaterial.fromExporterOutput(profile, context.exportKeyingMaterial(
                    org.bouncycastle.tls.ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength()));
        }
    }
}
