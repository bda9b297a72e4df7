package org.videoroom.sdp;

import static org.videoroom.sdp.SdpParseException.Reason.BAD_ATTRIBUTE;
import static org.videoroom.sdp.SdpParseException.Reason.BAD_MEDIA;
import static org.videoroom.sdp.SdpParseException.Reason.BAD_TIMING;
import static org.videoroom.sdp.SdpParseException.Reason.BAD_VERSION;
import static org.videoroom.sdp.SdpParseException.Reason.DUPLICATE_ATTRIBUTE;
import static org.videoroom.sdp.SdpParseException.Reason.DUPLICATE_FIELD;
import static org.videoroom.sdp.SdpParseException.Reason.DUPLICATE_MID;
import static org.videoroom.sdp.SdpParseException.Reason.ILLEGAL_CHARACTER;
import static org.videoroom.sdp.SdpParseException.Reason.LINE_TOO_LONG;
import static org.videoroom.sdp.SdpParseException.Reason.MALFORMED_LINE;
import static org.videoroom.sdp.SdpParseException.Reason.MISSING_FIELD;
import static org.videoroom.sdp.SdpParseException.Reason.OUT_OF_ORDER;
import static org.videoroom.sdp.SdpParseException.Reason.TOO_LARGE;
import static org.videoroom.sdp.SdpParseException.Reason.TOO_MANY_LINES;
import static org.videoroom.sdp.SdpParseException.Reason.TOO_MANY_MEDIA_SECTIONS;
import static org.videoroom.sdp.SdpParseException.Reason.UNKNOWN_LINE_TYPE;
import static org.videoroom.sdp.SdpParseException.Reason.UNKNOWN_MID;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses SDP text into a {@link SessionDescription}.
 *
 * <p>What it checks (RFC 8866 §5): {@code v=0} first; every line is {@code <letter>=<value>} with a
 * letter the RFC defines (an unknown letter rejects the whole description, as §5 requires); lines
 * come in the RFC order (session: v o s i u e p c b t r z k a; media: m i c b k a); o, s and t are
 * present; every m= section has a c= line unless the session has one; mids are unique and groups
 * name existing mids. The values of the attributes the model types are checked against their own
 * grammars; other attributes are kept verbatim. Attribute order within a level is free.
 *
 * <p>What it tolerates: LF or CRLF line ends (mixed too), a missing final line end, trailing empty
 * lines, runs of spaces between fields, and any unknown attribute.
 *
 * <p>Hostile input: {@link SdpLimits} bounds the total size, the line count, each line's length and
 * the number of m= sections before any record is built; control characters are rejected.
 *
 * <p>Every failure is an {@link SdpParseException} naming the reason and the 1-based line. An
 * instance lives for one parse only; the static methods are thread-safe.
 */
public final class SdpParser {

    /** Longest MID accepted: twice what the one-byte RTP header extension carries. */
    public static final int MAX_MID_LENGTH = 32;

    /** RFC 8866 §5 session-level order; 'a' lines close the level. */
    private static final String SESSION_ORDER = "vosiuepcbtrzka";
    /** RFC 8866 §5 media-level order. */
    private static final String MEDIA_ORDER = "micbka";
    private static final String SESSION_REPEATABLE = "epbtra";
    private static final String MEDIA_REPEATABLE = "ba";
    private static final String KNOWN_TYPES = "vosiuepcbtrzkam";

    private final SdpLimits limits;
    private int lineNumber;
    private char lastType;
    private int lastRank;

    // Session level, collected until the end because o= must be known before a builder exists.
    private Origin origin;
    private String sessionName;
    private final List<SdpField> sessionFields = new ArrayList<>();
    private Connection sessionConnection;
    private final List<Bandwidth> sessionBandwidths = new ArrayList<>();
    private final List<Timing> timings = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<Integer> groupLines = new ArrayList<>();
    private MsidSemantic msidSemantic;
    private boolean sessionExtmapAllowMixed;
    private boolean iceLite;
    private final TransportState sessionTransport = new TransportState();
    private Direction sessionDirection;
    private final List<Attribute> sessionOthers = new ArrayList<>();

    private final List<MediaDescription> media = new ArrayList<>();
    private final Map<String, Integer> midLines = new HashMap<>();
    private MediaState current;

