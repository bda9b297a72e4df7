package org.videoroom.transport.ice;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

/**
 * Finds the public address in front of a bound address by asking a STUN server what source it saw (a Binding
 * transaction, RFC 8489 section 3), so that a server behind a 1:1 NAT can advertise that address instead of its
 * private one. Used once per bound address when the media service starts, and only when a STUN server is
 * configured: it sends a datagram to a third party.
 *
 * <p>Each request goes out from a short-lived socket of its own, bound to the address in question on an
 * ephemeral port, never from the shared media socket. Only the IP of the answer is used: the media port's
 * mapping is assumed to keep its number (a forwarded port, an endpoint-independent 1:1 NAT), which STUN from
 * another port cannot check.
 *
 * <p>A request is sent {@link #DEFAULT_TRANSMISSIONS} times, {@link #DEFAULT_RETRANSMISSION_TIMEOUT} apart,
 * with the same transaction id (RFC 8489 section 6.2.1 retransmits the same request; its default of seven
 * doubling transmissions, 39.5 s, is too long to hold up a server's start). A datagram that is not a valid
 * Binding success response to that transaction is ignored and counted by {@link Result}; nothing a server
 * sends makes {@link #discover} throw. Without an answer, one WARNING says so and the bound address stays.
 *
 * <p>The message encoding ({@link #bindingRequest}) and decoding ({@link #parseResponse}) need no socket.
 *
 * <p>Thread-safe: the counters are atomic and each {@link #discover} call uses its own socket.
 */
public final class StunAddressDiscovery {

    /** RFC 8489 section 9: the default port of STUN over UDP. */
    public static final int DEFAULT_STUN_PORT = 3478;
    public static final int DEFAULT_TRANSMISSIONS = 3;
    /** RFC 8489 section 6.2.1: the initial RTO, 500 ms; kept for every retransmission here. */
    public static final Duration DEFAULT_RETRANSMISSION_TIMEOUT = Duration.ofMillis(500);

    /** RFC 8489 section 5. */
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int HEADER_BYTES = 20;
    static final int TRANSACTION_ID_BYTES = 12;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    static final int BINDING_ERROR_RESPONSE = 0x0111;

    // Attribute types, RFC 8489 section 18.3 (and the RFC 3489 ones a classic server may still send).
    static final int MAPPED_ADDRESS = 0x0001;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    static final int ERROR_CODE = 0x0009;
    static final int FINGERPRINT = 0x8028;
    /** RFC 8489 section 14.7: the CRC-32 is XOR'ed with the ASCII of "STUN". */
    static final int FINGERPRINT_XOR = 0x5354554E;
    /** Comprehension-required attributes (0x0000-0x7FFF) we know and may ignore in a Binding response. */
    private static final int[] KNOWN_REQUIRED = {
            MAPPED_ADDRESS, 0x0002 /* RESPONSE-ADDRESS, RFC 3489 */, 0x0003 /* CHANGE-REQUEST, RFC 5780 */,
            0x0004 /* SOURCE-ADDRESS, RFC 3489 */, 0x0005 /* CHANGED-ADDRESS, RFC 3489 */, 0x0006 /* USERNAME */,
            0x0007 /* PASSWORD, RFC 3489 */, MESSAGE_INTEGRITY, ERROR_CODE, 0x000A /* UNKNOWN-ATTRIBUTES */,
            0x000B /* REFLECTED-FROM, RFC 3489 */, 0x0014 /* REALM */, 0x0015 /* NONCE */,
            MESSAGE_INTEGRITY_SHA256, 0x001E /* USERHASH */, XOR_MAPPED_ADDRESS};

    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;
    /** Larger than any STUN answer worth reading; a longer datagram is cut here and fails the length check. */
    private static final int RECEIVE_BUFFER_BYTES = 1500;

    private static final System.Logger LOG = System.getLogger(StunAddressDiscovery.class.getName());

