package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One RTP payload format of an m= section: its {@code a=rtpmap} (RFC 8866 §6.6:
 * {@code <payload type> <encoding name>/<clock rate>[/<encoding parameters>]}), its {@code a=fmtp}
 * (§6.15) and its {@code a=rtcp-fb} lines (RFC 4585 §4.2).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param payloadType 0..127 (RFC 3550 §5.1: seven bits)
 * @param name encoding name as written ({@code opus}, {@code VP8}, {@code rtx}); compare ignoring case
 * @param channels the audio channel count, present only when the rtpmap wrote it
 * @param fmtp the format parameters as written, "" when the codec has no {@code a=fmtp}
 * @param rtcpFeedback each {@code a=rtcp-fb} value after the payload type, e.g. "nack pli"
 */
public record Codec(int payloadType, String name, int clockRate, OptionalInt channels, String fmtp,
        List<String> rtcpFeedback) {

    public Codec {
        require(payloadType >= 0 && payloadType <= 127, "payload type", payloadType);
        require(SdpSyntax.isToken(name), "encoding name", name);
        require(clockRate > 0, "clock rate", clockRate);
        Objects.requireNonNull(channels, "channels");
        channels.ifPresent(c -> require(c > 0, "channels", c));
        Objects.requireNonNull(fmtp, "fmtp");
        require(fmtp.indexOf('\r') < 0 && fmtp.indexOf('\n') < 0, "fmtp", fmtp);
        rtcpFeedback = List.copyOf(rtcpFeedback);
        for (String fb : rtcpFeedback) {
            require(isFeedback(fb), "rtcp-fb", fb);
        }
    }

    /** A codec with no format parameters and no feedback. */
    public static Codec of(int payloadType, String name, int clockRate) {
        return new Codec(payloadType, name, clockRate, OptionalInt.empty(), "", List.of());
    }

    /** RFC 4585 §4.2 rtcp-fb-val: visible words separated by single spaces. */
    static boolean isFeedback(String fb) {
        if (fb.isEmpty() || fb.startsWith(" ") || fb.endsWith(" ") || fb.contains("  ")) {
            return false;
        }
        for (String word : fb.split(" ")) {
            if (!SdpSyntax.isVisible(word)) {
                return false;
            }
        }
        return true;
    }

    /** True for RTX (RFC 4588 §8): a retransmission format bound to another by {@code apt}. */
    public boolean isRtx() {
        return "rtx".equalsIgnoreCase(name);
    }

    /** True when this codec is {@code name} at {@code clockRate}; encoding names ignore case. */
    public boolean is(String encodingName, int rate) {
        return name.equalsIgnoreCase(encodingName) && clockRate == rate;
    }

    /** The channel count, 1 when the rtpmap omits it (RFC 8866 §6.6). */
    public int channelCount() {
        return channels.orElse(1);
    }

    /**
     * The {@code key=value} pairs of {@link #fmtp()}, in order. Entries without '=' (such as
     * telephone-event's {@code 0-15}) are not key/value pairs and are left out.
     */
    public Map<String, String> parameters() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : fmtp.split(";")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** One format parameter; names compare ignoring case as the codec specs define them. */
    public Optional<String> parameter(String key) {
        for (Map.Entry<String, String> e : parameters().entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** For RTX, the payload type it retransmits ({@code apt}, RFC 4588 §8). */
    public OptionalInt associatedPayloadType() {
        Optional<String> apt = parameter("apt");
        if (apt.isEmpty()) {
            return OptionalInt.empty();
        }
        long pt = SdpSyntax.parseUnsigned(apt.get(), 3, 127);
        return pt < 0 ? OptionalInt.empty() : OptionalInt.of((int) pt);
    }

    /** This codec with other format parameters. */
    public Codec withFmtp(String parameters) {
        return new Codec(payloadType, name, clockRate, channels, parameters, rtcpFeedback);
    }

    /** This codec with other feedback lines. */
    public Codec withRtcpFeedback(List<String> feedback) {
        return new Codec(payloadType, name, clockRate, channels, fmtp, feedback);
    }

    /** Parses an {@code a=rtpmap} value into a codec with no fmtp and no feedback yet. */
    static Codec parseRtpmap(String value) {
        int space = value.indexOf(' ');
        long pt = space < 0 ? -1 : SdpSyntax.parseUnsigned(value.substring(0, space), 3, 127);
        if (pt < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "rtpmap: " + value);
        }
        String[] parts = value.substring(space + 1).trim().split("/", -1);
        long rate = parts.length >= 2 ? SdpSyntax.parseUnsigned(parts[1], 10, Integer.MAX_VALUE) : -1;
        long channels = parts.length == 3 ? SdpSyntax.parseUnsigned(parts[2], 3, 255) : 0;
        if (parts.length > 3 || rate <= 0 || channels < 0) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "rtpmap: " + value);
        }
        OptionalInt ch = parts.length == 3 ? OptionalInt.of((int) channels) : OptionalInt.empty();
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE,
                () -> new Codec((int) pt, parts[0], (int) rate, ch, "", List.of()));
    }

    /** The value after {@code a=rtpmap:}. */
    public String rtpmapValue() {
        return payloadType + " " + name + "/" + clockRate + (channels.isPresent() ? "/" + channels.getAsInt() : "");
    }

    /** The {@code a=rtcp-fb} values for this codec, each after {@code a=rtcp-fb:}. */
    public List<String> rtcpFeedbackValues() {
        List<String> values = new ArrayList<>(rtcpFeedback.size());
        for (String fb : rtcpFeedback) {
            values.add(payloadType + " " + fb);
        }
        return values;
    }
}
