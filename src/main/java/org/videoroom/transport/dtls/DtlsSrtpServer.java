package org.videoroom.transport.dtls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.Vector;
import java.util.function.Supplier;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;

/**
 * The Bouncy Castle {@code TlsServer} of one DTLS-SRTP handshake: what this SFU offers and how it
 * checks the client.
 *
 * <ul>
 *   <li>DTLS 1.2 only, ECDHE-ECDSA with AES-GCM (RFC 8827 §6.5's mandatory suite first), and the
 *       extended master secret required: Bouncy Castle will not run the RFC 5705 exporter without
 *       it (RFC 7627 §5.4), and every current browser sends it.</li>
 *   <li>{@code use_srtp} (RFC 5764 §4.1.1): the first of {@link DtlsConfig#srtpProfiles()} that the
 *       client offers is chosen and echoed with an empty MKI; with none in common the handshake
 *       ends in a handshake_failure alert, since media without SRTP is useless here.</li>
 *   <li>A client certificate is required (RFC 5763 §5) and must match the {@code a=fingerprint} of
 *       the client's SDP as RFC 8122 §5 says: among the offered fingerprints, those of the
 *       strongest hash function we support; every certificate of the chain must match one. A
 *       mismatch ends in a bad_certificate alert. Bouncy Castle separately checks the
 *       CertificateVerify signature, which proves the client holds the certificate's key.</li>
 *   <li>On completion the SRTP keying material is exported (RFC 5764 §4.2, label
 *       {@code EXTRACTOR-dtls_srtp}, no context).</li>
 * </ul>
 *
 * <p>Used by one handshake thread; the outcome fields are volatile so that
 * {@link DtlsServerTransport} may read them from the thread that sees the handshake end.
 */
final class DtlsSrtpServer extends DefaultTlsServer {
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final DtlsConfig config;
    private static final Set<String> SUPPORTED_HASH_FUNCTIONS =
            Set.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    private final Supplier<List<Fingerprint>> remoteFingerprints;
    private final System.Logger logger;
    private final String logPrefix;

    private volatile SrtpProfile selectedProfile;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile DtlsException failure;
    private volatile boolean closeNotifyReceived;

    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsConfig config,
                   Supplier<List<Fingerprint>> remoteFingerprints, System.Logger logger, String logPrefix) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.config = config;
        this.remoteFingerprints = remoteFingerprints;
        this.logger = logger;
        this.logPrefix = logPrefix;
    }

    /** The keys exported when the handshake completed, or {@code null}. */
    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    /** Why this server aborted the handshake, if it was its own decision; else {@code null}. */
    DtlsException failure() {
        return failure;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return Math.toIntExact(config.handshakeTimeout().toMillis());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        int[] offeredIds = offered == null ? new int[0] : offered.getProtectionProfiles();
        selectedProfile = config.srtpProfiles().stream()
                .filter(profile -> Arrays.stream(offeredIds).anyMatch(id -> id == profile.id()))
                .findFirst()
                .orElseThrow(() -> abort(DtlsException.Reason.NO_COMMON_SRTP_PROFILE,
                        "client offered SRTP profiles " + Arrays.toString(offeredIds) + ", we accept "
                                + config.srtpProfiles(), AlertDescription.handshake_failure));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {selectedProfile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {new BcTlsCertificate(crypto, certificate.der())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // Browsers present ECDSA P-256 certificates by default; RTCPeerConnection.generateCertificate
        // can also make RSA ones, so those are accepted too.
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw abort(DtlsException.Reason.NO_CLIENT_CERTIFICATE, "client sent no certificate",
                    AlertDescription.handshake_failure);
        }
        List<Fingerprint> offered = remoteFingerprints.get();
        List<Fingerprint> preferred = strongestSupported(offered);
        if (preferred.isEmpty()) {
            throw abort(DtlsException.Reason.NO_REMOTE_FINGERPRINT,
                    "no usable remote fingerprint set: " + offered, AlertDescription.certificate_unknown);
        }
        for (TlsCertificate presented : clientCertificate.getCertificateList()) {
            byte[] der = presented.getEncoded();
            if (preferred.stream().noneMatch(fingerprint -> fingerprint.matchesCertificate(der))) {
                throw abort(DtlsException.Reason.FINGERPRINT_MISMATCH,
                        "client certificate " + Fingerprint.ofCertificate(preferred.get(0).hashFunction(), der)
                                + " matches none of " + preferred, AlertDescription.bad_certificate);
            }
        }
    }

    /** RFC 8122 §5: use only the fingerprints of the most preferred hash function offered. */
    private static List<Fingerprint> strongestSupported(List<Fingerprint> offered) {
        return offered.stream()
                .filter(DtlsSrtpServer::supported)
                .max(Comparator.comparingInt(DtlsSrtpServer::strength))
                .map(best -> offered.stream().filter(f -> f.hashFunction().equals(best.hashFunction())).toList())
                .orElse(List.of());
    }

    /**
     * Whether a peer's certificate may be checked against this fingerprint: the SHA family only. RFC 8122 §5
     * drops MD2 and MD5, which the SDP grammar still allows.
     */
    static boolean supported(Fingerprint fingerprint) {
        return SUPPORTED_HASH_FUNCTIONS.contains(fingerprint.hashFunction());
    }

    /** Rank by digest length, for RFC 8122 §5's "most preferred" hash function. */
    static int strength(Fingerprint fingerprint) {
        return fingerprint.digest().length;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        SrtpProfile profile = selectedProfile;
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keyingMaterial = SrtpKeyingMaterial.fromExporterOutput(profile, exported);
        Arrays.fill(exported, (byte) 0);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        }
        logger.log(alertLevel == AlertLevel.fatal ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                () -> logPrefix + "DTLS alert received: " + AlertDescription.getText(alertDescription));
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        logger.log(alertLevel == AlertLevel.fatal ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                () -> logPrefix + "DTLS alert sent: " + AlertDescription.getText(alertDescription)
                        + (message == null ? "" : " (" + message + ")"));
    }

    private TlsFatalAlert abort(DtlsException.Reason reason, String message, short alert) {
        failure = new DtlsException(reason, message);
        return new TlsFatalAlert(alert, message);
    }
}