    /** What became of one received datagram. Every value but {@link #MAPPED} means it was ignored. */
    public enum Result {
        /** A Binding success response to our transaction, with a usable (XOR-)MAPPED-ADDRESS. */
        MAPPED,
        /** Shorter than a STUN header, or the two leading bits are not zero (RFC 8489 section 5). */
        NOT_STUN,
        BAD_MAGIC_COOKIE,
        /** The header's length is not a multiple of 4 or does not match the datagram. */
        BAD_LENGTH,
        /** Not the transaction we started: late, stray or forged. */
        WRONG_TRANSACTION,
        /** A STUN message, but neither a Binding success nor a Binding error response. */
        NOT_A_BINDING_RESPONSE,
        /** The server refused the request (RFC 8489 section 6.3.4). */
        ERROR_RESPONSE,
        /** An attribute runs past the end of the message. */
        TRUNCATED_ATTRIBUTE,
        /** A FINGERPRINT whose CRC does not match, of the wrong size, or not last (RFC 8489 section 14.7). */
        BAD_FINGERPRINT,
        /** A comprehension-required attribute we do not know: the response must be discarded (section 6.3.1). */
        UNKNOWN_REQUIRED_ATTRIBUTE,
        /** An address attribute with an unknown family, or a length that does not fit its family. */
        MALFORMED_ADDRESS,
        /** A success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS. */
        NO_ADDRESS,
        /** An address of the other IP family than the socket that asked (an IPv6 answer to an IPv4 request). */
        FAMILY_MISMATCH,
        /** The wildcard or a multicast address: nothing a browser could send to. */
        UNUSABLE_ADDRESS
    }

    /**
     * The decoding of one datagram.
     *
     * @param result {@link Result#MAPPED} when {@code mapped} is the answer
     * @param mapped the reflexive transport address, or null
     * @param errorCode the ERROR-CODE (class * 100 + number) of an {@link Result#ERROR_RESPONSE}, or -1
     */
    public record Response(Result result, InetSocketAddress mapped, int errorCode) {

        static Response of(Result result) {
            return new Response(result, null, -1);
        }
    }

    /**
     * A STUN server as configured: a host name or literal and a UDP port.
     *
     * @param host a DNS name, IPv4 literal or IPv6 literal (without brackets)
     * @param port 1..65535
     */
    public record Server(String host, int port) {

        public Server {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("empty STUN server host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("STUN server port out of range (1..65535): " + port);
            }
        }

        /**
         * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; the port defaults to 3478.
         * A bare IPv6 literal needs the brackets.
         *
         * @throws IllegalArgumentException if the text is not of that form
         */
        public static Server parse(String text) {
            String s = text.strip();
            String host;
            String port = null;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed [ in STUN server " + text);
                }
                host = s.substring(1, close);
                String rest = s.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("expected :port after ] in STUN server " + text);
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = s.indexOf(':');
                if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException("write an IPv6 STUN server in brackets, [addr]:port: " + text);
                }
                host = colon < 0 ? s : s.substring(0, colon);
                port = colon < 0 ? null : s.substring(colon + 1);
            }
            if (port == null) {
                return new Server(host, DEFAULT_STUN_PORT);
            }
            try {
                return new Server(host, Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in STUN server " + text, e);
            }
        }

        /** A comma-separated list of {@link #parse} forms; blank gives none. */
        public static List<Server> parseList(String text) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(t -> !t.isEmpty())
                    .map(Server::parse).toList();
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Counters since creation.
     *
     * @param transactions Binding transactions started (one per server asked)
     * @param transmissions requests sent, retransmissions included
     * @param discovered bound addresses whose public address was found
     * @param failed bound addresses left as they were because no server answered usefully
     * @param ignored datagrams ignored, by reason (only reasons seen are present)
     */
    public record Stats(long transactions, long transmissions, long discovered, long failed,
                        Map<Result, Long> ignored) {
    }

