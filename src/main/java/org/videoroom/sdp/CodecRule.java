package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One codec the SFU accepts: encoding name, clock rate, channel count and the format parameters
 * an offered codec must carry to match (e.g. H264 {@code packetization-mode=1}, the only mode the
 * SFU can forward without depacketizing single NAL units from interleaved streams).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param name encoding name, compared ignoring case
 * @param channels 1 for video and mono audio
 * @param requiredParameters fmtp parameters an offered codec must have with exactly these values
 *     (names compared ignoring case)
 * @param required when true, an accepted m= section of this kind that does not offer the codec
 *     cannot be answered (the SFU forwards without transcoding, so every participant needs it)
 */
public record CodecRule(String name, int clockRate, int channels, Map<String, String> requiredParameters,
        boolean required) {

    public CodecRule {
        require(SdpSyntax.isToken(name), "codec name", name);
        require(clockRate > 0, "clock rate", clockRate);
        require(channels > 0, "channels", channels);
        requiredParameters = Collections.unmodifiableMap(new LinkedHashMap<>(requiredParameters));
    }

    /** A codec every accepted m= section of its kind must offer. */
    public static CodecRule required(String name, int clockRate, int channels) {
        return new CodecRule(name, clockRate, channels, Map.of(), true);
    }

    /** A codec accepted when offered. */
    public static CodecRule accepted(String name, int clockRate, int channels) {
        return new CodecRule(name, clockRate, channels, Map.of(), false);
    }

    /** This rule, further requiring {@code key=value} in the offered fmtp. */
    public CodecRule withParameter(String key, String value) {
        Map<String, String> params = new LinkedHashMap<>(requiredParameters);
        params.put(key, value);
        return new CodecRule(name, clockRate, channels, params, required);
    }

    /** True when the offered codec is this one. RTX never matches: it follows its primary codec. */
    public boolean matches(Codec offered) {
        if (offered.isRtx() || !offered.is(name, clockRate) || offered.channelCount() != channels) {
            return false;
        }
        for (Map.Entry<String, String> p : requiredParameters.entrySet()) {
            if (!offered.parameter(p.getKey()).filter(p.getValue()::equalsIgnoreCase).isPresent()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + "/" + clockRate + (channels > 1 ? "/" + channels : "") + (requiredParameters.isEmpty() ? ""
                : " " + requiredParameters);
    }
}
