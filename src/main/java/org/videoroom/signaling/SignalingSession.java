package org.videoroom.signaling;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.videoroom.room.ChatMessage;
import org.videoroom.room.DisplayName;
import org.videoroom.room.LeaveReason;
import org.videoroom.room.Participant;
import org.videoroom.room.ParticipantId;
import org.videoroom.room.ParticipantInfo;
import org.videoroom.room.RoomAccessException;
import org.videoroom.room.RoomFullException;
import org.videoroom.room.RoomName;
import org.videoroom.room.RateLimit;
import org.videoroom.room.RoomPassword;
import org.videoroom.room.RoomRegistry;
import org.videoroom.room.ServerFullException;
import org.videoroom.room.TrackId;
import org.videoroom.room.TrackInfo;
import org.videoroom.signaling.message.Answer;
import org.videoroom.signaling.message.Candidate;
import org.videoroom.signaling.message.ChatLine;
import org.videoroom.signaling.message.ParticipantStateChanged;
import org.videoroom.signaling.message.SendChat;
import org.videoroom.signaling.message.SetState;
import org.videoroom.signaling.message.StateSummary;
import org.videoroom.signaling.message.ClientMessage;
import org.videoroom.signaling.message.ErrorCode;
import org.videoroom.signaling.message.ErrorMessage;
import org.videoroom.signaling.message.Join;
import org.videoroom.signaling.message.Joined;
import org.videoroom.signaling.message.Leave;
import org.videoroom.signaling.message.Offer;
import org.videoroom.signaling.message.Viewport;
import org.videoroom.signaling.message.ParticipantJoined;
import org.videoroom.signaling.message.ParticipantLeft;
import org.videoroom.signaling.message.ParticipantSummary;
import org.videoroom.signaling.message.ServerMessage;
import org.videoroom.signaling.message.TrackSummary;
import org.videoroom.signaling.message.TracksAdded;
import org.videoroom.signaling.message.TracksRemoved;

/**
 * The protocol state of one signaling connection: not joined → joined → (left → joined again …). It links the
 * socket to at most one participant and translates between messages and room commands/events; it holds no other
 * state. Every bad request is answered with an {@code error} and leaves the connection usable.
 *
 * <p>Thread-safety: {@link #onText} and {@link #onClose} are called by the container one at a time per socket;
 * room events ({@link Participant.Listener}) arrive from other sockets' threads and only enqueue on the
 * {@link Outbound}. The participant field is therefore volatile.
 */
public final class SignalingSession implements Participant.Listener {

    /** Largest accepted message, in UTF-8 bytes. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /** Chat: 5 lines at once, then one a second. */
    static final int CHAT_BURST = 5;
    static final double CHAT_PER_SECOND = 1;
    /** State changes: 10 at once, then 4 a second. */
    static final int STATE_BURST = 10;
    static final double STATE_PER_SECOND = 4;

    private static final System.Logger LOG = System.getLogger(SignalingSession.class.getName());

    private final String roomPath;
    private final RoomRegistry rooms;
    private final SignalCodec codec;
    private final Outbound out;
    private final MediaControl media;
    private TurnCredentials turn = TurnCredentials.NONE;
    private JoinPolicy joinPolicy = JoinPolicy.OPEN;
    private Reconnects reconnects = Reconnects.NONE;
    private final Set<ErrorCode> logged = EnumSet.noneOf(ErrorCode.class);
    /** A person types a few lines in a row, then pauses; a script sending more is told to wait. */
    private final RateLimit chatLimit;
    /** Mute toggles and hand raises, each a message to everyone in the room. */
    private final RateLimit stateLimit;
    private volatile Participant participant;
    /** Whether this participant has offered: before that it has no media session, and none is made for it. */
    private boolean offered;
    /**
     * Whether this connection's participant had media at some point (an accepted offer, or a resume of one that
     * had): only those are kept for a reconnect when the connection drops.
     */
    private boolean hadMedia;
    /**
     * Since when this socket holds a place without using it (not joined, or joined without an accepted offer), as
     * {@link #nanoTime}; {@link #NOT_IDLE} while it is in a room with media. Written by the socket's thread,
     * read by the liveness sweep.
     */
    private volatile long idleSince;
    static final long NOT_IDLE = Long.MIN_VALUE;
    /** When the last pong (or any message) came, as {@link #nanoTime}. */
    private volatile long lastHeard;
    private final java.util.function.LongSupplier nanoTime;
    /** A viewport sent before the first offer, applied with it. */
    private Map<String, Viewport.Tile> pendingViewport;