    private final List<Server> servers;
    private final int transmissions;
    private final Duration retransmissionTimeout;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong transactionCount = new AtomicLong();
    private final AtomicLong transmissionCount = new AtomicLong();
    private final AtomicLong discoveredCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();
    private final AtomicLongArray ignoredCounts = new AtomicLongArray(Result.values().length);

    /** Asks {@code servers} in order, with the default retransmissions. */
    public StunAddressDiscovery(List<Server> servers) {
        this(servers, DEFAULT_TRANSMISSIONS, DEFAULT_RETRANSMISSION_TIMEOUT);
    }

    /**
     * @param servers asked in order until one answers; at least one
     * @param transmissions how often each request is sent, 1..10
     * @param retransmissionTimeout how long to wait after each transmission, 1 ms..10 s
     */
    public StunAddressDiscovery(List<Server> servers, int transmissions, Duration retransmissionTimeout) {
        this.servers = List.copyOf(servers);
        if (this.servers.isEmpty()) {
            throw new IllegalArgumentException("at least one STUN server is needed");
        }
        if (transmissions < 1 || transmissions > 10) {
            throw new IllegalArgumentException("transmissions out of range (1..10): " + transmissions);
        }
        Objects.requireNonNull(retransmissionTimeout, "retransmissionTimeout");
        if (retransmissionTimeout.toMillis() < 1 || retransmissionTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("retransmissionTimeout out of range (1 ms..10 s): "
                    + retransmissionTimeout);
        }
        this.transmissions = transmissions;
        this.retransmissionTimeout = retransmissionTimeout;
    }

    /** The longest one {@link #discover} call waits: every server's transmissions times the timeout. */
    public Duration budget() {
        return retransmissionTimeout.multipliedBy((long) transmissions * servers.size());
    }

    /**
     * {@code hosts} with each one's advertised address replaced by the public address {@link #discover}ed for
     * its bound address; a host whose discovery gives nothing stays as it was. The caller passes only hosts
     * whose advertised address was not configured explicitly.
     */
    public List<IceConfig.HostAddress> advertiseDiscovered(List<IceConfig.HostAddress> hosts) {
        List<IceConfig.HostAddress> result = new ArrayList<>(hosts.size());
        for (IceConfig.HostAddress host : hosts) {
            InetAddress bound = host.bindAddress();
            result.add(discover(bound).map(found -> new IceConfig.HostAddress(bound, found)).orElse(host));
        }
        return List.copyOf(result);
    }

    /**
     * Asks the servers in turn, from a socket bound to {@code bindAddress}, which address they saw. Logs the
     * outcome once: INFO with the address found, or one WARNING when none was. Never throws for anything the
     * network or a server does. A loopback address asks only servers given as loopback literals (tests): its
     * request could not leave the machine, and nothing outside it could reach a loopback binding anyway.
     *
     * @return the public IP, or empty when no server gave a usable answer within the retry budget
     */
    public Optional<InetAddress> discover(InetAddress bindAddress) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        List<Server> asked = bindAddress.isLoopbackAddress()
                ? servers.stream().filter(StunAddressDiscovery::isLoopbackLiteral).toList() : servers;
        if (asked.isEmpty()) {
            LOG.log(Level.INFO, "STUN discovery: {0} is a loopback address, advertised as it is",
                    bindAddress.getHostAddress());
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (Server server : asked) {
            Optional<InetSocketAddress> mapped = ask(server, bindAddress, problems);
            if (mapped.isPresent()) {
                InetAddress found = mapped.get().getAddress();
                discoveredCount.incrementAndGet();
                LOG.log(Level.INFO, "STUN discovery: {0} is seen as {1} by {2}; advertising {1}{3}",
                        bindAddress.getHostAddress(), found.getHostAddress(), server,
                        found.equals(bindAddress) ? " (the bound address: no NAT in between)" : "");
                return Optional.of(found);
            }
        }
        failedCount.incrementAndGet();
        LOG.log(Level.WARNING, "STUN discovery for {0} failed ({1}); advertising the bound address {0}",
                bindAddress.getHostAddress(), String.join("; ", problems));
        return Optional.empty();
    }

