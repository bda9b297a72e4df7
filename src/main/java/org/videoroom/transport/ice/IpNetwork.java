package org.videoroom.transport.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP network in CIDR notation (RFC 4632 section 3.1 for IPv4, RFC 4291 section 2.3 for IPv6),
 * such as {@code 127.0.0.0/8} or {@code ::1/128}, used to decide which remote addresses the ICE
 * server may talk to.
 *
 * <p>Immutable and thread-safe. {@link #contains} is cheap (two small array copies), because the
 * ICE server calls it for every datagram from a source it has no session with.
 *
 * @param network the network address; host bits beyond {@code prefixLength} must be zero
 * @param prefixLength the number of leading bits that name the network, 0..32 (IPv4) or 0..128 (IPv6)
 */
public record IpNetwork(InetAddress network, int prefixLength) {

    /** IPv4 loopback, RFC 1122 section 3.2.1.3 (g): all of 127.0.0.0/8 is the host itself. */
    public static final IpNetwork IPV4_LOOPBACK = parse("127.0.0.0/8");

    /** IPv6 loopback, RFC 4291 section 2.5.3. */
    public static final IpNetwork IPV6_LOOPBACK = parse("::1/128");

    public IpNetwork {
        Objects.requireNonNull(network, "network");
        int maxBits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > maxBits) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " is outside 0.." + maxBits + " for " + network.getHostAddress());
        }
        byte[] bytes = network.getAddress();
        for (int bit = prefixLength; bit < maxBits; bit++) {
            if ((bytes[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                throw new IllegalArgumentException(
                        "host bits are set in " + network.getHostAddress() + "/" + prefixLength);
            }
        }
    }

    /**
     * Parses {@code address/prefix}, or a bare address meaning a single host (/32 or /128).
     * Only literal addresses are accepted: this never performs a DNS lookup.
     *
     * @throws IllegalArgumentException if the text is not a literal network
     */
    public static IpNetwork parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressText)
                .orElseThrow(() -> new IllegalArgumentException("not a literal IP address: " + cidr));
        int maxBits = address.getAddress().length * 8;
        int prefix;
        if (slash < 0) {
            prefix = maxBits;
        } else {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr, e);
            }
        }
        return new IpNetwork(address, prefix);
    }

    /** A network holding exactly one address. */
    public static IpNetwork host(InetAddress address) {
        return new IpNetwork(address, address.getAddress().length * 8);
    }

    /**
     * Whether {@code address} lies in this network. An IPv4 address never matches an IPv6 network
     * and vice versa (Java already presents IPv4-mapped IPv6 sources as {@link Inet4Address}).
     */
    public boolean contains(InetAddress address) {
        if (address == null || (address instanceof Inet4Address) != (network instanceof Inet4Address)) {
            return false;
        }
        // InetAddress.getAddress() copies; the two small arrays are the only cost of a check.
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        int fullBytes = prefixLength >>> 3;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength & 7;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xFF << (8 - remainingBits)) & 0xFF;
        return (candidate[fullBytes] & mask) == (net[fullBytes] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork other
                && prefixLength == other.prefixLength
                && Arrays.equals(network.getAddress(), other.network.getAddress());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network.getAddress()) + prefixLength;
    }
}