    /**
     * @param roomPath the room name as it appears in the socket's path, not yet validated
     */
    public SignalingSession(String roomPath, RoomRegistry rooms, SignalCodec codec, Outbound out,
                            MediaControl media) {
        this(roomPath, rooms, codec, out, media, TurnCredentials.NONE);
    }

    /** As above, handing each participant TURN credentials of its own in {@code joined}. */
    public SignalingSession(String roomPath, RoomRegistry rooms, SignalCodec codec, Outbound out,
                            MediaControl media, TurnCredentials turn) {
        this(roomPath, rooms, codec, out, media, turn, JoinPolicy.OPEN);
    }

    /** As above, with rooms that need a signed join token. */
    public SignalingSession(String roomPath, RoomRegistry rooms, SignalCodec codec, Outbound out,
                            MediaControl media, TurnCredentials turn, JoinPolicy joinPolicy) {
        this(roomPath, rooms, codec, out, media, System::nanoTime);
        this.turn = turn;
        this.joinPolicy = joinPolicy;
    }

    SignalingSession(String roomPath, RoomRegistry rooms, SignalCodec codec, Outbound out, MediaControl media,
                     java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.idleSince = nanoTime.getAsLong();
        this.lastHeard = idleSince;
        this.chatLimit = new RateLimit(CHAT_BURST, CHAT_PER_SECOND, nanoTime);
        this.stateLimit = new RateLimit(STATE_BURST, STATE_PER_SECOND, nanoTime);
        this.roomPath = roomPath;
        this.rooms = rooms;
        this.codec = codec;
        this.out = out;
        this.media = media;
    }

    /** Participants of this connection that had media are kept by {@code reconnects} when it drops. */
    public SignalingSession withReconnects(Reconnects reconnects) {
        this.reconnects = java.util.Objects.requireNonNull(reconnects, "reconnects");
        return this;
    }

