package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A whole session description (RFC 8866 §5): session-level lines and attributes, then the m=
 * sections in order. Attributes WebRTC gives meaning to are typed; any other is kept in
 * {@link #otherAttributes()}.
 *
 * <p>Parse one with {@link SdpParser#parse(String)}, write one with {@link #toSdp()}, build one with
 * {@link #builder(Origin)}.
 *
 * @param sessionName the s= line
 * @param fields descriptive {@code i= u= e= p= z= k=} lines, kept verbatim
 * @param timings at least one t= line (WebRTC: exactly {@code t=0 0})
 * @param transport session-level ICE/DTLS attributes; never candidates (those are media-level)
 * @param direction a session-level direction applies to m= sections without one (Firefox writes
 *     {@code a=sendrecv} here)
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpField> fields,
        Optional<Connection> connection, List<Bandwidth> bandwidths, List<Timing> timings, List<Group> groups,
        Optional<MsidSemantic> msidSemantic, boolean extmapAllowMixed, boolean iceLite, TransportAttributes transport,
        Optional<Direction> direction, List<Attribute> otherAttributes, List<MediaDescription> media) {

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        require(sessionName != null && sessionName.indexOf('\n') < 0 && sessionName.indexOf('\r') < 0, "s=",
                sessionName);
        fields = List.copyOf(fields);
        Objects.requireNonNull(connection, "connection");
        bandwidths = List.copyOf(bandwidths);
        timings = List.copyOf(timings);
        require(!timings.isEmpty(), "t= lines", "none");
        groups = List.copyOf(groups);
        Objects.requireNonNull(msidSemantic, "msidSemantic");
        Objects.requireNonNull(transport, "transport");
        require(transport.candidates().isEmpty() && !transport.endOfCandidates(), "session-level candidates",
                transport.candidates());
        Objects.requireNonNull(direction, "direction");
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
        Set<String> mids = new HashSet<>();
        for (MediaDescription m : media) {
            m.mid().ifPresent(mid -> require(mids.add(mid), "duplicate mid", mid));
        }
        for (Group g : groups) {
            for (String mid : g.mids()) {
                require(mids.contains(mid), "group names an unknown mid", mid);
            }
        }
    }

    /** A builder with this origin, {@code s=-}, {@code t=0 0} and nothing else. */
    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    /** A builder holding this description's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The SDP text, CRLF line ends, RFC 8866 order. */
    public String toSdp() {
        return SdpWriter.write(this);
    }

    /** The BUNDLE groups (RFC 9143); WebRTC with max-bundle has exactly one. */
    public List<Group> bundleGroups() {
        return groups.stream().filter(Group::isBundle).toList();
    }

    /** The m= section with this mid. */
    public Optional<MediaDescription> media(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The ICE/DTLS attributes in force for {@code m}: its own, else the session's. */
    public TransportAttributes transportOf(MediaDescription m) {
        return m.transport().orElse(transport);
    }

    /** The direction in force for {@code m}: its own, else the session's, else sendrecv. */
    public Direction directionOf(MediaDescription m) {
        return m.direction().or(() -> direction).orElse(Direction.SENDRECV);
    }

    /**
     * Mutable builder for {@link SessionDescription}. Not thread-safe; list setters copy their
     * argument, adders append.
     */
    public static final class Builder {
        private Origin origin;
        private String sessionName = "-";
        private List<SdpField> fields = new ArrayList<>();
        private Optional<Connection> connection = Optional.empty();
        private List<Bandwidth> bandwidths = new ArrayList<>();
        private List<Timing> timings = new ArrayList<>(List.of(Timing.UNBOUNDED));
        private List<Group> groups = new ArrayList<>();
        private Optional<MsidSemantic> msidSemantic = Optional.empty();
        private boolean extmapAllowMixed;
        private boolean iceLite;
        private TransportAttributes transport = TransportAttributes.NONE;
        private Optional<Direction> direction = Optional.empty();
        private List<Attribute> otherAttributes = new ArrayList<>();
        private List<MediaDescription> media = new ArrayList<>();

        private Builder(Origin origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
        }

        private Builder(SessionDescription s) {
            origin = s.origin;
            sessionName = s.sessionName;
            fields = new ArrayList<>(s.fields);
            connection = s.connection;
            bandwidths = new ArrayList<>(s.bandwidths);
            timings = new ArrayList<>(s.timings);
            groups = new ArrayList<>(s.groups);
            msidSemantic = s.msidSemantic;
            extmapAllowMixed = s.extmapAllowMixed;
            iceLite = s.iceLite;
            transport = s.transport;
            direction = s.direction;
            otherAttributes = new ArrayList<>(s.otherAttributes);
            media = new ArrayList<>(s.media);
        }

        public Builder origin(Origin value) {
            origin = Objects.requireNonNull(value);
            return this;
        }

        public Builder sessionName(String value) {
            sessionName = value;
            return this;
        }

        public Builder fields(List<SdpField> value) {
            fields = new ArrayList<>(value);
            return this;
        }

        public Builder addField(SdpField value) {
            fields.add(value);
            return this;
        }

        public Builder connection(Connection value) {
            connection = Optional.ofNullable(value);
            return this;
        }

        public Builder bandwidths(List<Bandwidth> value) {
            bandwidths = new ArrayList<>(value);
            return this;
        }

        public Builder addBandwidth(Bandwidth value) {
            bandwidths.add(value);
            return this;
        }

        public Builder timings(List<Timing> value) {
            timings = new ArrayList<>(value);
            return this;
        }

        public Builder groups(List<Group> value) {
            groups = new ArrayList<>(value);
            return this;
        }

        public Builder addGroup(Group value) {
            groups.add(value);
            return this;
        }

        public Builder msidSemantic(MsidSemantic value) {
            msidSemantic = Optional.ofNullable(value);
            return this;
        }

        public Builder extmapAllowMixed(boolean value) {
            extmapAllowMixed = value;
            return this;
        }

        public Builder iceLite(boolean value) {
            iceLite = value;
            return this;
        }

        public Builder transport(TransportAttributes value) {
            transport = Objects.requireNonNull(value);
            return this;
        }

        public Builder direction(Direction value) {
            direction = Optional.ofNullable(value);
            return this;
        }

        public Builder otherAttributes(List<Attribute> value) {
            otherAttributes = new ArrayList<>(value);
            return this;
        }

        public Builder addOtherAttribute(Attribute value) {
            otherAttributes.add(value);
            return this;
        }

        public Builder media(List<MediaDescription> value) {
            media = new ArrayList<>(value);
            return this;
        }

        public Builder addMedia(MediaDescription value) {
            media.add(value);
            return this;
        }

        /** The description; the record's constructor validates it. */
        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, fields, connection, bandwidths, timings, groups,
                    msidSemantic, extmapAllowMixed, iceLite, transport, direction, otherAttributes, media);
        }
    }
}
