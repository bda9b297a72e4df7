package org.videoroom.transport.ice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One ICE candidate as carried by an SDP {@code a=candidate} line or a trickled
 * {@code RTCIceCandidate.candidate} string (RFC 8839 section 5.1):
 *
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                       connection-address SP port SP cand-type [SP rel-addr] [SP rel-port]
 *                       *(SP cand-extension)
 * cand-type           = "typ" SP candidate-types       ; host / srflx / prflx / relay / token
 * rel-addr            = "raddr" SP connection-address
 * rel-port            = "rport" SP port
 * cand-extension      = extension-att-name SP extension-att-value
 * </pre>
 *
 * <p>For example {@code candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host}. The same record
 * describes our local candidates (see {@link IceTransport#localCandidates()}) and the browser's
 * remote ones. The address is kept as text because a browser may send an mDNS name instead of an
 * IP literal; {@link IceTransport#addRemoteCandidate} ignores those.
 *
 * <p>Immutable and thread-safe.
 *
 * @param foundation 1 to 32 ice-chars (ALPHA / DIGIT / "+" / "/")
 * @param component the component id, 1..256; 1 (RTP) is the only one with rtcp-mux and BUNDLE
 * @param transport the transport as written, e.g. {@code udp} or {@code tcp} (case-insensitive on the wire)
 * @param priority 0..2^32-1 (RFC 8445 section 5.1.2)
 * @param address the connection address: an IP literal or a host name
 * @param port 0..65535
 * @param type host, srflx, prflx, relay or a future token
 * @param relatedAddress {@code raddr}, or {@code null} when absent
 * @param relatedPort {@code rport}, or -1 when absent
 * @param extensions further name/value pairs in wire order (e.g. {@code generation 0}, {@code ufrag ...})
 */
public record IceCandidate(
        String foundation,
        int component,
        String transport,
        long priority,
        String address,
        int port,
        String type,
        String relatedAddress,
        int relatedPort,
        Map<String, String> extensions) {

    /** The only component a BUNDLEd, rtcp-muxed WebRTC session uses (RFC 8843, RFC 5761). */
    public static final int RTP_COMPONENT = 1;

    private static final long MAX_PRIORITY = 0xFFFF_FFFFL;
    private static final String PREFIX = "candidate:";

    public IceCandidate {
        requireToken(foundation, "foundation");
        if (foundation.length() > 32 || !isIceChars(foundation)) {
            throw new IllegalArgumentException("foundation must be 1*32 ice-char: " + foundation);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component out of range: " + component);
        }
        requireToken(transport, "transport");
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        requireToken(address, "address");
        requirePort(port, "port");
        requireToken(type, "type");
        if (relatedAddress != null) {
            requireToken(relatedAddress, "relatedAddress");
        }
        if (relatedPort != -1) {
            requirePort(relatedPort, "relatedPort");
        }
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extensions, "extensions")));
        extensions.forEach((name, value) -> {
            requireToken(name, "extension name");
            requireToken(value, "extension value");
        });
    }

    /** A host candidate with no related address and no extensions, as we advertise our own. */
    public static IceCandidate host(String foundation, int component, String transport, long priority,
                                    String address, int port) {
        return new IceCandidate(foundation, component, transport, priority, address, port, "host", null, -1, Map.of());
    }

    /** Whether the transport is UDP, the only one our server speaks. */
    public boolean isUdp() {
        return "udp".equalsIgnoreCase(transport);
    }

    /**
     * The attribute value for SDP, {@code candidate:...} (without the {@code a=}), which is also what
     * {@code RTCIceCandidate.candidate} holds in the browser.
     */
    public String toAttributeValue() {
        StringBuilder sb = new StringBuilder(96)
                .append(PREFIX).append(foundation)
                .append(' ').append(component)
                .append(' ').append(transport)
                .append(' ').append(priority)
                .append(' ').append(address)
                .append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort != -1) {
            sb.append(" rport ").append(relatedPort);
        }
        extensions.forEach((name, value) -> sb.append(' ').append(name).append(' ').append(value));
        return sb.toString();
    }

    /**
     * Parses a candidate attribute (RFC 8839 section 5.1). Accepts the value with or without a
     * leading {@code a=} and {@code candidate:}, so both SDP lines and trickled strings work.
     *
     * @throws IceCandidateParseException if the text does not follow the grammar
     */
    public static IceCandidate parse(String text) {
        Objects.requireNonNull(text, "text");
        String value = text.strip();
        if (value.startsWith("a=")) {
            value = value.substring(2);
        }
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        }
        String[] f = value.split(" +");
        if (f.length < 8) {
            throw new IceCandidateParseException("expected at least 8 fields, got " + f.length + ": " + text);
        }
        if (!"typ".equals(f[6])) {
            throw new IceCandidateParseException("expected 'typ' as the 7th field: " + text);
        }
        // Widths from the grammar: component-id 1*3DIGIT, priority 1*10DIGIT, port 1*5DIGIT; the
        // constructor checks the ranges, so a 5-digit port above 65535 still fails there.
        int component = (int) parseNumber(f[1], 3, "component-id", text);
        long priority = parseNumber(f[3], 10, "priority", text);
        int port = (int) parseNumber(f[5], 5, "port", text);
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        int i = 8;
        if (i + 1 < f.length && "raddr".equals(f[i])) {
            relatedAddress = f[i + 1];
            i += 2;
        }
        if (i + 1 < f.length && "rport".equals(f[i])) {
            relatedPort = (int) parseNumber(f[i + 1], 5, "rport", text);
            i += 2;
        }
        if ((f.length - i) % 2 != 0) {
            throw new IceCandidateParseException("extension without a value: " + text);
        }
        for (; i < f.length; i += 2) {
            extensions.put(f[i], f[i + 1]);
        }
        try {
            return new IceCandidate(f[0], component, f[2], priority, f[4], port, f[7],
                    relatedAddress, relatedPort, extensions);
        } catch (IllegalArgumentException e) {
            throw new IceCandidateParseException(e.getMessage() + ": " + text);
        }
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }

    /** Parses 1*maxDigits DIGIT; at most 10 digits, so the value always fits a long. */
    private static long parseNumber(String field, int maxDigits, String name, String text) {
        if (field.isEmpty() || field.length() > maxDigits) {
            throw new IceCandidateParseException(name + " must be 1*" + maxDigits + "DIGIT: " + text);
        }
        long value = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                throw new IceCandidateParseException(name + " is not a number: " + text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void requireToken(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(name + " must be a non-empty token: '" + value + "'");
        }
    }

    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }
}
