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
}
