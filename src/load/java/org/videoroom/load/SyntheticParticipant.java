package org.videoroom.load;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.videoroom.load.client.ClientCertificate;
import org.videoroom.load.client.DtlsSrtpClient;
import org.videoroom.load.client.LoopbackIceClient;
import org.videoroom.load.media.InStream;
import org.videoroom.load.media.Publisher;
import org.videoroom.load.media.ReceiveTotals;
import org.videoroom.load.media.Subscriber;
import org.videoroom.load.recording.Recording;
import org.videoroom.load.session.AnswerInfo;
import org.videoroom.load.session.OfferSdp;
import org.videoroom.load.signaling.SignalingClient;
import org.videoroom.sdp.Fingerprint;
import org.videoroom.transport.srtp.SrtpConfig;
import org.videoroom.transport.srtp.SrtpProfile;
import org.videoroom.transport.srtp.SrtpSession;

/**
 * One synthetic participant against the real server: joins a room over the signaling socket, offers its Opus and
 * VP8 simulcast and a receive m-line per remote track (re-offering whenever tracks come and go, one offer at a
 * time, as the page does), connects ICE as the controlling agent on a loopback host candidate, runs the DTLS
 * client handshake and from then on publishes ({@link Publisher}, ticked by the run's pacer) and receives
 * ({@link Subscriber}, on the ICE reader thread).
 *
 * <p>Thread-safety: signaling state under this object's lock; the blocking ICE and DTLS steps run on
 * {@code connector}; the pacer reads {@link #publisher()} once {@link #isMediaReady()}.
 */
public final class SyntheticParticipant implements LoadParticipant {

    private static final System.Logger LOG = System.getLogger(SyntheticParticipant.class.getName());
    private static final Duration ICE_TIMEOUT = Duration.ofSeconds(15);
    /** The tile height we report for every remote video: high enough for the top simulcast layer. */
    private static final int TILE_HEIGHT = 720;

    private record RemoteTrack(String trackId, String participantId, boolean video) {
    }

    private record Slot(String mid, RemoteTrack track, boolean stopped) {
    }

    private final String name;
    private final String room;
    private final Executor connector;
    private final ReceiveTotals totals;
    private final Random random;
    private final ClientCertificate certificate = ClientCertificate.generate();
    private final LoopbackIceClient ice;
    private final Publisher publisher;
    private final String streamId;
    private final long sessionId;
    private final CompletableFuture<Void> mediaReady = new CompletableFuture<>();
    private final CompletableFuture<String> joined = new CompletableFuture<>();
    private SignalingClient signaling;

    // Signaling state, under this.
    private final Map<String, RemoteTrack> tracks = new LinkedHashMap<>();
    private final List<Slot> slots = new ArrayList<>();
    private int offerVersion = 1;
    private boolean answerPending;
    private boolean offerAgain;
    private boolean iceStarted;
    private List<InStream> announced = List.of();
    private volatile Subscriber subscriber;
    private volatile SrtpSession srtp;
    private volatile String participantId;
    private volatile String lastError;
    private volatile long offersSent;

    public SyntheticParticipant(String name, String room, Recording recording, InetAddress address, Executor connector,
                                ReceiveTotals totals, long seed) {
        this.name = name;
        this.room = room;
        this.connector = connector;
        this.totals = totals;
        this.random = new Random(seed);
        this.ice = new LoopbackIceClient(address);
        this.streamId = "load-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        this.sessionId = random.nextLong() & Long.MAX_VALUE;
        this.publisher = new Publisher(recording, random, this::sendRtp);
    }

    /** Opens the signaling socket and joins; the rest follows from the server's messages. */
    public void start(HttpClient http, URI server) {
        signaling = SignalingClient.connect(http, server, room, this::onMessage);
        signaling.join(name);
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
        return mediaReady;
    }

