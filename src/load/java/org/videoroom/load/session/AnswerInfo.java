package org.videoroom.load.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.videoroom.sdp.Direction;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.sdp.IceCandidate;
import org.videoroom.sdp.MediaDescription;
import org.videoroom.sdp.SdpParser;
import org.videoroom.sdp.SessionDescription;
import org.videoroom.sdp.SsrcGroup;
import org.videoroom.sdp.TransportAttributes;

/**
 * What a synthetic participant needs from the server's answer: the server's ICE credentials, candidates and DTLS
 * fingerprints (of the BUNDLE transport, the first m-line), and for each m-line the server sends on, the SSRC it
 * chose and its RTX SSRC.
 *
 * @param sendStreams MID → the stream the server sends there, for every {@code sendonly} m-line of the answer
 */
public record AnswerInfo(String iceUfrag, String icePassword, List<IceCandidate> candidates,
                         List<Fingerprint> fingerprints, Map<String, SendStream> sendStreams) {

    /** @param rtxSsrc 0 when the server announced no RTX for it */
    public record SendStream(String mid, long ssrc, long rtxSsrc) {
    }

    public static AnswerInfo parse(String sdp) {
        SessionDescription answer = SdpParser.parse(sdp);
        MediaDescription first = answer.media().get(0);
        TransportAttributes transport = answer.transportOf(first);
        Map<String, SendStream> streams = new HashMap<>();
        for (MediaDescription m : answer.media()) {
            if (m.mid().isEmpty() || answer.directionOf(m) != Direction.SENDONLY || m.ssrcAttributes().isEmpty()) {
                continue;
            }
            long ssrc = m.ssrcAttributes().get(0).ssrc();
            long rtx = 0;
            for (SsrcGroup group : m.ssrcGroups()) {
                if (group.isFid() && group.ssrcs().size() == 2) {
                    ssrc = group.ssrcs().get(0);
                    rtx = group.ssrcs().get(1);
                }
            }
            streams.put(m.mid().get(), new SendStream(m.mid().get(), ssrc, rtx));
        }
        return new AnswerInfo(transport.iceUfrag().orElseThrow(() -> new IllegalArgumentException("no ice-ufrag")),
                transport.icePwd().orElseThrow(() -> new IllegalArgumentException("no ice-pwd")),
                transport.candidates(), transport.fingerprints(), Map.copyOf(streams));
    }
}
