package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One m= section (RFC 8866 §5.14) with the attributes WebRTC gives meaning to, each typed; every
 * other attribute is kept in {@link #otherAttributes()} in the order it came.
 *
 * <p>Build one with {@link #builder(MediaKind)}; change one with {@link #toBuilder()}.
 *
 * @param port 0 rejects the section, unless {@link #bundleOnly()} (RFC 9143 §6)
 * @param portCount the optional {@code /<number of ports>} of the m= line
 * @param protocol e.g. {@code UDP/TLS/RTP/SAVPF} or {@code UDP/DTLS/SCTP}
 * @param formats the m= line's format list: payload types for RTP, {@code webrtc-datachannel} for SCTP
 * @param fields descriptive {@code i=} and {@code k=} lines, kept verbatim
 * @param direction absent means {@link Direction#SENDRECV} unless the session level says otherwise
 * @param codecs one per {@code a=rtpmap}, in m= line order; a listed static payload type without an
 *     rtpmap has no codec here (its fmtp/rtcp-fb lines, if any, stay in {@link #otherAttributes()})
 * @param wildcardRtcpFeedback {@code a=rtcp-fb:* <value>} lines: feedback for every codec
 * @param ssrcAttributes every {@code a=ssrc} line in order
 */
public record MediaDescription(MediaKind kind, int port, OptionalInt portCount, String protocol, List<String> formats,
        List<SdpField> fields, Optional<Connection> connection, List<Bandwidth> bandwidths, Optional<String> mid,
        Optional<Direction> direction, boolean rtcpMux, boolean rtcpRsize, boolean bundleOnly, boolean extmapAllowMixed,
        TransportAttributes transport, List<Codec> codecs, List<String> wildcardRtcpFeedback,
        List<HeaderExtension> headerExtensions, List<Msid> msids, List<SsrcAttribute> ssrcAttributes,
        List<SsrcGroup> ssrcGroups, List<Rid> rids, Optional<Simulcast> simulcast, List<Attribute> otherAttributes) {

    /** The discard port JSEP puts on m= lines before a candidate is known (RFC 8829 §5.2.1). */
    public static final int DISCARD_PORT = 9;

    public MediaDescription {
        Objects.requireNonNull(kind, "kind");
        require(port >= 0 && port <= 65535, "port", port);
        Objects.requireNonNull(portCount, "portCount");
        portCount.ifPresent(n -> require(n >= 1, "number of ports", n));
        require(isProtocol(protocol), "proto", protocol);
        formats = List.copyOf(formats);
        require(!formats.isEmpty(), "fmt list", formats);
        boolean rtp = isRtpProtocol(protocol);
        for (String fmt : formats) {
            require(rtp ? SdpSyntax.parseUnsigned(fmt, 3, 127) >= 0 : SdpSyntax.isToken(fmt), "fmt", fmt);
        }
        fields = List.copyOf(fields);
        for (SdpField f : fields) {
            require(SdpField.MEDIA_TYPES.indexOf(f.type()) >= 0, "media-level field", f.type());
        }
        Objects.requireNonNull(connection, "connection");
        bandwidths = List.copyOf(bandwidths);
        Objects.requireNonNull(mid, "mid");
        mid.ifPresent(m -> require(SdpSyntax.isToken(m), "mid", m));
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(transport, "transport");
        codecs = List.copyOf(codecs);
        Set<Integer> payloadTypes = new HashSet<>();
        for (Codec c : codecs) {
            require(payloadTypes.add(c.payloadType()), "duplicate rtpmap payload type", c.payloadType());
            require(formats.contains(Integer.toString(c.payloadType())), "rtpmap payload type not on the m= line",
                    c.payloadType());
        }
        wildcardRtcpFeedback = List.copyOf(wildcardRtcpFeedback);
        headerExtensions = List.copyOf(headerExtensions);
        Set<Integer> ids = new HashSet<>();
        for (HeaderExtension e : headerExtensions) {
            require(ids.add(e.id()), "duplicate extmap id", e.id());
        }
        msids = List.copyOf(msids);
        ssrcAttributes = List.copyOf(ssrcAttributes);
        ssrcGroups = List.copyOf(ssrcGroups);
        rids = List.copyOf(rids);
        Objects.requireNonNull(simulcast, "simulcast");
        otherAttributes = List.copyOf(otherAttributes);
    }

    /** RFC 8866 §9 proto: token *("/" token). */
    private static boolean isProtocol(String proto) {
        if (proto == null || proto.isEmpty()) {
            return false;
        }
        for (String part : proto.split("/", -1)) {
            if (!SdpSyntax.isToken(part)) {
                return false;
            }
        }
        return true;
    }

    static boolean isRtpProtocol(String proto) {
        return List.of(proto.split("/")).contains("RTP");
    }

    /** A builder for an m= section of {@code kind}, port 9, {@code UDP/TLS/RTP/SAVPF}. */
    public static Builder builder(MediaKind kind) {
        return new Builder(kind);
    }

    /** A builder holding this section's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when the protocol carries RTP (its formats are payload types). */
    public boolean isRtp() {
        return isRtpProtocol(protocol);
    }

    /** True when the section is rejected or stopped: port 0 without {@code a=bundle-only}. */
    public boolean isRejected() {
        return port == 0 && !bundleOnly;
    }

    /** The direction, or {@code sessionDefault} when the section has none. */
    public Direction directionOr(Direction sessionDefault) {
        return direction.orElse(sessionDefault);
    }

    /** The m= line's payload types (RTP sections only). */
    public List<Integer> payloadTypes() {
        if (!isRtp()) {
            return List.of();
        }
        return formats.stream().map(Integer::valueOf).toList();
    }

    /** The codec with this payload type, if it has an rtpmap. */
    public Optional<Codec> codec(int payloadType) {
        for (Codec c : codecs) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The mapping for this header extension URI, if offered. */
    public Optional<HeaderExtension> headerExtension(String uri) {
        for (HeaderExtension e : headerExtensions) {
            if (e.uri().equals(uri)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every SSRC named by an {@code a=ssrc} line, first appearance order. */
    public List<Long> ssrcs() {
        Set<Long> ssrcs = new LinkedHashSet<>();
        for (SsrcAttribute a : ssrcAttributes) {
            ssrcs.add(a.ssrc());
        }
        return List.copyOf(ssrcs);
    }

    /** The value of one source attribute ({@code cname}, {@code msid}) of {@code ssrc}. */
    public Optional<String> ssrcAttribute(long ssrc, String attribute) {
        for (SsrcAttribute a : ssrcAttributes) {
            if (a.ssrc() == ssrc && a.attribute().equals(attribute)) {
                return a.value();
            }
        }
        return Optional.empty();
    }

    /** The {@code a=ssrc-group} lines with these semantics ({@link SsrcGroup#FID}, ...). */
    public List<SsrcGroup> ssrcGroups(String semantics) {
        return ssrcGroups.stream().filter(g -> g.semantics().equals(semantics)).toList();
    }

    /** The {@code a=rid} lines with this direction. */
    public List<Rid> rids(RidDirection ridDirection) {
        return rids.stream().filter(r -> r.direction() == ridDirection).toList();
    }

    /**
     * Mutable builder for {@link MediaDescription}. Not thread-safe; list setters copy their
     * argument, adders append.
     */
    public static final class Builder {
        private MediaKind kind;
        private int port = DISCARD_PORT;
        private OptionalInt portCount = OptionalInt.empty();
        private String protocol = "UDP/TLS/RTP/SAVPF";
        private List<String> formats = new ArrayList<>();
        private List<SdpField> fields = new ArrayList<>();
        private Optional<Connection> connection = Optional.empty();
        private List<Bandwidth> bandwidths = new ArrayList<>();
        private Optional<String> mid = Optional.empty();
        private Optional<Direction> direction = Optional.empty();
        private boolean rtcpMux;
        private boolean rtcpRsize;
        private boolean bundleOnly;
        private boolean extmapAllowMixed;
        private TransportAttributes transport = TransportAttributes.NONE;
        private List<Codec> codecs = new ArrayList<>();
        private List<String> wildcardRtcpFeedback = new ArrayList<>();
        private List<HeaderExtension> headerExtensions = new ArrayList<>();
        private List<Msid> msids = new ArrayList<>();
        private List<SsrcAttribute> ssrcAttributes = new ArrayList<>();
        private List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private List<Rid> rids = new ArrayList<>();
        private Optional<Simulcast> simulcast = Optional.empty();
        private List<Attribute> otherAttributes = new ArrayList<>();

        private Builder(MediaKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        private Builder(MediaDescription m) {
            kind = m.kind;
            port = m.port;
            portCount = m.portCount;
            protocol = m.protocol;
            formats = new ArrayList<>(m.formats);
            fields = new ArrayList<>(m.fields);
            connection = m.connection;
            bandwidths = new ArrayList<>(m.bandwidths);
            mid = m.mid;
            direction = m.direction;
            rtcpMux = m.rtcpMux;
            rtcpRsize = m.rtcpRsize;
            bundleOnly = m.bundleOnly;
            extmapAllowMixed = m.extmapAllowMixed;
            transport = m.transport;
            codecs = new ArrayList<>(m.codecs);
            wildcardRtcpFeedback = new ArrayList<>(m.wildcardRtcpFeedback);
            headerExtensions = new ArrayList<>(m.headerExtensions);
            msids = new ArrayList<>(m.msids);
            ssrcAttributes = new ArrayList<>(m.ssrcAttributes);
            ssrcGroups = new ArrayList<>(m.ssrcGroups);
            rids = new ArrayList<>(m.rids);
            simulcast = m.simulcast;
            otherAttributes = new ArrayList<>(m.otherAttributes);
        }

        public Builder kind(MediaKind value) {
            kind = Objects.requireNonNull(value);
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder portCount(OptionalInt value) {
            portCount = value;
            return this;
        }

        public Builder protocol(String value) {
            protocol = value;
            return this;
        }

        public Builder formats(List<String> value) {
            formats = new ArrayList<>(value);
            return this;
        }

        public Builder addField(SdpField value) {
            fields.add(value);
            return this;
        }

        public Builder fields(List<SdpField> value) {
            fields = new ArrayList<>(value);
            return this;
        }

        public Builder connection(Connection value) {
            connection = Optional.ofNullable(value);
            return this;
        }

        public Builder addBandwidth(Bandwidth value) {
            bandwidths.add(value);
            return this;
        }

        public Builder bandwidths(List<Bandwidth> value) {
            bandwidths = new ArrayList<>(value);
            return this;
        }

        public Builder mid(String value) {
            mid = Optional.ofNullable(value);
            return this;
        }

        public Builder direction(Direction value) {
            direction = Optional.ofNullable(value);
            return this;
        }

        public Builder rtcpMux(boolean value) {
            rtcpMux = value;
            return this;
        }

        public Builder rtcpRsize(boolean value) {
            rtcpRsize = value;
            return this;
        }

        public Builder bundleOnly(boolean value) {
            bundleOnly = value;
            return this;
        }

        public Builder extmapAllowMixed(boolean value) {
            extmapAllowMixed = value;
            return this;
        }

        public Builder transport(TransportAttributes value) {
            transport = Objects.requireNonNull(value);
            return this;
        }

        public Builder codecs(List<Codec> value) {
            codecs = new ArrayList<>(value);
            return this;
        }

        public Builder addCodec(Codec value) {
            codecs.add(value);
            return this;
        }

        public Builder wildcardRtcpFeedback(List<String> value) {
            wildcardRtcpFeedback = new ArrayList<>(value);
            return this;
        }

        public Builder addWildcardRtcpFeedback(String value) {
            wildcardRtcpFeedback.add(value);
            return this;
        }

        public Builder headerExtensions(List<HeaderExtension> value) {
            headerExtensions = new ArrayList<>(value);
            return this;
        }

        public Builder addHeaderExtension(HeaderExtension value) {
            headerExtensions.add(value);
            return this;
        }

        public Builder msids(List<Msid> value) {
            msids = new ArrayList<>(value);
            return this;
        }

        public Builder addMsid(Msid value) {
            msids.add(value);
            return this;
        }

        public Builder ssrcAttributes(List<SsrcAttribute> value) {
            ssrcAttributes = new ArrayList<>(value);
            return this;
        }

        public Builder addSsrcAttribute(SsrcAttribute value) {
            ssrcAttributes.add(value);
            return this;
        }

        public Builder ssrcGroups(List<SsrcGroup> value) {
            ssrcGroups = new ArrayList<>(value);
            return this;
        }

        public Builder addSsrcGroup(SsrcGroup value) {
            ssrcGroups.add(value);
            return this;
        }

        public Builder rids(List<Rid> value) {
            rids = new ArrayList<>(value);
            return this;
        }

        public Builder addRid(Rid value) {
            rids.add(value);
            return this;
        }

        public Builder simulcast(Simulcast value) {
            simulcast = Optional.ofNullable(value);
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

        /** The description; the record's constructor validates it. */
        public MediaDescription build() {
            return new MediaDescription(kind, port, portCount, protocol, formats, fields, connection, bandwidths, mid,
                    direction, rtcpMux, rtcpRsize, bundleOnly, extmapAllowMixed, transport, codecs,
                    wildcardRtcpFeedback, headerExtensions, msids, ssrcAttributes, ssrcGroups, rids, simulcast,
                    otherAttributes);
        }
    }
}