    /** The counters. */
    public Stats stats() {
        Map<Result, Long> ignored = new EnumMap<>(Result.class);
        for (Result r : Result.values()) {
            long n = ignoredCounts.get(r.ordinal());
            if (n > 0) {
                ignored.put(r, n);
            }
        }
        return new Stats(transactionCount.get(), transmissionCount.get(), discoveredCount.get(),
                failedCount.get(), Collections.unmodifiableMap(ignored));
    }

    /** One Binding transaction with {@code server}; adds a line to {@code problems} when it gives nothing. */
    private Optional<InetSocketAddress> ask(Server server, InetAddress bindAddress, List<String> problems) {
        InetAddress serverAddress;
        try {
            serverAddress = resolve(server.host(), bindAddress instanceof Inet4Address);
        } catch (UnknownHostException e) {
            problems.add(server + ": no " + family(bindAddress) + " address (" + e.getMessage() + ")");
            return Optional.empty();
        }
        InetSocketAddress destination = new InetSocketAddress(serverAddress, server.port());
        byte[] transactionId = new byte[TRANSACTION_ID_BYTES];
        random.nextBytes(transactionId);
        byte[] request = bindingRequest(transactionId);
        transactionCount.incrementAndGet();
        long[] ignoredHere = new long[Result.values().length];
        int refused = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0))) {
            // Connected: the kernel passes up only datagrams from the server, and reports ICMP unreachable.
            socket.connect(destination);
            byte[] buffer = new byte[RECEIVE_BUFFER_BYTES];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            for (int attempt = 0; attempt < transmissions; attempt++) {
                socket.send(new DatagramPacket(request, request.length));
                transmissionCount.incrementAndGet();
                long deadline = System.nanoTime() + retransmissionTimeout.toNanos();
                for (long left = retransmissionTimeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                    try {
                        in.setLength(buffer.length);
                        socket.receive(in);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (PortUnreachableException e) {
                        refused++;
                        continue;
                    }
                    Response response = parseResponse(buffer, 0, in.getLength(), transactionId);
                    Result result = usable(response, bindAddress);
                    if (result == Result.MAPPED) {
                        return Optional.of(response.mapped());
                    }
                    ignoredCounts.incrementAndGet(result.ordinal());
                    ignoredHere[result.ordinal()]++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // A socket error (no route, address gone) is the network's doing: report it, do not fail startup.
            problems.add(label(server, serverAddress) + ": " + e);
            return Optional.empty();
        }
        StringBuilder problem = new StringBuilder().append(label(server, serverAddress))
                .append(": no usable answer to ").append(transmissions)
                .append(" request(s), ").append(retransmissionTimeout.toMillis()).append(" ms apart");
        if (refused > 0) {
            problem.append(", ").append(refused).append(" ICMP port unreachable");
        }
        for (Result r : Result.values()) {
            if (ignoredHere[r.ordinal()] > 0) {
                problem.append(", ignored ").append(ignoredHere[r.ordinal()]).append(' ').append(r);
            }
        }
        problems.add(problem.toString());
        return Optional.empty();
    }

    /** {@link Result#MAPPED} if {@code response} names an address of the asking socket's family worth advertising. */
    private static Result usable(Response response, InetAddress bindAddress) {
        if (response.result() != Result.MAPPED) {
            return response.result();
        }
        InetAddress mapped = response.mapped().getAddress();
        if ((mapped instanceof Inet4Address) != (bindAddress instanceof Inet4Address)) {
            return Result.FAMILY_MISMATCH;
        }
        if (mapped.isAnyLocalAddress() || mapped.isMulticastAddress()) {
            return Result.UNUSABLE_ADDRESS;
        }
        return Result.MAPPED;
    }

    private static InetAddress resolve(String host, boolean ipv4) throws UnknownHostException {
        Optional<InetAddress> literal = IpLiterals.parse(host);
        InetAddress[] candidates = literal.isPresent() ? new InetAddress[] {literal.get()}
                : InetAddress.getAllByName(host);
        for (InetAddress a : candidates) {
            if ((a instanceof Inet4Address) == ipv4) {
                return a;
            }
        }
        throw new UnknownHostException(host + " has no " + (ipv4 ? "IPv4" : "IPv6") + " address");
    }

    /** The server as configured, with the address its name resolved to when it is a name. */
    private static String label(Server server, InetAddress resolved) {
        return IpLiterals.parse(server.host()).isPresent() ? server.toString()
                : server + " (" + resolved.getHostAddress() + ")";
    }

    private static boolean isLoopbackLiteral(Server server) {
        return IpLiterals.parse(server.host()).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    private static String family(InetAddress a) {
        return a instanceof Inet4Address ? "IPv4" : "IPv6";
    }

    /**
     * A Binding request with no attributes (RFC 8489 section 6.1): a server needs nothing else to answer with
     * XOR-MAPPED-ADDRESS, and an unauthenticated request carries no credential to leak.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0|     STUN Message Type     |         Message Length        |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                         Magic Cookie                          |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                     Transaction ID (96 bits)                  |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     *
     * @param transactionId 12 bytes, from a cryptographically strong source (section 6)
     */
    static byte[] bindingRequest(byte[] transactionId) {
        if (transactionId.length != TRANSACTION_ID_BYTES) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + transactionId.length);
        }
        byte[] m = new byte[HEADER_BYTES];
        putShort(m, 0, BINDING_REQUEST);
        putShort(m, 2, 0);
        putInt(m, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, m, 8, TRANSACTION_ID_BYTES);
        return m;
    }

    /**
     * Decodes a datagram as the answer to the Binding request with {@code transactionId}. Checks, in order:
     * the header (RFC 8489 section 5: leading zero bits, magic cookie, a length that is a multiple of 4 and
     * matches the datagram), the transaction id, the message type, then every attribute (section 14): each
     * must fit, a FINGERPRINT must be last and match, no unknown comprehension-required attribute may appear,
     * and attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (section 14.5).
     * XOR-MAPPED-ADDRESS is preferred; MAPPED-ADDRESS is the fallback for RFC 3489 servers (section 14.1).
     * Never throws for anything in {@code buf}.
     */
    static Response parseResponse(byte[] buf, int off, int len, byte[] transactionId) {
        if (len < HEADER_BYTES || (buf[off] & 0xC0) != 0) {
            return Response.of(Result.NOT_STUN);
        }
        if (getInt(buf, off + 4) != MAGIC_COOKIE) {
            return Response.of(Result.BAD_MAGIC_COOKIE);
        }
        int length = getShort(buf, off + 2);
        if ((length & 3) != 0 || HEADER_BYTES + length != len) {
            return Response.of(Result.BAD_LENGTH);
        }
        if (!Arrays.equals(buf, off + 8, off + HEADER_BYTES, transactionId, 0, TRANSACTION_ID_BYTES)) {
            return Response.of(Result.WRONG_TRANSACTION);
        }
        int type = getShort(buf, off);
        if (type != BINDING_SUCCESS_RESPONSE && type != BINDING_ERROR_RESPONSE) {
            return Response.of(Result.NOT_A_BINDING_RESPONSE);
        }
        InetSocketAddress xorMapped = null;
        InetSocketAddress mapped = null;
        int errorCode = -1;
        boolean afterIntegrity = false;
        int end = off + len;
        int pos = off + HEADER_BYTES;
        // Each attribute: Type (16 bits), Length (16 bits, of the value before padding), Value, padding to 4.
        while (pos < end) {
            if (end - pos < 4) {
                return Response.of(Result.TRUNCATED_ATTRIBUTE);
            }
            int attrType = getShort(buf, pos);
            int attrLength = getShort(buf, pos + 2);
            int value = pos + 4;
            int padded = (attrLength + 3) & ~3;
            if (end - value < padded) {
                return Response.of(Result.TRUNCATED_ATTRIBUTE);
            }
            if (afterIntegrity && attrType != FINGERPRINT) {
                pos = value + padded;
                continue;
            }
            if (attrType == FINGERPRINT) {
                if (attrLength != 4 || value + 4 != end) {
                    return Response.of(Result.BAD_FINGERPRINT);
                }
                CRC32 crc = new CRC32();
                crc.update(buf, off, pos - off);
                if (((int) crc.getValue() ^ FINGERPRINT_XOR) != getInt(buf, value)) {
                    return Response.of(Result.BAD_FINGERPRINT);
                }
            } else if (attrType < 0x8000 && Arrays.stream(KNOWN_REQUIRED).noneMatch(t -> t == attrType)) {
                return Response.of(Result.UNKNOWN_REQUIRED_ATTRIBUTE);
            } else {
                switch (attrType) {
                    case XOR_MAPPED_ADDRESS, MAPPED_ADDRESS -> {
                        InetSocketAddress a = address(buf, value, attrLength, attrType == XOR_MAPPED_ADDRESS, off);
                        if (a == null) {
                            return Response.of(Result.MALFORMED_ADDRESS);
                        }
                        if (attrType == XOR_MAPPED_ADDRESS && xorMapped == null) {
                            xorMapped = a;
                        } else if (attrType == MAPPED_ADDRESS && mapped == null) {
                            mapped = a;
                        }
                    }
                    case ERROR_CODE -> {
                        // RFC 8489 section 14.8: 21 reserved bits, Class (3 bits), Number (8 bits), reason.
                        if (attrLength >= 4 && errorCode < 0) {
                            errorCode = (buf[value + 2] & 0x07) * 100 + (buf[value + 3] & 0xFF);
                        }
                    }
                    case MESSAGE_INTEGRITY, MESSAGE_INTEGRITY_SHA256 -> afterIntegrity = true;
                    default -> {
                        // Known and of no use to us (SOFTWARE, RESPONSE-ORIGIN, OTHER-ADDRESS, ...).
                    }
                }
            }
            pos = value + padded;
        }
        if (type == BINDING_ERROR_RESPONSE) {
            return new Response(Result.ERROR_RESPONSE, null, errorCode);
        }
        InetSocketAddress answer = xorMapped != null ? xorMapped : mapped;
        return answer == null ? Response.of(Result.NO_ADDRESS) : new Response(Result.MAPPED, answer, -1);
    }

    /**
     * Decodes (XOR-)MAPPED-ADDRESS (RFC 8489 sections 14.1 and 14.2), or returns null if malformed.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                 (X-)Address (32 bits or 128 bits)             |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     * The XOR form XORs the port with the cookie's high 16 bits, an IPv4 address with the cookie, and an IPv6
     * address with the cookie followed by the transaction id (the message's bytes 4 to 19).
     */
    private static InetSocketAddress address(byte[] buf, int value, int length, boolean xor, int messageOff) {
        if (length < 4) {
            return null;
        }
        int family = buf[value + 1] & 0xFF;
        int addressBytes = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
        if (addressBytes < 0 || length != 4 + addressBytes) {
            return null;
        }
        int port = getShort(buf, value + 2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
        byte[] ip = Arrays.copyOfRange(buf, value + 4, value + 4 + addressBytes);
        if (xor) {
            for (int i = 0; i < addressBytes; i++) {
                ip[i] ^= buf[messageOff + 4 + i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }

    private static int getShort(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int getInt(byte[] b, int i) {
        return (getShort(b, i) << 16) | getShort(b, i + 2);
    }

    private static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int i, int v) {
        putShort(b, i, v >>> 16);
        putShort(b, i + 2, v);
    }
}
