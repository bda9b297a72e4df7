package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

/**
 * A descriptive line WebRTC does not use but a description may carry: session or media title
 * {@code i=}, {@code u=}, {@code e=}, {@code p=}, {@code z=} and the obsolete {@code k=} (RFC 8866
 * §5.4-5.6, §5.11, §5.12). Kept verbatim so a description survives a round trip; the writer puts
 * each back in its RFC 8866 position.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param type the line's type letter
 * @param value everything after {@code <type>=}
 */
public record SdpField(char type, String value) {

    /** Type letters allowed at session level. */
    static final String SESSION_TYPES = "iuepzk";
    /** Type letters allowed at media level. */
    static final String MEDIA_TYPES = "ik";

    public SdpField {
        require(SESSION_TYPES.indexOf(type) >= 0, "descriptive field type", type);
        require(value != null, "field value", value);
    }
}
