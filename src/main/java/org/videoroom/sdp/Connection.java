package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;

/**
 * The c= line (RFC 8866 §5.7): {@code <nettype> <addrtype> <connection-address>}. In WebRTC it
 * carries the default candidate's address, or {@code IN IP4 0.0.0.0} before any is known (RFC 8839
 * §4.2.1.1).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param address the connection address, with any multicast /ttl suffix kept as written
 */
public record Connection(String netType, String addrType, String address) {

    /** The placeholder JSEP writes when no candidate is known yet. */
    public static final Connection UNSPECIFIED = new Connection("IN", "IP4", "0.0.0.0");

    public Connection {
        require(SdpSyntax.isToken(netType), "c= nettype", netType);
        require(SdpSyntax.isToken(addrType), "c= addrtype", addrType);
        require(SdpSyntax.isVisible(address), "c= address", address);
    }

    /** {@code IN IP4|IP6 <address>} for a literal IP address. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    static Connection parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.size() != 3) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_CONNECTION, "expected 3 fields: " + value);
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_CONNECTION,
                () -> new Connection(f.get(0), f.get(1), f.get(2)));
    }

    /** The value after {@code c=}. */
    public String format() {
        return netType + " " + addrType + " " + address;
    }
}