    public void onText(String text) {
        lastHeard = nanoTime.getAsLong();
        if (isTooLarge(text)) {
            reject(ErrorCode.TOO_LARGE, "messages are limited to " + MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        ClientMessage message;
        try {
            message = codec.decode(text);
        } catch (SignalingException e) {
            reject(e.code(), e.getMessage());
            return;
        }
        try {
            switch (message) {
                case Join join -> join(join);
                case Leave leave -> leave();
                case Offer offer -> offer(offer);
                case Candidate candidate -> candidate(candidate);
                case Viewport viewport -> viewport(viewport);
                case SetState state -> setState(state);
                case SendChat chat -> chat(chat);
            }
        } catch (SignalingException e) {
            reject(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not bad input: say so, log it with its stack, and drop this connection only.
            LOG.log(Level.WARNING, "room " + abbreviate(roomPath) + ": handling a client message failed", e);
            send(new ErrorMessage(ErrorCode.INTERNAL, "the server failed to handle that message"));
            out.close(ErrorCode.INTERNAL.wire());
        }
    }

    /** The client answered a ping. */
    public void onPong() {
        lastHeard = nanoTime.getAsLong();
    }

    /** Why the liveness sweep closes a socket, if it does. */
    public enum Expiry { NONE, IDLE, SILENT }

    /**
     * Whether the socket has held a place without media for {@code idleTimeoutNanos}, or has not been heard from
     * (message or pong) for {@code silenceTimeoutNanos}.
     */
    public Expiry expiry(long now, long idleTimeoutNanos, long silenceTimeoutNanos) {
        long since = idleSince;
        if (since != NOT_IDLE && now - since > idleTimeoutNanos) {
            return Expiry.IDLE;
        }
        return now - lastHeard > silenceTimeoutNanos ? Expiry.SILENT : Expiry.NONE;
    }

    /** Pings the client (its pong comes back to {@link #onPong}). */
    void ping() {
        out.ping();
    }

    /** Called by the liveness sweep for an expired socket: leaves the room (the others see "idle") and closes. */
    public void expire() {
        Participant current = participant;
        participant = null;
        if (current != null && current.isHeardBy(this)) {
            current.leave(LeaveReason.IDLE);
        }
        out.close(LeaveReason.IDLE.wire());
    }

    /**
     * The socket broke (no close frame from the client, or the server closed it): a participant with media stays
     * in the room for a new connection to resume it (the others see a freeze, not a leave and a join); one without
     * media leaves.
     */
    public void onClose() {
        onClose(false);
    }

    /**
     * The socket closed without a leave message. {@code clientClosed}: the client itself closed it as done with it
     * (1001, as a browser does for a page that goes away): nobody comes back to resume it, so it leaves at once
     * (as {@code disconnected}, like every socket that closes without a leave message).
     */
    public void onClose(boolean clientClosed) {
        Participant current = participant;
        participant = null;
        if (current == null) {
            return;
        }
        if (hadMedia && !clientClosed) {
            current.away(this);
            if (current.isAway()) {
                reconnects.away(current);
            }
        } else {
            current.leave(LeaveReason.DISCONNECTED);
        }
    }

    /** Another connection resumed this one's participant: this one is done. */
    @Override
    public void onReplaced() {
        participant = null;
        out.close("replaced");
    }

    public Participant participant() {
        return participant;
    }

    private void join(Join join) {
        if (participant != null) {
            reject(ErrorCode.ALREADY_JOINED, "this connection already joined the room");
            return;
        }
        if (!RoomName.isValid(roomPath)) {
            reject(ErrorCode.INVALID_ROOM, "room names are 1 to " + RoomName.MAX_LENGTH
                    + " letters, digits, '-' or '_'");
            return;
        }
        if (join.resume() != null && resume(join.resume())) {
            return;
        }
        String nameProblem = DisplayName.problem(join.name());
        if (nameProblem != null) {
            reject(ErrorCode.INVALID_NAME, nameProblem);
            return;
        }
        DisplayName name = DisplayName.of(join.name());
        if (joinPolicy.requiresToken(roomPath)) {
            JoinTokens.Refusal refusal = joinPolicy.tokens().check(join.token(), roomPath, name.value(),
                    java.time.Instant.now());
            if (refusal != null) {
                reject(ErrorCode.UNAUTHORIZED, "this room needs a valid join token for this name ("
                        + refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
                return;
            }
        }
        if (join.password() != null && RoomPassword.problem(join.password()) != null) {
            reject(ErrorCode.INVALID_PASSWORD, RoomPassword.problem(join.password()));
            return;
        }
        try {
            participant = rooms.join(new RoomName(roomPath), name, this, join.password());
            // The idle clock is not reset: joining and leaving over and over must not keep a seat.
            offered = false;
            hadMedia = false;
            pendingViewport = null;
        } catch (RoomFullException e) {
            reject(ErrorCode.ROOM_FULL, "the room is full");
        } catch (ServerFullException e) {
            reject(ErrorCode.SERVER_FULL, "the server cannot open more rooms now");
        } catch (RoomAccessException e) {
            switch (e.reason()) {
                case MISSING -> reject(ErrorCode.PASSWORD_REQUIRED, "this room has a password");
                case THROTTLED -> reject(ErrorCode.RATE_LIMITED,
                        "too many wrong passwords for this room lately; try again in a few seconds");
                default -> reject(ErrorCode.WRONG_PASSWORD, "that is not this room's password");
            }
        }
    }

    private void leave() {
        Participant current = joined();
        participant = null;
        if (idleSince == NOT_IDLE) {
            idleSince = nanoTime.getAsLong();
        }
        current.leave(LeaveReason.LEFT);
    }

    /**
     * Takes over the participant of a dropped connection, if it is still in the room and the token is its: the
     * page goes on as that participant, with its media session or, when it starts a new one, without the old.
     * Otherwise the join goes on as a fresh one (a new participant id, its {@code joined} says so).
     */
    private boolean resume(Join.Resume resume) {
        ParticipantId id;
        try {
            id = new ParticipantId(resume.participantId());
        } catch (IllegalArgumentException e) {
            return false;
        }
        Participant resumed = rooms.resume(new RoomName(roomPath), id, resume.token(), this);
        if (resumed == null) {
            return false;
        }
        participant = resumed;
        pendingViewport = null;
        hadMedia = true;
        if (resume.newMedia()) {
            media.reset(resumed);
            offered = false;
        } else {
            offered = true;
            idleSince = NOT_IDLE;
        }
        LOG.log(Level.DEBUG, "room {0}: participant {1} resumed ({2} media)", roomPath, id.value(),
                resume.newMedia() ? "new" : "its");
        return true;
    }

    private void offer(Offer offer) {
        Participant current = joined();
        String answer = media.offer(current, offer.sdp(), offer.subscriptions(), offer.sources());
        offered = true;
        hadMedia = true;
        idleSince = NOT_IDLE;
        send(new Answer(answer));
        if (pendingViewport != null) {
            media.viewport(current, pendingViewport);
            pendingViewport = null;
        }
    }

    private void candidate(Candidate candidate) {
        Participant current = joined();
        if (!offered) {
            // Browsers trickle after their offer, on the same socket; a candidate first would only make the
            // server build an ICE agent for someone who never negotiates.
            throw new SignalingException(ErrorCode.BAD_CANDIDATE, "a candidate needs an offer first");
        }
        media.candidate(current, candidate.candidate(), candidate.sdpMid());
    }

    private void viewport(Viewport viewport) {
        Participant current = joined();
        if (offered) {
            media.viewport(current, viewport.tiles());
        } else {
            // The page lays out tiles as soon as it joined, usually before its camera is open and it offers.
            pendingViewport = viewport.tiles();
        }
    }

    private void setState(SetState state) {
        Participant current = joined();
        if (!stateLimit.tryAcquire()) {
            throw new SignalingException(ErrorCode.RATE_LIMITED, "too many state changes; try again in a moment");
        }
        current.updateState(state.audioMuted(), state.videoMuted(), state.handRaised());
    }

    private void chat(SendChat chat) {
        Participant current = joined();
        String problem = ChatMessage.problem(ChatMessage.normalize(chat.text()));
        if (problem != null) {
            throw new SignalingException(ErrorCode.INVALID_CHAT, problem);
        }
        if (!chatLimit.tryAcquire()) {
            throw new SignalingException(ErrorCode.RATE_LIMITED, "too many chat messages; wait a second");
        }
        current.chat(chat.text());
    }

    private Participant joined() {
        Participant current = participant;
        if (current == null) {
            throw new SignalingException(ErrorCode.NOT_JOINED, "join the room first");
        }
        return current;
    }

    @Override
    public void onJoined(Participant self, List<ParticipantInfo> others, List<TrackInfo> tracks) {
        // Called under the room's lock, so the history is exactly what came before this join.
        send(new Joined(self.id().value(), others.stream().map(SignalingSession::summary).toList(),
                tracks.stream().map(SignalingSession::summary).toList(),
                self.room().chatHistory().stream().map(SignalingSession::line).toList(),
                turn.issue(self.id().value(), java.time.Instant.now()), self.resumeToken()));
    }

    @Override
    public void onParticipantState(ParticipantInfo other) {
        send(new ParticipantStateChanged(summary(other)));
    }

    @Override
    public void onChat(ChatMessage message) {
        send(line(message));
    }

    @Override
    public void onTracksAdded(List<TrackInfo> tracks) {
        send(new TracksAdded(tracks.stream().map(SignalingSession::summary).toList()));
    }

    @Override
    public void onTracksRemoved(List<TrackId> tracks) {
        send(new TracksRemoved(tracks.stream().map(TrackId::value).toList()));
    }

    @Override
    public void onParticipantJoined(ParticipantInfo other) {
        send(new ParticipantJoined(summary(other)));
    }

    @Override
    public void onParticipantLeft(ParticipantId other, LeaveReason reason) {
        send(new ParticipantLeft(other.value(), reason.wire()));
    }

    @Override
    public void onRemoved(LeaveReason reason) {
        participant = null;
        out.close(reason.wire());
    }

    private void reject(ErrorCode code, String message) {
        // Bad input is logged once per kind and connection: a hostile client must not flood the log.
        boolean first;
        synchronized (logged) {
            first = logged.add(code);
        }
        if (first) {
            LOG.log(Level.INFO, "room {0}: refused a client message ({1}): {2}", abbreviate(roomPath), code.wire(),
                    message);
        }
        send(new ErrorMessage(code, message));
    }

    private void send(ServerMessage message) {
        out.send(codec.encode(message));
    }

    private static ParticipantSummary summary(ParticipantInfo info) {
        return new ParticipantSummary(info.id().value(), info.name().value(), new StateSummary(
                info.state().audioMuted(), info.state().videoMuted(), info.state().handRaised(),
                info.state().speaking(), info.state().screen(), info.state().connection().wireName()));
    }

    private static ChatLine line(ChatMessage message) {
        return new ChatLine(message.from().value(), message.name().value(), message.text(),
                message.at().toEpochMilli());
    }

    private static TrackSummary summary(TrackInfo track) {
        return new TrackSummary(track.id().value(), track.publisher().value(), track.kind().wire(),
                track.source().wire());
    }

    private static boolean isTooLarge(String text) {
        // A UTF-8 character is 1 to 3 bytes per UTF-16 unit, so only the middle band needs an exact count.
        if (text.length() > MAX_MESSAGE_BYTES) {
            return true;
        }
        if (text.length() * 3L <= MAX_MESSAGE_BYTES) {
            return false;
        }
        return text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES;
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^A-Za-z0-9_-]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
