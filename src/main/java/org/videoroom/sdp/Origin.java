package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.List;

/**
 * The o= line (RFC 8866 §5.2): {@code <username> <sess-id> <sess-version> <nettype> <addrtype>
 * <unicast-address>}. JSEP (RFC 8829 §5.2.1) fills it with "-", a random 63-bit session id, a
 * version that grows with every new description of the session, and a placeholder address.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param sessionId decimal digits, kept as text because RFC 8866 does not bound its size
 * @param sessionVersion must increase by one in each later description (RFC 3264 §8)
 */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addrType,
        String address) {

    public Origin {
        require(SdpSyntax.isVisible(username), "o= username", username);
        require(SdpSyntax.isDigits(sessionId, 20), "o= sess-id", sessionId);
        require(sessionVersion >= 0, "o= sess-version", sessionVersion);
        require(SdpSyntax.isToken(netType), "o= nettype", netType);
        require(SdpSyntax.isToken(addrType), "o= addrtype", addrType);
        require(SdpSyntax.isVisible(address), "o= address", address);
    }

    /** The origin JSEP writes: {@code - <sessionId> <version> IN IP4 127.0.0.1}. */
    public static Origin jsep(long sessionId, long sessionVersion) {
        require(sessionId >= 0, "o= sess-id", sessionId);
        return new Origin("-", Long.toString(sessionId), sessionVersion, "IN", "IP4", "127.0.0.1");
    }

    /** This origin with another version (for the next description of the same session). */
    public Origin withSessionVersion(long version) {
        return new Origin(username, sessionId, version, netType, addrType, address);
    }

    static Origin parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.size() != 6) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ORIGIN, "expected 6 fields: " + value);
        }
        long version = SdpSyntax.parseUnsigned(f.get(2), 19, Long.MAX_VALUE);
        if (version < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ORIGIN, "sess-version: " + f.get(2));
        }
        return SdpSyntax.build(SdpParseException.Reason.BAD_ORIGIN,
                () -> new Origin(f.get(0), f.get(1), version, f.get(3), f.get(4), f.get(5)));
    }

    /** The value after {@code o=}. */
    public String format() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
