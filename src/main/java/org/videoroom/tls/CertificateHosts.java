package org.videoroom.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names and addresses a certificate is for: its subjectAltName entries. A browser checks the host of the URL
 * against exactly these (RFC 6125; the subject's CN is ignored), so an address typed in the address bar must be
 * here as an address, not as a name.
 *
 * @param dnsNames  lower-case DNS names, in the order given, without duplicates
 * @param addresses IP addresses, in the order given, without duplicates
 */
public record CertificateHosts(List<String> dnsNames, List<InetAddress> addresses) {

    /** A DNS name: dot-separated labels of letters, digits and inner hyphens, optionally a leading wildcard. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public CertificateHosts {
        dnsNames = List.copyOf(new LinkedHashSet<>(dnsNames));
        addresses = List.copyOf(new LinkedHashSet<>(addresses));
        if (dnsNames.isEmpty() && addresses.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one host name or address");
        }
    }

    /**
     * Parses a comma-separated list such as {@code "localhost,127.0.0.1,::1,room.example.org"}: IP literals
     * become addresses, everything else must be a DNS name. Nothing is looked up.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static CertificateHosts parse(String commaSeparated) {
        List<String> names = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            InetAddress address = literalAddress(entry);
            if (address != null) {
                addresses.add(address);
            } else {
                String name = entry.toLowerCase(Locale.ROOT);
                if (!DNS_NAME.matcher(name).matches() || name.length() > 253) {
                    throw new IllegalArgumentException("not a host name or IP address: \"" + entry + "\"");
                }
                names.add(name);
            }
        }
        return new CertificateHosts(names, addresses);
    }

    /**
     * This machine as a browser on it or next to it would name it: localhost, the loopback addresses and the
     * machine's host name (when it has one). Other addresses are left to configuration: which of a machine's
     * addresses other people reach it by cannot be told from inside.
     */
    public static CertificateHosts thisMachine() {
        List<String> names = new ArrayList<>(List.of("localhost"));
        String hostName = localHostName();
        if (hostName != null && DNS_NAME.matcher(hostName).matches()) {
            names.add(hostName);
        }
        return new CertificateHosts(names, List.of(literalAddress("127.0.0.1"), literalAddress("::1")));
    }

    /** The entries as given back to {@link #parse}: names first, then addresses. */
    public String describe() {
        List<String> all = new ArrayList<>(dnsNames);
        addresses.forEach(a -> all.add(a.getHostAddress()));
        return String.join(",", all);
    }

    /** Whether a certificate's subjectAltName entries are exactly these, in any order. */
    boolean sameAs(Set<String> otherNames, Set<InetAddress> otherAddresses) {
        return Set.copyOf(dnsNames).equals(otherNames) && Set.copyOf(addresses).equals(otherAddresses);
    }

    /** The address an IP literal stands for, or null when the text is not one (then it is never resolved). */
    static InetAddress literalAddress(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean literal = bare.contains(":") ? bare.matches("[0-9A-Fa-f:.]+") : IPV4.matcher(bare).matches();
        if (!literal) {
            return null;
        }
        // An out-of-range octet would make the JDK take the text for a name and look it up.
        if (!bare.contains(":") && java.util.Arrays.stream(bare.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
        try {
            // A literal is parsed, not looked up.
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"", e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
