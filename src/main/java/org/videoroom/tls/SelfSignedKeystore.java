package org.videoroom.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The https certificate of a server nobody gave one: self-signed, for the configured host names and addresses,
 * kept in a PKCS#12 file so that it survives restarts. Browsers then warn once per certificate, and a person who
 * trusted it (or compared its fingerprint) is not asked again after every restart.
 *
 * <p>The certificate is what current browsers accept from a server: an ECDSA P-256 key, X.509 v3 with the hosts
 * as subjectAltName (browsers ignore the subject's CN), serverAuth as its only extended key usage, not a CA, and
 * valid for {@link #VALIDITY} (under the 398 days browsers allow). A file is reused while its certificate names
 * exactly the configured hosts and stays valid for more than {@link #RENEW_BEFORE}; otherwise a new one replaces
 * it. A file that cannot be read is an error, not a reason to overwrite it: it may be a keystore someone put there.
 *
 * <p>The file is written whole or not at all (a temporary file in the same directory, moved over the old one),
 * readable by its owner only.
 */
public final class SelfSignedKeystore {

    /** How long a generated certificate is valid. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate this close to expiry is replaced at the next start, before browsers refuse it mid-use. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /**
     * The generated file's password. PKCS#12 wants one and the server must be told it, so it cannot be a secret
     * kept from anyone who can read the file; the file's owner-only mode is what protects the key.
     */
    public static final String PASSWORD = "videoroom-self-signed";
    /** Backdating of notBefore, so a browser whose clock runs a little behind still accepts a new certificate. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    /** What {@link #ensure} did. */
    public enum Action { CREATED, REUSED, RENEWED }

    /**
     * The keystore and what happened to it.
     *
     * @param why for {@link Action#RENEWED}, what was wrong with the old certificate; otherwise empty
     */
    public record Result(ServerKeystore keystore, Action action, String why) {
    }

    private final Clock clock;
    private final SecureRandom random;

    public SelfSignedKeystore(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public SelfSignedKeystore() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /**
     * Returns a keystore at {@code file} whose entry {@code alias} holds a key and a certificate for {@code hosts},
     * reusing the file when it still fits and writing a new one when it is missing or does not.
     *
     * @throws TlsSetupException when the file exists but cannot be read, or cannot be written
     */
    public Result ensure(Path file, String alias, CertificateHosts hosts) {
        if (Files.exists(file)) {
            KeyStore existing = Pkcs12.load(file, PASSWORD, "it is damaged or not a keystore this program made;"
                    + " move it away to have a new certificate generated, or name it as videoroom.tls.keystore"
                    + " (with its password) to use it as it is");
            X509Certificate certificate = Pkcs12.serverCertificate(existing, alias);
            String unfit = certificate == null ? "it has no key entry \"" + alias + "\"" : unfit(certificate, hosts);
            if (unfit == null) {
                return new Result(new ServerKeystore(file, PASSWORD, alias, certificate), Action.REUSED, "");
            }
            return new Result(write(file, alias, hosts), Action.RENEWED, unfit);
        }
        return new Result(write(file, alias, hosts), Action.CREATED, "");
    }

    /** Why the certificate cannot be kept, or null when it can. */
    private String unfit(X509Certificate certificate, CertificateHosts hosts) {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!now.plus(RENEW_BEFORE).isBefore(notAfter)) {
            return now.isBefore(notAfter) ? "it expires on " + notAfter : "it expired on " + notAfter;
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return "it is not valid before " + certificate.getNotBefore().toInstant();
        }
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        for (List<?> entry : subjectAltNames(certificate)) {
            int type = (Integer) entry.get(0);
            String value = (String) entry.get(1);
            if (type == GeneralName.dNSName) {
                names.add(value.toLowerCase(Locale.ROOT));
            } else if (type == GeneralName.iPAddress) {
                addresses.add(CertificateHosts.literalAddress(value));
            }
        }
        if (!hosts.sameAs(names, addresses)) {
            return "it is for " + describe(names, addresses) + ", not " + hosts.describe();
        }
        return null;
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            return entries == null ? List.of() : entries;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String describe(Set<String> names, Set<InetAddress> addresses) {
        List<String> all = new ArrayList<>(names);
        addresses.forEach(a -> all.add(a.getHostAddress()));
        return all.isEmpty() ? "no host" : String.join(",", all);
    }

    private ServerKeystore write(Path file, String alias, CertificateHosts hosts) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            X509Certificate certificate = certificate(keyPair, hosts);
            KeyStore keyStore = KeyStore.getInstance(Pkcs12.TYPE);
            keyStore.load(null, null);
            keyStore.setKeyEntry(alias, keyPair.getPrivate(), PASSWORD.toCharArray(),
                    new X509Certificate[] {certificate});
            Path directory = file.toAbsolutePath().getParent();
            createPrivateDirectory(directory);
            Path temporary = Files.createTempFile(directory, ".keystore-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    keyStore.store(out, PASSWORD.toCharArray());
                }
                moveOver(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return new ServerKeystore(file, PASSWORD, alias, certificate);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write the keystore " + file + ": " + e, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 key and certificate", e);
        }
    }

    private X509Certificate certificate(KeyPair keyPair, CertificateHosts hosts)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        // The subject is informative only; the first host makes the browser's certificate viewer readable.
        String first = hosts.dnsNames().isEmpty() ? hosts.addresses().getFirst().getHostAddress()
                : hosts.dnsNames().getFirst();
        X500Name subject = new X500Name("CN=" + first.replaceAll("[,+=\"\\\\<>;]", "") + ",O=videoroom self-signed");
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, random).add(BigInteger.ONE), Date.from(now.minus(CLOCK_SKEW)),
                Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        hosts.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        hosts.addresses().forEach(a -> names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
        // The JDK's own signature and certificate factory: no Bouncy Castle provider is installed or needed.
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Another start made it meanwhile.
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory);
        }
    }

    /** Replaces the target in one step where the file system can; a reader never sees half a keystore. */
    private static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
