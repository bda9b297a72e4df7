package org.videoroom.tls;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What the https setup is told, from system properties (the build passes Maven properties of the same names):
 *
 * <ul>
 *   <li>{@code videoroom.tls.keystore}: a PKCS#12 file to use as it is; when blank, a self-signed one is kept
 *       in {@code videoroom.tls.dir};</li>
 *   <li>{@code videoroom.tls.keystore-password}, or the environment variable {@code VIDEOROOM_TLS_KEYSTORE_PASSWORD}
 *       (which keeps it off command lines): that file's password;</li>
 *   <li>{@code videoroom.tls.alias}: the key entry the server presents, {@value #DEFAULT_ALIAS} unless set;</li>
 *   <li>{@code videoroom.tls.dir}: where the self-signed keystore lives, {@code ~/.videoroom/tls} unless set
 *       (outside the build directory, so {@code mvn clean} keeps it);</li>
 *   <li>{@code videoroom.tls.hosts}: the self-signed certificate's names and addresses, comma-separated;
 *       when blank, {@link CertificateHosts#thisMachine()};</li>
 *   <li>{@code videoroom.tls.server-properties}: the file to write the server's keystore settings to.</li>
 * </ul>
 *
 * @param configuredKeystore null when none was named
 */
public record TlsSettings(Path configuredKeystore, String configuredPassword, String alias, Path directory,
                          CertificateHosts hosts, Path serverProperties) {

    public static final String DEFAULT_ALIAS = "videoroom";
    static final String PASSWORD_VARIABLE = "VIDEOROOM_TLS_KEYSTORE_PASSWORD";

    /** The file name of the self-signed keystore inside {@link #directory()}. */
    public static final String SELF_SIGNED_FILE = "keystore.p12";

    /** Reads the settings; blank values count as unset, as Maven passes empty properties. */
    public static TlsSettings from(Properties properties, Map<String, String> environment) {
        String keystore = value(properties, "videoroom.tls.keystore");
        String password = value(properties, "videoroom.tls.keystore-password");
        if (password == null) {
            String fromEnvironment = environment.get(PASSWORD_VARIABLE);
            password = fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
        }
        if (keystore != null && password == null) {
            throw new TlsSetupException("videoroom.tls.keystore is " + keystore + " but no password was given: set"
                    + " videoroom.tls.keystore-password or the environment variable " + PASSWORD_VARIABLE);
        }
        String alias = value(properties, "videoroom.tls.alias");
        String directory = value(properties, "videoroom.tls.dir");
        String hosts = value(properties, "videoroom.tls.hosts");
        String serverProperties = value(properties, "videoroom.tls.server-properties");
        if (serverProperties == null) {
            throw new TlsSetupException("videoroom.tls.server-properties must name the file to write the server's"
                    + " keystore settings to");
        }
        CertificateHosts certificateHosts;
        try {
            certificateHosts = hosts == null ? CertificateHosts.thisMachine() : CertificateHosts.parse(hosts);
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException("videoroom.tls.hosts: " + e.getMessage(), e);
        }
        return new TlsSettings(keystore == null ? null : Path.of(keystore).toAbsolutePath(), password,
                alias == null ? DEFAULT_ALIAS : alias,
                directory == null ? Path.of(properties.getProperty("user.home"), ".videoroom", "tls")
                        : Path.of(directory).toAbsolutePath(),
                certificateHosts, Path.of(serverProperties).toAbsolutePath());
    }

    public Path selfSignedFile() {
        return directory.resolve(SELF_SIGNED_FILE);
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
