package org.videoroom.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the real browser captures in {@code src/test/resources/captures/} (see its README). */
public final class Captures {

    static final String CHROMIUM_OFFER = "chromium-156-offer.sdp";
    static final String CHROMIUM_OFFER_GATHERED = "chromium-156-offer-gathered.sdp";
    static final String CHROMIUM_REOFFER_STOPPED = "chromium-156-reoffer-stopped.sdp";
    static final String CHROMIUM_OFFER_SIMULCAST = "chromium-156-offer-simulcast.sdp";
    static final String CHROMIUM_REOFFER_RECYCLED = "chromium-156-reoffer-recycled.sdp";
    static final String CHROMIUM_CANDIDATES = "chromium-156-candidates.jsonl";
    static final String FIREFOX_OFFER = "firefox-153-offer.sdp";
    static final String FIREFOX_OFFER_GATHERED = "firefox-153-offer-gathered.sdp";
    static final String FIREFOX_REOFFER_STOPPED = "firefox-153-reoffer-stopped.sdp";
    static final String FIREFOX_OFFER_SIMULCAST = "firefox-153-offer-simulcast.sdp";
    static final String FIREFOX_REOFFER_ADDED = "firefox-153-reoffer-added.sdp";
    static final String FIREFOX_CANDIDATES = "firefox-153-candidates.jsonl";

    /** Every SDP capture. */
    static final List<String> ALL_SDP = List.of(CHROMIUM_OFFER, CHROMIUM_OFFER_GATHERED, CHROMIUM_REOFFER_STOPPED,
            CHROMIUM_OFFER_SIMULCAST, CHROMIUM_REOFFER_RECYCLED, FIREFOX_OFFER, FIREFOX_OFFER_GATHERED,
            FIREFOX_REOFFER_STOPPED, FIREFOX_OFFER_SIMULCAST, FIREFOX_REOFFER_ADDED);

    private Captures() {
    }

    public static String text(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A capture as an offer without transport-wide congestion control, as older clients and some libwebrtc
     * builds make it: every {@code a=rtcp-fb:* transport-cc} and the transport-wide {@code a=extmap} removed,
     * {@code goog-remb} and abs-send-time left. Line endings stay CRLF.
     */
    public static String withoutTransportCc(String name) {
        StringBuilder out = new StringBuilder();
        for (String line : text(name).split("\r\n")) {
            if (line.endsWith(" transport-cc") || line.endsWith(HeaderExtensionUris.TRANSPORT_WIDE_CC)) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    static SessionDescription parse(String name) {
        return SdpParser.parse(text(name));
    }
}
