package org.videoroom.load.client;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
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
 * The browser's side of DTLS-SRTP in Bouncy Castle: a DTLS 1.2 client that offers {@code use_srtp}
 * (RFC 5764 §4.1.1), authenticates with its own ECDSA certificate, checks the server's
 * certificate against the fingerprint of the server's SDP (RFC 8122 §5, as a browser does), and
 * exports the SRTP keying material when the handshake completes (RFC 5764 §4.2).
 *
 * <p>Used by one handshake thread; the outcome is read after {@code DTLSClientProtocol.connect}
 * returns, so plain fields would do, but they are volatile for the caller's thread's sake.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

    /** Bounds a handshake the server never answers; far above a loopback handshake's few hundred ms. */
    private static final int HANDSHAKE_TIMEOUT_MS = 5000;

    private final BcTlsCrypto crypto;
    private final ClientCertificate certificate;
    private final Fingerprint expectedServerFingerprint;
    private final SrtpProfile offeredProfile;

    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile boolean closeNotifyReceived;

    /**
     * @param offeredProfile the only {@code use_srtp} profile offered, so a test decides which one runs
     */
    public DtlsSrtpClient(ClientCertificate certificate, Fingerprint expectedServerFingerprint,
                   SrtpProfile offeredProfile) {
        this(new BcTlsCrypto(new SecureRandom()), certificate, expectedServerFingerprint, offeredProfile);
    }

    private DtlsSrtpClient(BcTlsCrypto crypto, ClientCertificate certificate, Fingerprint expectedServerFingerprint,
                           SrtpProfile offeredProfile) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.expectedServerFingerprint = expectedServerFingerprint;
        this.offeredProfile = offeredProfile;
    }

    /** The exported keys, or {@code null} before the handshake completed. */
    public SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    /** Whether the server ended the association with close_notify. */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        // RFC 8827 §6.5: the suite every WebRTC endpoint must offer.
        return TlsUtils.getSupportedCipherSuites(crypto,
                new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256});
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return HANDSHAKE_TIMEOUT_MS;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {offeredProfile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        // RFC 5764 §4.1.1: the server answers with exactly one of the offered profiles.
        if (selected == null || selected.getProtectionProfiles().length != 1
                || selected.getProtectionProfiles()[0] != offeredProfile.id()) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                Certificate chain = serverCertificate.getCertificate();
                if (chain.isEmpty() || !expectedServerFingerprint.matchesCertificate(chain.getCertificateAt(0).getEncoded())) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                Certificate chain = new Certificate(
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
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                offeredProfile.keyingMaterialLength());
        keyingMaterial = SrtpKeyingMaterial.fromExporterOutput(offeredProfile, exported);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        }
    }
}
