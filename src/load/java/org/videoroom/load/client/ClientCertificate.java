package org.videoroom.load.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.videoroom.sdp.Fingerprint;

/**
 * A synthetic browser's own DTLS identity: a self-signed ECDSA P-256 certificate, as a browser's
 * {@code RTCCertificate} is, and the SHA-256 fingerprint its SDP would announce (RFC 8122 §5).
 * Made here rather than with the server's {@code DtlsCertificate}, whose key is not exposed
 * outside its package: the client must hold a key the server never saw.
 *
 * @param der        the certificate, DER-encoded
 * @param privateKey the key the client signs its CertificateVerify with
 */
public record ClientCertificate(byte[] der, ECPrivateKeyParameters privateKey) {

    public ClientCertificate {
        der = der.clone();
    }

    public static ClientCertificate generate() {
        SecureRandom random = new SecureRandom();
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(
                ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), random));
        AsymmetricCipherKeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=browser-stand-in");
        Instant now = Instant.now();
        try {
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic()));
            byte[] der = builder.build(new BcECContentSignerBuilder(
                            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256),
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256))
                    .build(keys.getPrivate()))
                    .getEncoded();
            return new ClientCertificate(der, (ECPrivateKeyParameters) keys.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the browser's SDP carries in {@code a=fingerprint}. */
    public Fingerprint fingerprint() {
        return Fingerprint.ofCertificate(Fingerprint.SHA_256, der);
    }

    @Override
    public byte[] der() {
        return der.clone();
    }
}