    private SdpParser(SdpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Parses a description under {@link SdpLimits#DEFAULT}.
     *
     * @throws SdpParseException when the text is not an acceptable description
     */
    public static SessionDescription parse(String sdp) {
        return parse(sdp, SdpLimits.DEFAULT);
    }

    /**
     * Parses a description under the given limits.
     *
     * @throws SdpParseException when the text is not an acceptable description
     */
    public static SessionDescription parse(String sdp, SdpLimits limits) {
        Objects.requireNonNull(sdp, "sdp");
        return new SdpParser(limits).run(sdp);
    }

    private SessionDescription run(String sdp) {
        if (sdp.length() > limits.maxChars()) {
            throw new SdpParseException(TOO_LARGE, 0, sdp.length() + " chars, limit " + limits.maxChars());
        }
        List<String> lines = splitLines(sdp);
        try {
            for (int i = 0; i < lines.size(); i++) {
                lineNumber = i + 1;
                handle(lines.get(i));
            }
            return finish(lines.size());
        } catch (SdpParseException e) {
            // Value parsers know no line numbers; the line being read is where they failed.
            throw e.lineNumber() == 0 && lineNumber > 0 ? e.atLine(lineNumber) : e;
        }
    }

    /**
     * Splits on LF (dropping a CR just before it), enforcing the line limits and rejecting control
     * characters. Empty lines are accepted only at the end.
     */
    private List<String> splitLines(String sdp) {
        List<String> lines = new ArrayList<>();
        int n = sdp.length();
        int start = 0;
        int blankLine = 0;
        while (start < n) {
            int end = start;
            while (end < n && sdp.charAt(end) != '\n') {
                end++;
            }
            int contentEnd = end > start && sdp.charAt(end - 1) == '\r' && end < n ? end - 1 : end;
            int number = lines.size() + 1;
            if (number > limits.maxLines()) {
                throw new SdpParseException(TOO_MANY_LINES, number, "limit " + limits.maxLines());
            }
            if (contentEnd - start > limits.maxLineLength()) {
                throw new SdpParseException(LINE_TOO_LONG, number, (contentEnd - start) + " chars, limit "
                        + limits.maxLineLength());
            }
            for (int i = start; i < contentEnd; i++) {
                char c = sdp.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    throw new SdpParseException(ILLEGAL_CHARACTER, number, String.format("U+%04X", (int) c));
                }
            }
            if (contentEnd == start) {
                if (blankLine == 0) {
                    blankLine = number;
                }
            } else if (blankLine != 0) {
                throw new SdpParseException(MALFORMED_LINE, blankLine, "empty line inside the description");
            }
            lines.add(sdp.substring(start, contentEnd));
            start = end + 1;
        }
        // Drop the trailing empty lines (already known to be trailing).
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private void handle(String line) {
        if (line.length() < 2 || line.charAt(1) != '=') {
            throw error(MALFORMED_LINE, "not <type>=<value>: " + abbreviate(line));
        }
        char type = line.charAt(0);
        String value = line.substring(2);
        if (KNOWN_TYPES.indexOf(type) < 0) {
            throw error(UNKNOWN_LINE_TYPE, "'" + type + "='");
        }
        if (lineNumber == 1 && type != 'v') {
            throw error(MISSING_FIELD, "a description starts with v=");
        }
        if (type == 'm') {
            startMedia(value);
        } else if (current != null) {
            checkOrder(type, MEDIA_ORDER, MEDIA_REPEATABLE);
            mediaLine(type, value);
        } else {
            checkOrder(type, SESSION_ORDER, SESSION_REPEATABLE);
            sessionLine(type, value);
        }
    }

    /** RFC 8866 §5: the type letters of one level appear in a fixed order; t/r pairs repeat. */
    private void checkOrder(char type, String order, String repeatable) {
        int rank = order.indexOf(type);
        if (rank < 0) {
            throw error(OUT_OF_ORDER, "'" + type + "=' cannot appear " + (current == null ? "at session level"
                    : "in a media section"));
        }
        boolean timeAgain = type == 't' && lastType == 'r';
        if (rank < lastRank && !timeAgain) {
            throw error(OUT_OF_ORDER, "'" + type + "=' after '" + lastType + "='");
        }
        if (type == lastType && repeatable.indexOf(type) < 0) {
            throw error(DUPLICATE_FIELD, "second '" + type + "='");
        }
        lastRank = rank;
        lastType = type;
    }

    private void sessionLine(char type, String value) {
        switch (type) {
            case 'v' -> {
                if (!value.equals("0")) {
                    throw error(BAD_VERSION, value);
                }
            }
            case 'o' -> origin = Origin.parse(value);
            case 's' -> sessionName = value;
            case 'c' -> sessionConnection = Connection.parse(value);
            case 'b' -> sessionBandwidths.add(Bandwidth.parse(value));
            case 't' -> timings.add(Timing.parse(value));
            case 'r' -> {
                if (timings.isEmpty() || value.isBlank()) {
                    throw error(BAD_TIMING, "r= without t=, or empty");
                }
                timings.set(timings.size() - 1, timings.get(timings.size() - 1).withRepeat(value));
            }
            case 'a' -> sessionAttribute(value);
            default -> sessionFields.add(new SdpField(type, value));
        }
    }

    private void sessionAttribute(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? null : line.substring(colon + 1);
        checkAttributeName(name);
        if (sessionTransport.accept(name, value, this)) {
            return;
        }
        Optional<Direction> direction = Direction.fromWire(name);
        if (direction.isPresent()) {
            noValue(name, value);
            if (sessionDirection != null) {
                throw error(DUPLICATE_ATTRIBUTE, "second direction attribute");
            }
            sessionDirection = direction.get();
            return;
        }
        switch (name) {
            case "group" -> {
                groups.add(Group.parse(requireValue(name, value)));
                groupLines.add(lineNumber);
            }
            case "msid-semantic" -> {
                if (msidSemantic != null) {
                    throw error(DUPLICATE_ATTRIBUTE, name);
                }
                msidSemantic = MsidSemantic.parse(requireValue(name, value));
            }
            case "extmap-allow-mixed" -> sessionExtmapAllowMixed = flag(name, value, sessionExtmapAllowMixed);
            case "ice-lite" -> iceLite = flag(name, value, iceLite);
            default -> sessionOthers.add(new Attribute(name, Optional.ofNullable(value)));
        }
    }

    private void startMedia(String value) {
        if (origin == null || sessionName == null || timings.isEmpty()) {
            throw error(MISSING_FIELD, "o=, s= and t= must precede the first m=");
        }
        finishMedia();
        if (media.size() >= limits.maxMediaSections()) {
            throw error(TOO_MANY_MEDIA_SECTIONS, "limit " + limits.maxMediaSections());
        }
        List<String> f = SdpSyntax.words(value);
        if (f.size() < 4) {
            throw error(BAD_MEDIA, "expected '<media> <port> <proto> <fmt> ...': " + abbreviate(value));
        }
        MediaKind kind = MediaKind.fromWire(f.get(0)).orElseThrow(() -> error(BAD_MEDIA, "media type " + f.get(0)));
        String portField = f.get(1);
        int slash = portField.indexOf('/');
        long port = SdpSyntax.parseUnsigned(slash < 0 ? portField : portField.substring(0, slash), 5, 65535);
        long count = slash < 0 ? 1 : SdpSyntax.parseUnsigned(portField.substring(slash + 1), 5, 65535);
        if (port < 0 || count < 1) {
            throw error(BAD_MEDIA, "port " + portField);
        }
        String protocol = f.get(2);
        List<String> formats = f.subList(3, f.size());
        boolean rtp = MediaDescription.isRtpProtocol(protocol);
        for (String fmt : formats) {
            if (rtp ? SdpSyntax.parseUnsigned(fmt, 3, 127) < 0 : !SdpSyntax.isToken(fmt)) {
                throw error(BAD_MEDIA, "format " + fmt);
            }
        }
        current = new MediaState(lineNumber, rtp, formats);
        current.builder = MediaDescription.builder(kind)
                .port((int) port)
                .portCount(slash < 0 ? OptionalInt.empty() : OptionalInt.of((int) count))
                .protocol(protocol)
                .formats(formats);
        lastType = 'm';
        lastRank = 0;
    }

    private void mediaLine(char type, String value) {
        switch (type) {
            case 'c' -> current.builder.connection(Connection.parse(value));
            case 'b' -> current.builder.addBandwidth(Bandwidth.parse(value));
            case 'a' -> mediaAttribute(value);
            default -> current.builder.addField(new SdpField(type, value));
        }
        if (type == 'c') {
            current.hasConnection = true;
        }
    }

    private void mediaAttribute(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? null : line.substring(colon + 1);
        checkAttributeName(name);
        MediaState m = current;
        if (m.transport.accept(name, value, this)) {
            return;
        }
        Optional<Direction> direction = Direction.fromWire(name);
        if (direction.isPresent()) {
            noValue(name, value);
            if (m.direction) {
                throw error(DUPLICATE_ATTRIBUTE, "second direction attribute");
            }
            m.direction = true;
            m.builder.direction(direction.get());
            return;
        }
        if (m.rtp && (name.equals("rtpmap") || name.equals("fmtp") || name.equals("rtcp-fb"))) {
            payloadAttribute(name, requireValue(name, value));
            return;
        }
        switch (name) {
            case "mid" -> {
                if (m.mid != null) {
                    throw error(DUPLICATE_ATTRIBUTE, name);
                }
                m.mid = requireValue(name, value);
                if (!SdpSyntax.isToken(m.mid)) {
                    throw error(BAD_ATTRIBUTE, "mid " + m.mid);
                }
                // Browsers use "0", "1", ...; a MID must also fit the RTP MID header extension (RFC 8843 §15:
                // 16 bytes in the one-byte form) and a track id built from it.
                if (m.mid.length() > MAX_MID_LENGTH) {
                    throw error(BAD_ATTRIBUTE, "mid longer than " + MAX_MID_LENGTH + " characters");
                }
                if (midLines.putIfAbsent(m.mid, lineNumber) != null) {
                    throw error(DUPLICATE_MID, m.mid);
                }
                m.builder.mid(m.mid);
            }
            case "rtcp-mux" -> m.builder.rtcpMux(m.flag(name, value, this));
            case "rtcp-rsize" -> m.builder.rtcpRsize(m.flag(name, value, this));
            case "bundle-only" -> m.builder.bundleOnly(m.flag(name, value, this));
            case "extmap-allow-mixed" -> m.builder.extmapAllowMixed(m.flag(name, value, this));
            case "extmap" -> {
                HeaderExtension e = HeaderExtension.parse(requireValue(name, value));
                if (!m.extmapIds.add(e.id())) {
                    throw error(DUPLICATE_ATTRIBUTE, "extmap id " + e.id());
                }
                m.builder.addHeaderExtension(e);
            }
            case "msid" -> m.builder.addMsid(Msid.parse(requireValue(name, value)));
            case "ssrc" -> m.builder.addSsrcAttribute(SsrcAttribute.parse(requireValue(name, value)));
            case "ssrc-group" -> m.builder.addSsrcGroup(SsrcGroup.parse(requireValue(name, value)));
            case "rid" -> m.builder.addRid(Rid.parse(requireValue(name, value)));
            case "simulcast" -> {
                if (m.simulcast) {
                    throw error(DUPLICATE_ATTRIBUTE, name);
                }
                m.simulcast = true;
                m.builder.simulcast(Simulcast.parse(requireValue(name, value)));
            }
            default -> m.builder.addOtherAttribute(new Attribute(name, Optional.ofNullable(value)));
        }
    }

    /**
     * {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb} of an RTP section. They are collected per
     * payload type and joined into {@link Codec}s when the section ends, because browsers order
     * them differently (Firefox writes every fmtp before any rtpmap).
     */
    private void payloadAttribute(String name, String value) {
        MediaState m = current;
        if (name.equals("rtpmap")) {
            Codec codec = Codec.parseRtpmap(value);
            if (!listed(codec.payloadType())) {
                return;
            }
            if (m.rtpmaps.putIfAbsent(codec.payloadType(), codec) != null) {
                throw error(DUPLICATE_ATTRIBUTE, "rtpmap for payload type " + codec.payloadType());
            }
            return;
        }
        int space = value.indexOf(' ');
        String fmt = space < 0 ? value : value.substring(0, space);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        if (name.equals("rtcp-fb")) {
            String feedback = String.join(" ", SdpSyntax.words(rest));
            if (!Codec.isFeedback(feedback)) {
                throw error(BAD_ATTRIBUTE, "rtcp-fb value '" + abbreviate(rest) + "'");
            }
            if (fmt.equals("*")) {
                m.builder.addWildcardRtcpFeedback(feedback);
                return;
            }
            int pt = payloadType(fmt);
            if (listed(pt)) {
                m.feedback.computeIfAbsent(pt, k -> new ArrayList<>()).add(feedback);
            }
            return;
        }
        int pt = payloadType(fmt);
        if (!listed(pt)) {
            return;
        }
        if (m.fmtps.putIfAbsent(pt, rest) != null) {
            throw error(DUPLICATE_ATTRIBUTE, "fmtp for payload type " + pt);
        }
    }

    private int payloadType(String fmt) {
        long pt = SdpSyntax.parseUnsigned(fmt, 3, 127);
        if (pt < 0) {
            throw error(BAD_ATTRIBUTE, "payload type " + fmt);
        }
        return (int) pt;
    }

    /**
     * Whether the payload type is on the section's m= line. Attributes of one that is not describe nothing
     * offered and are dropped: Firefox writes them (an RTX fmtp whose codec was left out) after
     * {@code setCodecPreferences}, and refusing the whole offer for it would leave that browser without media.
     */
    private boolean listed(int payloadType) {
        return current.formats.contains(Integer.toString(payloadType));
    }

    private void finishMedia() {
        MediaState m = current;
        if (m == null) {
            return;
        }
        current = null;
        int line = lineNumber;
        lineNumber = m.line;
        if (!m.hasConnection && sessionConnection == null) {
            throw error(MISSING_FIELD, "no c= line at session level or in this m= section");
        }
        for (String fmt : m.formats) {
            if (!m.rtp) {
                break;
            }
            int pt = Integer.parseInt(fmt);
            Codec rtpmap = m.rtpmaps.get(pt);
            String fmtp = m.fmtps.get(pt);
            List<String> fb = m.feedback.getOrDefault(pt, List.of());
            if (rtpmap != null) {
                // The parts were checked line by line; the record re-checks their combination.
                m.builder.addCodec(SdpSyntax.build(BAD_ATTRIBUTE,
                        () -> rtpmap.withFmtp(fmtp == null ? "" : fmtp).withRtcpFeedback(fb)));
            } else {
                // A static payload type may go without an rtpmap; its other lines stay verbatim.
                if (fmtp != null) {
                    m.builder.addOtherAttribute(Attribute.of("fmtp", pt + (fmtp.isEmpty() ? "" : " " + fmtp)));
                }
                for (String f : fb) {
                    m.builder.addOtherAttribute(Attribute.of("rtcp-fb", pt + " " + f));
                }
            }
        }
        m.builder.transport(m.transport.build());
        media.add(SdpSyntax.build(BAD_MEDIA, m.builder::build));
        lineNumber = line;
    }

    private SessionDescription finish(int lineCount) {
        if (lineCount == 0) {
            throw new SdpParseException(MISSING_FIELD, 0, "empty description");
        }
        lineNumber = lineCount;
        if (origin == null || sessionName == null || timings.isEmpty()) {
            throw error(MISSING_FIELD, "o=, s= and t= are required");
        }
        finishMedia();
        lineNumber = 0;
        for (int i = 0; i < groups.size(); i++) {
            for (String mid : groups.get(i).mids()) {
                if (!midLines.containsKey(mid)) {
                    throw new SdpParseException(UNKNOWN_MID, groupLines.get(i), "group names mid " + mid);
                }
            }
        }
        TransportAttributes transport = sessionTransport.build();
        return SdpSyntax.build(MALFORMED_LINE, () -> SessionDescription.builder(origin)
                .sessionName(sessionName)
                .fields(sessionFields)
                .connection(sessionConnection)
                .bandwidths(sessionBandwidths)
                .timings(timings)
                .groups(groups)
                .msidSemantic(msidSemantic)
                .extmapAllowMixed(sessionExtmapAllowMixed)
                .iceLite(iceLite)
                .transport(transport)
                .direction(sessionDirection)
                .otherAttributes(sessionOthers)
                .media(media)
                .build());
    }

    private void checkAttributeName(String name) {
        if (!SdpSyntax.isToken(name)) {
            throw error(BAD_ATTRIBUTE, "attribute name '" + abbreviate(name) + "'");
        }
    }

    String requireValue(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw error(BAD_ATTRIBUTE, "a=" + name + " needs a value");
        }
        return value;
    }

    void noValue(String name, String value) {
        if (value != null) {
            throw error(BAD_ATTRIBUTE, "a=" + name + " takes no value");
        }
    }

    boolean flag(String name, String value, boolean alreadySet) {
        noValue(name, value);
        if (alreadySet) {
            throw error(DUPLICATE_ATTRIBUTE, name);
        }
        return true;
    }

    SdpParseException error(SdpParseException.Reason reason, String detail) {
        return new SdpParseException(reason, lineNumber, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** The ICE/DTLS attributes of one level while they are being read. */
    private static final class TransportState {
        private String ufrag;
        private String pwd;
        private List<String> options;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Setup setup;
        private final List<IceCandidate> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private boolean mediaLevel;

        /** Takes the attribute if it is a transport one; false otherwise. */
        boolean accept(String name, String value, SdpParser p) {
            switch (name) {
                case "ice-ufrag" -> {
                    if (ufrag != null) {
                        throw p.error(DUPLICATE_ATTRIBUTE, name);
                    }
                    ufrag = p.requireValue(name, value);
                    if (!TransportAttributes.isUfrag(ufrag)) {
                        throw p.error(BAD_ATTRIBUTE, "ice-ufrag must be 4..256 ice-chars");
                    }
                }
                case "ice-pwd" -> {
                    if (pwd != null) {
                        throw p.error(DUPLICATE_ATTRIBUTE, name);
                    }
                    pwd = p.requireValue(name, value);
                    if (!TransportAttributes.isPwd(pwd)) {
                        throw p.error(BAD_ATTRIBUTE, "ice-pwd must be 22..256 ice-chars");
                    }
                }
                case "ice-options" -> {
                    if (options != null) {
                        throw p.error(DUPLICATE_ATTRIBUTE, name);
                    }
                    options = SdpSyntax.words(p.requireValue(name, value));
                    for (String option : options) {
                        if (!SdpSyntax.isIceChars(option, 1, 256)) {
                            throw p.error(BAD_ATTRIBUTE, "ice-option " + option);
                        }
                    }
                }
                case "fingerprint" -> fingerprints.add(Fingerprint.parse(p.requireValue(name, value)));
                case "setup" -> {
                    if (setup != null) {
                        throw p.error(DUPLICATE_ATTRIBUTE, name);
                    }
                    String v = p.requireValue(name, value);
                    setup = Setup.fromWire(v).orElseThrow(() -> p.error(BAD_ATTRIBUTE, "setup " + v));
                }
                case "candidate" -> {
                    if (!mediaLevel) {
                        return false;
                    }
                    candidates.add(IceCandidate.parseAttributeValue(p.requireValue(name, value)));
                }
                case "end-of-candidates" -> {
                    if (!mediaLevel) {
                        return false;
                    }
                    endOfCandidates = p.flag(name, value, endOfCandidates);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        TransportAttributes build() {
            return SdpSyntax.build(BAD_ATTRIBUTE, () -> new TransportAttributes(Optional.ofNullable(ufrag),
                    Optional.ofNullable(pwd), options == null ? List.of() : options, fingerprints,
                    Optional.ofNullable(setup), candidates, endOfCandidates));
        }
    }

    /** One m= section while it is being read. */
    private static final class MediaState {
        final int line;
        final boolean rtp;
        final List<String> formats;
        final TransportState transport = new TransportState();
        final Map<Integer, Codec> rtpmaps = new LinkedHashMap<>();
        final Map<Integer, String> fmtps = new HashMap<>();
        final Map<Integer, List<String>> feedback = new HashMap<>();
        final Set<Integer> extmapIds = new HashSet<>();
        final Set<String> flags = new HashSet<>();
        MediaDescription.Builder builder;
        String mid;
        boolean direction;
        boolean simulcast;
        boolean hasConnection;

        MediaState(int line, boolean rtp, List<String> formats) {
            this.line = line;
            this.rtp = rtp;
            this.formats = List.copyOf(formats);
            transport.mediaLevel = true;
        }

        boolean flag(String name, String value, SdpParser p) {
            return p.flag(name, value, !flags.add(name));
        }
    }
}
