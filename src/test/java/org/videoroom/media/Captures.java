package org.videoroom.media;

/** The real browser offers in {@code src/test/resources/captures/} (see its README), as the media tests use them. */
final class Captures {

    /** Chromium 156: mid 0 audio and mid 1 video sendrecv (published), mid 2 audio and mid 3 video recvonly. */
    static final String CHROMIUM_OFFER = "chromium-156-offer.sdp";
    /** The same, after ICE gathering: candidates on 127.0.0.1, ::1 and two addresses ICE must ignore. */
    static final String CHROMIUM_OFFER_GATHERED = "chromium-156-offer-gathered.sdp";
    /** Firefox 153: the same four transceivers; m-lines after the first are bundle-only with port 0. */
    static final String FIREFOX_OFFER = "firefox-153-offer.sdp";
    /** The same, after ICE gathering (its only address, 10.99.0.1, is outside the test's allowed networks). */
    static final String FIREFOX_OFFER_GATHERED = "firefox-153-offer-gathered.sdp";

    /** Re-offers of the same connections after {@code stop()} on the recvonly audio transceiver (mid 2). */
    static final String CHROMIUM_REOFFER_STOPPED = "chromium-156-reoffer-stopped.sdp";
    static final String FIREFOX_REOFFER_STOPPED = "firefox-153-reoffer-stopped.sdp";
    /** New connections publishing audio and a three-layer simulcast video (rids q, h, f). */
    static final String CHROMIUM_OFFER_SIMULCAST = "chromium-156-offer-simulcast.sdp";
    static final String FIREFOX_OFFER_SIMULCAST = "firefox-153-offer-simulcast.sdp";

    /** The SSRCs the captures announce for their published m-lines (mid 0 audio, mid 1 video). */
    static final long CHROMIUM_AUDIO_SSRC = 2791869824L;
    static final long CHROMIUM_VIDEO_SSRC = 1968883378L;
    static final long FIREFOX_AUDIO_SSRC = 4216251460L;
    static final long FIREFOX_VIDEO_SSRC = 2869399780L;

    private Captures() {
    }

    static String text(String name) {
        return org.videoroom.sdp.Captures.text(name);
    }

    /**
     * The capture as a second browser of the same build would offer it: the same lines with other SSRCs (each
     * one's bits flipped), since SSRCs are unique per room and the server refuses a second publisher of one.
     */
    static String secondBrowser(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(a=ssrc:|a=ssrc-group:FID |(?<=a=ssrc-group:FID \\d{1,10}) )(\\d+)")
                .matcher(text(name));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long flipped = Long.parseLong(m.group(2)) ^ 0x5A5A_5A5AL;
            m.appendReplacement(out, m.group(1) + flipped);
        }
        return m.appendTail(out).toString();
    }
}