    public CompletableFuture<String> joined() {
        return joined;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    /** The receive side, or {@code null} before DTLS completed. */
    @Override
    public Subscriber subscriber() {
        return subscriber;
    }

    public String participantId() {
        return participantId;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    public long offersSent() {
        return offersSent;
    }

    private void sendRtp(byte[] buf, int off, int len) {
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        int n = session.encryptRtp(buf, off, len);
        if (n > 0) {
            try {
                ice.send(buf, off, n);
            } catch (java.io.IOException e) {
                // The pair is gone (closing); the receivers count what did not arrive.
            }
        }
    }

    private synchronized void onMessage(JsonObject message) {
        String type = message.getString("type", "");
        switch (type) {
            case "joined" -> {
                participantId = message.getString("participantId");
                for (JsonValue t : message.getJsonArray("tracks")) {
                    addTrack(t.asJsonObject());
                }
                joined.complete(participantId);
                negotiate();
            }
            case "tracksAdded" -> {
                for (JsonValue t : message.getJsonArray("tracks")) {
                    addTrack(t.asJsonObject());
                }
                negotiate();
            }
            case "tracksRemoved" -> {
                for (JsonValue id : message.getJsonArray("trackIds")) {
                    tracks.remove(((JsonString) id).getString());
                }
                negotiate();
            }
            case "participantLeft" -> {
                String gone = message.getString("participantId");
                tracks.values().removeIf(t -> t.participantId().equals(gone));
                negotiate();
            }
            case "answer" -> onAnswer(message.getString("sdp"));
            case "error" -> {
                lastError = message.getString("code", "?") + ": " + message.getString("message", "");
                LOG.log(System.Logger.Level.WARNING, "{0} in {1}: server error {2}", name, room, lastError);
                if (answerPending && "bad-sdp".equals(message.getString("code", ""))) {
                    mediaReady.completeExceptionally(new IllegalStateException(lastError));
                }
            }
            default -> {
                // participantJoined, participantState, chat: nothing a synthetic participant acts on.
            }
        }
    }

    private void addTrack(JsonObject t) {
        String id = t.getString("trackId");
        tracks.put(id, new RemoteTrack(id, t.getString("participantId"), "video".equals(t.getString("kind"))));
    }

    /** Sends an offer for the tracks known now, or folds the change into the next one while an answer is due. */
    private void negotiate() {
        if (participantId == null) {
            return;
        }
        if (answerPending) {
            offerAgain = true;
            return;
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (!s.stopped() && !tracks.containsKey(s.track().trackId())) {
                slots.set(i, new Slot(s.mid(), s.track(), true));
            }
        }
        for (RemoteTrack t : tracks.values()) {
            if (slots.stream().noneMatch(s -> !s.stopped() && s.track().trackId().equals(t.trackId()))) {
                slots.add(new Slot(Integer.toString(slots.size() + 2), t, false));
            }
        }
        List<OfferSdp.ReceiveSlot> receive = new ArrayList<>();
        Map<String, String> subscriptions = new LinkedHashMap<>();
        for (Slot s : slots) {
            receive.add(new OfferSdp.ReceiveSlot(s.mid(), s.track().video(), s.stopped()));
            if (!s.stopped()) {
                subscriptions.put(s.mid(), s.track().trackId());
            }
        }
        Fingerprint fingerprint = certificate.fingerprint();
        String sdp = OfferSdp.write(sessionId, offerVersion++, ice.ufrag(), ice.password(), fingerprint, streamId,
                streamId, publisher.audioSsrc(), receive);
        answerPending = true;
        offersSent++;
        signaling.offer(sdp, subscriptions);
        if (!iceStarted) {
            signaling.candidate(ice.candidate(), OfferSdp.AUDIO_MID);
            signaling.candidate("", OfferSdp.AUDIO_MID);
        }
    }

    private void onAnswer(String sdp) {
        answerPending = false;
        AnswerInfo answer;
        try {
            answer = AnswerInfo.parse(sdp);
        } catch (RuntimeException e) {
            lastError = "unreadable answer: " + e.getMessage();
            mediaReady.completeExceptionally(e);
            return;
        }
        List<InStream> streams = new ArrayList<>();
        List<String> publishers = new ArrayList<>();
        for (Slot s : slots) {
            AnswerInfo.SendStream send = answer.sendStreams().get(s.mid());
            if (send != null && !s.stopped()) {
                streams.add(new InStream(s.mid(), s.track().participantId(), s.track().video(), send.ssrc(),
                        send.rtxSsrc()));
                if (!publishers.contains(s.track().participantId())) {
                    publishers.add(s.track().participantId());
                }
            }
        }
        announced = streams;
        Subscriber sub = subscriber;
        if (sub != null) {
            sub.streams(streams);
        }
        if (!publishers.isEmpty()) {
            signaling.viewport(publishers, TILE_HEIGHT);
        }
        if (!iceStarted) {
            iceStarted = true;
            connector.execute(() -> connectMedia(answer));
        }
        if (offerAgain) {
            offerAgain = false;
            negotiate();
        }
    }

    /** ICE, then the DTLS handshake, then SRTP: blocking, on the connector. */
    private void connectMedia(AnswerInfo answer) {
        try {
            ice.connect(answer.iceUfrag(), answer.icePassword(), answer.candidates());
            ice.awaitSelected(ICE_TIMEOUT);
            DtlsSrtpClient client = new DtlsSrtpClient(certificate, answer.fingerprints().get(0),
                    SrtpProfile.SRTP_AEAD_AES_128_GCM);
            new DTLSClientProtocol().connect(client, ice.dtls());
            SrtpSession session = SrtpSession.forClient(client.keyingMaterial(), SrtpConfig.DEFAULT);
            Subscriber sub = new Subscriber(session, ice, publisher, totals);
            synchronized (this) {
                sub.streams(announced);
                subscriber = sub;
            }
            srtp = session;
            ice.start(sub);
            mediaReady.complete(null);
        } catch (Exception e) {
            lastError = "media connection failed: " + e;
            mediaReady.completeExceptionally(e);
        }
    }

    /** Leaves the room and frees the socket, ICE and SRTP. */
    @Override
    public void close() {
        SignalingClient s = signaling;
        if (s != null) {
            try {
                s.leave();
                s.close();
            } catch (RuntimeException e) {
                // Already closed by the server.
            }
        }
        srtp = null;
        ice.close();
    }
}
