package org.videoroom.transport.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;

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
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;

/**
 * A Bouncy Castle DTLS 1.2 client playing the browser: offers {@code use_srtp} profiles, presents
 * its own ECDSA certificate (unless told not to) and exports the SRTP keying material itself, so
 * tests can compare both ends.
 */
final class TestDtlsClient extends DefaultTlsClient {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final boolean presentCertificate;
    private final int[] offeredProfiles;

    volatile int selectedProfileId = -1;
    volatile SrtpKeyingMaterial keyingMaterial;
    volatile byte[] serverCertificateDer;
    volatile short lastAlertReceived = -1;

    TestDtlsClient(DtlsCertificate certificate, boolean presentCertificate, int... offeredProfiles) {
        this(new BcTlsCrypto(new SecureRandom()), certificate, presentCertificate, offeredProfiles);
    }

    private TestDtlsClient(BcTlsCrypto crypto, DtlsCertificate certificate, boolean presentCertificate,
                           int... offeredProfiles) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.presentCertificate = presentCertificate;
        this.offeredProfiles = offeredProfiles.clone();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto,
                new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256});
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (selected != null && selected.getProtectionProfiles().length == 1) {
            selectedProfileId = selected.getProtectionProfiles()[0];
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                serverCertificateDer = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                if (!presentCertificate) {
                    return null;
                }
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
        SrtpProfile profile = SrtpProfile.fromId(selectedProfileId).orElseThrow();
        keyingMaterial = SrtpKeyingMaterial.fromExporterOutput(profile,
                context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength()));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        lastAlertReceived = alertDescription;
    }
}
