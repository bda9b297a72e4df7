package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One ICE candidate as written in SDP and in trickle messages (RFC 8839 §5.1):
 *
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt;
 *           &lt;connection-address&gt; &lt;port&gt; typ &lt;cand-type&gt;
 *           [raddr &lt;connection-address&gt;] [rport &lt;port&gt;] *(&lt;extension-name&gt; &lt;extension-value&gt;)
 * </pre>
 *
 * {@link #parse(String)} and {@link #format()} handle the {@code candidate:...} string alone, as
 * carried in {@code RTCIceCandidate.candidate}; inside a description it follows {@code a=}.
 * {@code tcptype} (RFC 6544 §4.5) is modelled; any other extension (Chromium's {@code generation},
 * {@code ufrag}, {@code network-id}, {@code network-cost}) is kept in order in {@link #extensions()}.
 * The grammar lets {@code typ} be any token, but a type other than host, srflx, prflx and relay is
 * rejected: no ICE agent could pair it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param foundation 1..32 ice-chars
 * @param component 1 for RTP (the only one with rtcp-mux), 2 for RTCP
 * @param transport as written ({@code udp}, {@code UDP}, {@code tcp}); compare ignoring case
 * @param priority unsigned 32-bit (RFC 8445 §5.1.2)
 * @param address IPv4, IPv6 or an (mDNS) host name; never resolved here
 * @param relatedAddress {@code raddr}, for reflexive and relayed candidates
 * @param relatedPort {@code rport}
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
        int port, CandidateType type, Optional<String> relatedAddress, OptionalInt relatedPort,
        Optional<TcpType> tcpType, List<Extension> extensions) {

    /** The attribute name and the prefix of the trickle string. */
    public static final String PREFIX = "candidate:";

    /** RFC 8839 §5.1 cand-type. */
    public enum CandidateType {
        HOST("host"),
        SRFLX("srflx"),
        PRFLX("prflx"),
        RELAY("relay");

        private final String wire;

        CandidateType(String wire) {
            this.wire = wire;
        }

        /** The value after {@code typ}. */
        public String wire() {
            return wire;
        }

        static Optional<CandidateType> fromWire(String wire) {
            for (CandidateType t : values()) {
                if (t.wire.equals(wire)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** RFC 6544 §4.5 tcptype: who opens the TCP connection. */
    public enum TcpType {
        ACTIVE("active"),
        PASSIVE("passive"),
        SO("so");

        private final String wire;

        TcpType(String wire) {
            this.wire = wire;
        }

        /** The value after {@code tcptype}. */
        public String wire() {
            return wire;
        }

        static Optional<TcpType> fromWire(String wire) {
            for (TcpType t : values()) {
                if (t.wire.equals(wire)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** An extension attribute (RFC 8839 §5.1 cand-extension): a name and a value. */
    public record Extension(String name, String value) {
        public Extension {
            require(SdpSyntax.isToken(name), "candidate extension name", name);
            require(SdpSyntax.isVisible(value), "candidate extension value", value);
        }
    }

    public IceCandidate {
        require(SdpSyntax.isIceChars(foundation, 1, 32), "foundation", foundation);
        require(component >= 1 && component <= 256, "component-id", component);
        require(SdpSyntax.isToken(transport), "transport", transport);
        require(priority >= 1 && priority <= SdpSyntax.MAX_UINT32, "priority", priority);
        require(SdpSyntax.isConnectionAddress(address), "connection-address", address);
        require(port >= 0 && port <= 65535, "port", port);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(relatedAddress, "relatedAddress");
        relatedAddress.ifPresent(a -> require(SdpSyntax.isConnectionAddress(a), "raddr", a));
        Objects.requireNonNull(relatedPort, "relatedPort");
        relatedPort.ifPresent(p -> require(p >= 0 && p <= 65535, "rport", p));
        Objects.requireNonNull(tcpType, "tcpType");
        extensions = List.copyOf(extensions);
        for (Extension e : extensions) {
            require(!isModelled(e.name()), "duplicated modelled field as extension", e.name());
        }
    }

    private static boolean isModelled(String name) {
        return name.equals("raddr") || name.equals("rport") || name.equals("tcptype");
    }

    /** A UDP host candidate, the only kind the SFU gathers on its one shared port. */
    public static IceCandidate udpHost(String foundation, long priority, String address, int port) {
        return new IceCandidate(foundation, 1, "udp", priority, address, port, CandidateType.HOST, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), List.of());
    }

    /**
     * Parses the trickle form {@code candidate:<foundation> ...}.
     *
     * @throws SdpParseException with {@link SdpParseException.Reason#BAD_CANDIDATE}
     */
    public static IceCandidate parse(String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (!candidate.startsWith(PREFIX)) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_CANDIDATE, "missing 'candidate:' prefix");
        }
        return parseAttributeValue(candidate.substring(PREFIX.length()));
    }

    /** Parses the text after {@code a=candidate:}. */
    static IceCandidate parseAttributeValue(String value) {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 8 || !w.get(6).equals("typ")) {
            throw bad("expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>'", value);
        }
        long component = SdpSyntax.parseUnsigned(w.get(1), 3, 256);
        long priority = SdpSyntax.parseUnsigned(w.get(3), 10, SdpSyntax.MAX_UINT32);
        long port = SdpSyntax.parseUnsigned(w.get(5), 5, 65535);
        if (component < 1 || priority < 1 || port < 0) {
            throw bad("component, priority or port out of range", value);
        }
        CandidateType type = CandidateType.fromWire(w.get(7)).orElseThrow(() -> SdpParseException.of(
                SdpParseException.Reason.UNKNOWN_CANDIDATE_TYPE, "unknown candidate type: " + value));
        if ((w.size() - 8) % 2 != 0) {
            throw bad("extension without a value", value);
        }
        String raddr = null;
        long rport = -1;
        TcpType tcpType = null;
        List<Extension> extensions = new ArrayList<>();
        // raddr and rport are matched by name rather than position: the grammar orders them, but a
        // misplaced one must not be taken for an unknown extension and silently misread.
        for (int i = 8; i < w.size(); i += 2) {
            String name = w.get(i);
            String v = w.get(i + 1);
            switch (name) {
                case "raddr" -> {
                    if (raddr != null) {
                        throw bad("two raddr", value);
                    }
                    raddr = v;
                }
                case "rport" -> {
                    if (rport >= 0) {
                        throw bad("two rport", value);
                    }
                    rport = SdpSyntax.parseUnsigned(v, 5, 65535);
                    if (rport < 0) {
                        throw bad("rport out of range", value);
                    }
                }
                case "tcptype" -> {
                    if (tcpType != null) {
                        throw bad("two tcptype", value);
                    }
                    tcpType = TcpType.fromWire(v).orElseThrow(() -> bad("unknown tcptype", value));
                }
                default -> extensions.add(
                        SdpSyntax.build(SdpParseException.Reason.BAD_CANDIDATE, () -> new Extension(name, v)));
            }
        }
        Optional<String> ra = Optional.ofNullable(raddr);
        OptionalInt rp = rport < 0 ? OptionalInt.empty() : OptionalInt.of((int) rport);
        Optional<TcpType> tt = Optional.ofNullable(tcpType);
        return SdpSyntax.build(SdpParseException.Reason.BAD_CANDIDATE, () -> new IceCandidate(w.get(0), (int) component,
                w.get(2), priority, w.get(4), (int) port, type, ra, rp, tt, extensions));
    }

    private static SdpParseException bad(String what, String value) {
        return SdpParseException.of(SdpParseException.Reason.BAD_CANDIDATE, what + ": " + value);
    }

    /** The trickle form, {@code candidate:<foundation> ...}. */
    public String format() {
        return PREFIX + attributeValue();
    }

    /** The text after {@code a=candidate:}. */
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(128);
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type.wire());
        relatedAddress.ifPresent(a -> sb.append(" raddr ").append(a));
        relatedPort.ifPresent(p -> sb.append(" rport ").append(p));
        tcpType.ifPresent(t -> sb.append(" tcptype ").append(t.wire()));
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return sb.toString();
    }

    /** True for a UDP candidate. */
    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** True for a TCP candidate (RFC 6544). */
    public boolean isTcp() {
        return transport.equalsIgnoreCase("tcp");
    }

    /** The value of an extension attribute, if present. */
    public Optional<String> extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return Optional.of(e.value());
            }
        }
        return Optional.empty();
    }

    /** Chromium's {@code ufrag} extension: which ICE generation the candidate belongs to. */
    public Optional<String> ufrag() {
        return extension("ufrag");
    }

    /** Chromium's {@code generation} extension. */
    public OptionalInt generation() {
        Optional<String> g = extension("generation");
        long value = g.map(s -> SdpSyntax.parseUnsigned(s, 9, Integer.MAX_VALUE)).orElse(-1L);
        return value < 0 ? OptionalInt.empty() : OptionalInt.of((int) value);
    }
}
