package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

/**
 * Bounds the parser enforces before it builds anything, so hostile input costs little. The
 * defaults fit the signaling channel, whose messages are at most 64 KiB: a description cannot be
 * longer than the message that carries it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param maxChars total length of the description in chars
 * @param maxLines number of lines
 * @param maxLineLength length of one line without its line end
 * @param maxMediaSections number of m= sections
 */
public record SdpLimits(int maxChars, int maxLines, int maxLineLength, int maxMediaSections) {

    /** 64 KiB, 4096 lines of at most 4096 chars, 256 m= sections. */
    public static final SdpLimits DEFAULT = new SdpLimits(64 * 1024, 4096, 4096, 256);

    public SdpLimits {
        require(maxChars > 0, "maxChars", maxChars);
        require(maxLines > 0, "maxLines", maxLines);
        require(maxLineLength > 0, "maxLineLength", maxLineLength);
        require(maxMediaSections > 0, "maxMediaSections", maxMediaSections);
    }
}
