package org.videoroom.load.session;

import java.util.ArrayList;
import java.util.List;
import org.videoroom.sdp.Fingerprint;

/**
 * The offers a synthetic participant sends, shaped like Chromium's (unified plan, max-bundle, rtcp-mux): m-line 0
 * publishes Opus, m-line 1 publishes VP8 as simulcast with the rids {@link #RIDS} (lowest first) and RTX, and one
 * {@code recvonly} m-line per remote track follows. A slot whose track is gone stays in place, stopped (port 0,
 * out of the BUNDLE group), as JSEP requires of m-lines once offered.
 *
 * <p>Every m-line carries the same payload types and extension ids, so a packet's meaning does not depend on its
 * m-line; the ids are Chromium's.
 */
public final class OfferSdp {

    public static final String AUDIO_MID = "0";
    public static final String VIDEO_MID = "1";
    public static final List<String> RIDS = List.of("q", "h", "f");

    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int RTX_PT = 97;

    public static final int AUDIO_LEVEL_ID = 1;
    public static final int ABS_SEND_TIME_ID = 2;
    public static final int TRANSPORT_CC_ID = 3;
    public static final int MID_ID = 4;
    public static final int RID_ID = 10;
    public static final int REPAIRED_RID_ID = 11;

    /** One receive slot: its MID, whether it carries video, and whether it is still wanted. */
    public record ReceiveSlot(String mid, boolean video, boolean stopped) {
    }

    private OfferSdp() {
    }

    /**
     * @param sessionId the o= line's session id, fixed for the participant's connection
     * @param version   the o= version, one more for each offer
     * @param audioSsrc the SSRC our Opus goes out on (a=ssrc); the video layers are announced by rid only
     */
    public static String write(long sessionId, int version, String ufrag, String password, Fingerprint fingerprint,
                               String cname, String streamId, long audioSsrc, List<ReceiveSlot> slots) {
        List<String> bundle = new ArrayList<>(List.of(AUDIO_MID, VIDEO_MID));
        for (ReceiveSlot slot : slots) {
            if (!slot.stopped()) {
                bundle.add(slot.mid());
            }
        }
        StringBuilder sdp = new StringBuilder(4096);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " " + version + " IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=group:BUNDLE " + String.join(" ", bundle));
        line(sdp, "a=extmap-allow-mixed");
        line(sdp, "a=msid-semantic: WMS " + streamId);
        String transport = "a=ice-ufrag:" + ufrag + "\r\na=ice-pwd:" + password + "\r\na=ice-options:trickle\r\n"
                + "a=fingerprint:" + fingerprint.format() + "\r\na=setup:actpass";
        audio(sdp, AUDIO_MID, 9, transport, "a=sendonly");
        line(sdp, "a=msid:" + streamId + " " + streamId + "-audio");
        line(sdp, "a=ssrc:" + audioSsrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + audioSsrc + " msid:" + streamId + " " + streamId + "-audio");
        video(sdp, VIDEO_MID, 9, transport, "a=sendonly");
        line(sdp, "a=msid:" + streamId + " " + streamId + "-video");
        for (String rid : RIDS) {
            line(sdp, "a=rid:" + rid + " send");
        }
        line(sdp, "a=simulcast:send " + String.join(";", RIDS));
        for (ReceiveSlot slot : slots) {
            int port = slot.stopped() ? 0 : 9;
            String direction = slot.stopped() ? "a=inactive" : "a=recvonly";
            if (slot.video()) {
                video(sdp, slot.mid(), port, transport, direction);
            } else {
                audio(sdp, slot.mid(), port, transport, direction);
            }
        }
        return sdp.toString();
    }

    private static void audio(StringBuilder sdp, String mid, int port, String transport, String direction) {
        line(sdp, "m=audio " + port + " UDP/TLS/RTP/SAVPF " + OPUS_PT);
        common(sdp, mid, transport, direction);
        line(sdp, "a=extmap:" + AUDIO_LEVEL_ID + " urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        line(sdp, "a=extmap:" + ABS_SEND_TIME_ID + " http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        line(sdp, "a=extmap:" + TRANSPORT_CC_ID
                + " http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        line(sdp, "a=extmap:" + MID_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
        line(sdp, direction);
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=rtcp-rsize");
        line(sdp, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
        line(sdp, "a=rtcp-fb:" + OPUS_PT + " transport-cc");
        line(sdp, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
    }

    private static void video(StringBuilder sdp, String mid, int port, String transport, String direction) {
        line(sdp, "m=video " + port + " UDP/TLS/RTP/SAVPF " + VP8_PT + " " + RTX_PT);
        common(sdp, mid, transport, direction);
        line(sdp, "a=extmap:" + ABS_SEND_TIME_ID + " http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        line(sdp, "a=extmap:" + TRANSPORT_CC_ID
                + " http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        line(sdp, "a=extmap:" + MID_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
        line(sdp, "a=extmap:" + RID_ID + " urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        line(sdp, "a=extmap:" + REPAIRED_RID_ID + " urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        line(sdp, direction);
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=rtcp-rsize");
        line(sdp, "a=rtpmap:" + VP8_PT + " VP8/90000");
        for (String fb : List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli")) {
            line(sdp, "a=rtcp-fb:" + VP8_PT + " " + fb);
        }
        line(sdp, "a=rtpmap:" + RTX_PT + " rtx/90000");
        line(sdp, "a=fmtp:" + RTX_PT + " apt=" + VP8_PT);
    }

    private static void common(StringBuilder sdp, String mid, String transport, String direction) {
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
        sdp.append(transport).append("\r\n");
        line(sdp, "a=mid:" + mid);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
