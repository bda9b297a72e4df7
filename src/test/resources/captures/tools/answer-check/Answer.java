import org.videoroom.sdp.*;
import java.util.*;
/** Dev tool: reads an offer on stdin, prints the SFU's answer (or ERROR: ...). */
public class Answer {
  public static void main(String[] a) throws Exception {
    String sdp = new String(System.in.readAllBytes());
    try {
      SessionDescription offer = SdpParser.parse(sdp);
      byte[] digest = new byte[32]; new Random(7).nextBytes(digest);
      var local = LocalTransportParameters.withCandidates("srvU", "0123456789abcdefghijkl", Fingerprint.of("sha-256", digest),
          List.of(IceCandidate.udpHost("1", 2130706431L, "127.0.0.1", 10000)));
      var tracks = new HashMap<String, OutgoingTrack>();
      int n = 0;
      for (var m : offer.media()) {
        n++;
        if (!m.isRejected() && offer.directionOf(m) == Direction.RECVONLY)
          tracks.put(m.mid().get(), new OutgoingTrack(m.kind(), "peer-1", "track-" + m.mid().get(), 1000 + n,
              m.kind() == MediaKind.VIDEO ? OptionalLong.of(2000 + n) : OptionalLong.empty(), "peer1cname"));
      }
      CodecPolicy policy = a.length > 0 && a[0].equals("simulcast") ? CodecPolicy.defaults().withSimulcast() : CodecPolicy.defaults();
      long version = a.length > 1 ? Long.parseLong(a[1]) : 1;
      System.out.print(new AnswerBuilder(policy).answer(offer, local, Origin.jsep(42, version), tracks).answer().toSdp());
    } catch (RuntimeException e) {
      System.out.print("ERROR: " + e);
    }
  }
}
