package org.videoroom.transport.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
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
 * The SFU's DTLS identity: an ECDSA P-256 key pair and a self-signed X.509 certificate over it,
 * whose SHA-256 {@link #fingerprint()} goes into every SDP answer.
 *
 * <p>RFC 8827 §6.5 requires WebRTC endpoints to support DTLS 1.2 with
 * {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256} on the P-256 curve, which is why the key is
 * P-256 and the signature ECDSA with SHA-256. Nobody validates the certificate beyond its
 * fingerprint (the SDP vouches for it), so it carries no extensions; it is valid from a day
 * before creation (clock skew) for {@link #DEFAULT_VALIDITY}, with a random serial number, and is
 * meant to be generated once per application start and shared by all transports.
 *
 * <p>Built with Bouncy Castle's lightweight API only: no JCA provider is registered or needed.
 *
 * <p>Immutable and thread-safe.
 */
public final class DtlsCertificate {
    /** How long a generated certificate stays valid. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    /** Backdating of notBefore, so that a peer whose clock runs behind ours still accepts it. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final X500Name SUBJECT = new X500Name("CN=videoroom");

    private final byte[] der;
    private final ECPrivateKeyParameters privateKey;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Fingerprint fingerprint;

    private DtlsCertificate(byte[] der, ECPrivateKeyParameters privateKey, Instant notBefore, Instant notAfter) {
        this.der = der;
        this.privateKey = privateKey;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.fingerprint = Fingerprint.ofCertificate(Fingerprint.SHA_256, der);
    }

    /**
     * Initializes Bouncy Castle's crypto registrar on a short-lived thread of its own. Its class initializer puts
     * default DH and DSA parameters into a thread-local of the thread that runs it; on an application server's
     * pool thread that entry (Bouncy Castle's classes, and with them our whole WAR) would outlive an undeploy.
     * Call before the first use of Bouncy Castle; once it is initialized, a call only costs a thread start.
     */
    public static void initializeCrypto() {
        Thread init = new Thread(org.bouncycastle.crypto.CryptoServicesRegistrar::getSecureRandom,
                "videoroom-crypto-init");
        init.setDaemon(true);
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Generates a certificate valid for {@link #DEFAULT_VALIDITY} from now. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Clock.systemUTC(), DEFAULT_VALIDITY);
    }

    /**
     * Generates a fresh key pair and certificate.
     *
     * @param random   source of the key and the serial number
     * @param clock    the time the validity window starts from
     * @param validity how long after {@code clock.instant()} the certificate stays valid
     * @throws DtlsException with {@link DtlsException.Reason#CERTIFICATE_GENERATION} if Bouncy
     *                       Castle cannot build or sign it
     */
    public static DtlsCertificate generate(SecureRandom random, Clock clock, Duration validity) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        // Named-curve parameters, so the certificate names secp256r1 by OID as browsers expect.
        ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(p256, random));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

        Instant now = clock.instant();
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant notAfter = now.plus(validity);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    SUBJECT, randomSerial(random), Date.from(notBefore), Date.from(notAfter), SUBJECT,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            // RFC 5758 §3.2: ecdsa-with-SHA256 with the parameters field absent.
            AlgorithmIdentifier signature = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            AlgorithmIdentifier digest = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
            X509CertificateHolder certificate = builder.build(
                    new BcECContentSignerBuilder(signature, digest).build(keyPair.getPrivate()));
            // X.509 times have second precision; report what the certificate actually says.
            return new DtlsCertificate(certificate.getEncoded(), (ECPrivateKeyParameters) keyPair.getPrivate(),
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        } catch (IOException | OperatorCreationException e) {
            throw new DtlsException(DtlsException.Reason.CERTIFICATE_GENERATION, "cannot generate certificate", e);
        }
    }

    /** A positive serial of 64 random bits (RFC 5280 §4.1.2.2 allows up to 20 octets, positive). */
    private static BigInteger randomSerial(SecureRandom random) {
        BigInteger serial = new BigInteger(64, random);
        return serial.signum() == 0 ? BigInteger.ONE : serial;
    }

    /** The SHA-256 fingerprint for {@code a=fingerprint}: {@code fingerprint().format()}. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER encoding of the certificate; a copy. */
    public byte[] encoded() {
        return der.clone();
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The DER bytes without copying, for the TLS layer in this package. */
    byte[] der() {
        return der;
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint.format() + ", until " + notAfter + "]";
    }
}
