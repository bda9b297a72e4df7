package org.videoroom.load;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.videoroom.load.media.InStream;
import org.videoroom.load.media.Publisher;
import org.videoroom.load.media.ReceiveTotals;
import org.videoroom.load.media.Subscriber;
import org.videoroom.load.recording.Recording;
import org.videoroom.load.relay.RawRelay;
import org.videoroom.load.relay.UdpLink;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpKeyingMaterial;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * A synthetic participant of the raw-relay baseline: the same {@link Publisher} and {@link Subscriber} as against
 * the SFU, over a plain UDP socket with keys agreed out of band (the relay has no DTLS). The relay forwards its
 * audio and its top simulcast layer, what the SFU forwards to a subscriber with bandwidth to spare.
 *
 * <p>Thread-safety: built and wired by the run's thread; then as {@link SyntheticParticipant}.
 */
final class RelayParticipant implements LoadParticipant {

    private static final SrtpProfile PROFILE = SrtpProfile.SRTP_AEAD_AES_128_GCM;

    private final String name;
    private final String room;
    private final UdpLink link;
    private final SrtpKeyingMaterial keys;
    private final SrtpSession srtp;
    private final Publisher publisher;
    private final Subscriber subscriber;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final String id;

    RelayParticipant(String name, String room, Recording recording, String address, RawRelay relay,
                     ReceiveTotals totals, long seed) throws IOException {
        this.name = name;
        this.room = room;
        Random random = new Random(seed);
        this.id = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        byte[] exported = new byte[PROFILE.keyingMaterialLength()];
        new SecureRandom().nextBytes(exported);
        this.keys = SrtpKeyingMaterial.fromExporterOutput(PROFILE, exported);
        this.srtp = SrtpSession.forClient(keys, SrtpConfig.DEFAULT);
        this.link = new UdpLink(address, relay.address());
        this.publisher = new Publisher(recording, random, this::sendRtp);
        this.subscriber = new Subscriber(srtp, link, publisher, totals);
    }

    /** Registers every member of one room with the relay and tells each what it will receive from the others. */
    static void wire(RawRelay relay, List<RelayParticipant> room) {
        for (RelayParticipant p : room) {
            long audio = p.publisher.audioSsrc();
            long[] video = p.publisher.videoSsrcs();
            long top = video[video.length - 1];
            relay.addParticipant(p.room, p.link.localAddress(), p.keys,
                    ssrc -> (ssrc & 0xFFFF_FFFFL) == audio || (ssrc & 0xFFFF_FFFFL) == top);
        }
        for (RelayParticipant p : room) {
            List<InStream> streams = new ArrayList<>();
            for (RelayParticipant other : room) {
                if (other != p) {
                    long[] video = other.publisher.videoSsrcs();
                    streams.add(new InStream("a-" + other.id, other.id, false, other.publisher.audioSsrc(), 0));
                    streams.add(new InStream("v-" + other.id, other.id, true, video[video.length - 1], 0));
                }
            }
            p.subscriber.streams(streams);
            p.link.start(p.subscriber);
            p.ready.complete(null);
        }
    }

    private void sendRtp(byte[] buf, int off, int len) {
        int n = srtp.encryptRtp(buf, off, len);
        if (n > 0) {
            try {
                link.send(buf, off, n);
            } catch (IOException e) {
                // closing: the receivers count what did not arrive
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String room() {
        return room;
    }

    @Override
    public CompletableFuture<Void> mediaReady() {
        return ready;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public Subscriber subscriber() {
        return subscriber;
    }

    @Override
    public String lastError() {
        return null;
    }

    @Override
    public void close() {
        link.close();
        srtp.close();
    }
}
