package org.videoroom.media;

import java.util.Locale;
import java.util.Optional;
import org.videoroom.sdp.Codec;

/**
 * Whether a subscriber can decode what a publisher encodes under two negotiations' payload types: same encoding
 * name, clock rate and channels, and for the codecs whose fmtp names a bitstream format, the same format (H264's
 * packetization mode and profile — profile_idc and constraint flags of {@code profile-level-id}, RFC 6184 §8.1 —
 * and VP9's {@code profile-id}). The level may differ: a decoder of a higher level decodes a lower one.
 */
final class CodecMatch {

    private CodecMatch() {
    }

    static boolean compatible(Codec published, Codec received) {
        if (!published.name().equalsIgnoreCase(received.name()) || published.clockRate() != received.clockRate()
                || published.channelCount() != received.channelCount()) {
            return false;
        }
        return switch (published.name().toUpperCase(Locale.ROOT)) {
            case "H264" -> same(published, received, "packetization-mode", "0")
                    && profile(published).equals(profile(received));
            case "VP9" -> same(published, received, "profile-id", "0");
            default -> true;
        };
    }

    private static boolean same(Codec a, Codec b, String parameter, String absentMeans) {
        return a.parameter(parameter).orElse(absentMeans).equalsIgnoreCase(b.parameter(parameter).orElse(absentMeans));
    }

    /** profile_idc and profile-iop: the first four hex digits of profile-level-id (RFC 6184 §8.1; default 42000A). */
    private static String profile(Codec codec) {
        Optional<String> id = codec.parameter("profile-level-id");
        String value = id.filter(v -> v.length() == 6).orElse("42000A");
        return value.substring(0, 4).toLowerCase(Locale.ROOT);
    }
}
