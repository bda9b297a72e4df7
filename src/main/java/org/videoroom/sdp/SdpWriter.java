package org.videoroom.sdp;

import java.util.List;

/**
 * Serialises a {@link SessionDescription}: CRLF line ends (RFC 8866 §5), lines in the order RFC
 * 8866 §5 fixes (session: v o s i u e p c b t r z k a; media: m i c b k a). Attribute order
 * within a level is free; typed attributes come in a fixed order close to the browsers', then
 * the unknown ones in their original order. Stateless and thread-safe.
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    /** The SDP text of {@code description}. */
    public static String write(SessionDescription description) {
        StringBuilder sb = new StringBuilder(4096);
        line(sb, 'v', "0");
        line(sb, 'o', description.origin().format());
        line(sb, 's', description.sessionName());
        fields(sb, description.fields(), "iuep");
        description.connection().ifPresent(c -> line(sb, 'c', c.format()));
        for (Bandwidth b : description.bandwidths()) {
            line(sb, 'b', b.format());
        }
        for (Timing t : description.timings()) {
            line(sb, 't', t.format());
            for (String r : t.repeatTimes()) {
                line(sb, 'r', r);
            }
        }
        fields(sb, description.fields(), "zk");

        for (Group g : description.groups()) {
            attribute(sb, "group", g.format());
        }
        if (description.iceLite()) {
            flag(sb, "ice-lite");
        }
        transport(sb, description.transport());
        if (description.extmapAllowMixed()) {
            flag(sb, "extmap-allow-mixed");
        }
        description.msidSemantic().ifPresent(m -> attribute(sb, "msid-semantic", m.format()));
        description.direction().ifPresent(d -> flag(sb, d.wire()));
        others(sb, description.otherAttributes());

        for (MediaDescription m : description.media()) {
            media(sb, m);
        }
        return sb.toString();
    }

    private static void media(StringBuilder sb, MediaDescription m) {
        StringBuilder mline = new StringBuilder();
        mline.append(m.kind().wire()).append(' ').append(m.port());
        m.portCount().ifPresent(n -> mline.append('/').append(n));
        mline.append(' ').append(m.protocol());
        for (String fmt : m.formats()) {
            mline.append(' ').append(fmt);
        }
        line(sb, 'm', mline.toString());
        fields(sb, m.fields(), "i");
        m.connection().ifPresent(c -> line(sb, 'c', c.format()));
        for (Bandwidth b : m.bandwidths()) {
            line(sb, 'b', b.format());
        }
        fields(sb, m.fields(), "k");

        transport(sb, m.transport());
        m.mid().ifPresent(mid -> attribute(sb, "mid", mid));
        if (m.bundleOnly()) {
            flag(sb, "bundle-only");
        }
        for (HeaderExtension e : m.headerExtensions()) {
            attribute(sb, "extmap", e.format());
        }
        if (m.extmapAllowMixed()) {
            flag(sb, "extmap-allow-mixed");
        }
        m.direction().ifPresent(d -> flag(sb, d.wire()));
        for (Msid msid : m.msids()) {
            attribute(sb, "msid", msid.format());
        }
        if (m.rtcpMux()) {
            flag(sb, "rtcp-mux");
        }
        if (m.rtcpRsize()) {
            flag(sb, "rtcp-rsize");
        }
        for (Codec c : m.codecs()) {
            attribute(sb, "rtpmap", c.rtpmapValue());
            for (String fb : c.rtcpFeedbackValues()) {
                attribute(sb, "rtcp-fb", fb);
            }
            if (!c.fmtp().isEmpty()) {
                attribute(sb, "fmtp", c.payloadType() + " " + c.fmtp());
            }
        }
        for (String fb : m.wildcardRtcpFeedback()) {
            attribute(sb, "rtcp-fb", "* " + fb);
        }
        for (Rid rid : m.rids()) {
            attribute(sb, "rid", rid.format());
        }
        m.simulcast().ifPresent(s -> attribute(sb, "simulcast", s.format()));
        for (SsrcGroup g : m.ssrcGroups()) {
            attribute(sb, "ssrc-group", g.format());
        }
        for (SsrcAttribute a : m.ssrcAttributes()) {
            attribute(sb, "ssrc", a.format());
        }
        for (IceCandidate c : m.transport().candidates()) {
            attribute(sb, "candidate", c.attributeValue());
        }
        if (m.transport().endOfCandidates()) {
            flag(sb, "end-of-candidates");
        }
        others(sb, m.otherAttributes());
    }

    private static void transport(StringBuilder sb, TransportAttributes t) {
        t.iceUfrag().ifPresent(u -> attribute(sb, "ice-ufrag", u));
        t.icePwd().ifPresent(p -> attribute(sb, "ice-pwd", p));
        if (!t.iceOptions().isEmpty()) {
            attribute(sb, "ice-options", String.join(" ", t.iceOptions()));
        }
        for (Fingerprint f : t.fingerprints()) {
            attribute(sb, "fingerprint", f.format());
        }
        t.setup().ifPresent(s -> attribute(sb, "setup", s.wire()));
    }

    private static void fields(StringBuilder sb, List<SdpField> fields, String types) {
        // One pass per type letter keeps RFC order across types and source order within one.
        for (int i = 0; i < types.length(); i++) {
            char type = types.charAt(i);
            for (SdpField f : fields) {
                if (f.type() == type) {
                    line(sb, type, f.value());
                }
            }
        }
    }

    private static void others(StringBuilder sb, List<Attribute> attributes) {
        for (Attribute a : attributes) {
            line(sb, 'a', a.format());
        }
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        sb.append("a=").append(name).append(':').append(value).append(CRLF);
    }

    private static void flag(StringBuilder sb, String name) {
        sb.append("a=").append(name).append(CRLF);
    }

    private static void line(StringBuilder sb, char type, String value) {
        sb.append(type).append('=').append(value).append(CRLF);
    }
}
