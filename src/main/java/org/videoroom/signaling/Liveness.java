package org.videoroom.signaling;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes signaling sockets that hold a place without using it, and pings the rest so a vanished client (a laptop
 * lid closed, a half-open TCP connection) is noticed: a socket not joined, or joined without an accepted offer,
 * for {@link Policy#idleTimeout} is closed ("squatting" keeps a room full and costs a participant slot); so is
 * one that answered no ping and sent nothing for {@link Policy#silenceTimeout}. Browsers answer WebSocket pings
 * by themselves.
 *
 * <p>{@link #sweep} runs on one timer; sockets register and unregister from their own threads. Thread-safe.
 */
public final class Liveness {

    /**
     * @param idleTimeout    how long a socket may stay without media (not joined, or joined and never offered)
     * @param pingInterval   how often an open socket is pinged
     * @param silenceTimeout how long a socket may stay without any message or pong
     */
    public record Policy(Duration idleTimeout, Duration pingInterval, Duration silenceTimeout) {
        public Policy {
            if (idleTimeout.isNegative() || idleTimeout.isZero() || pingInterval.isNegative()
                    || pingInterval.isZero() || silenceTimeout.compareTo(pingInterval) <= 0) {
                throw new IllegalArgumentException("positive timeouts, silence longer than the ping interval: "
                        + idleTimeout + ", " + pingInterval + ", " + silenceTimeout);
            }
        }
    }

    private record Entry(SignalingSession session, Policy policy, long[] lastPing) {
    }

    private final Map<SignalingSession, Entry> open = new ConcurrentHashMap<>();
    /** Participants whose connection dropped, to the time ({@code nanoTime}) their grace period ends. */
    private final Map<org.videoroom.room.Participant, Long> away = new ConcurrentHashMap<>();
    private final LongAdder awayExpired = new LongAdder();
    private final LongAdder expiredIdle = new LongAdder();
    private final LongAdder expiredSilent = new LongAdder();

    public void register(SignalingSession session, Policy policy, long now) {
        open.put(session, new Entry(session, policy, new long[] {now}));
    }

    public void unregister(SignalingSession session) {
        open.remove(session);
    }

    /**
     * Keeps a participant whose connection dropped until {@code deadline} ({@code nanoTime}): a connection that
     * resumes it before then takes it over, and the others see no leave; after it, it leaves ("disconnected").
     */
    public void away(org.videoroom.room.Participant participant, long deadline) {
        away.put(participant, deadline);
    }

    /** How many participants are kept for their connection to come back now. */
    public int awayCount() {
        return away.size();
    }

    /** Participants whose grace period ended without a connection coming back. */
    public long awayExpired() {
        return awayExpired.sum();
    }

    /** Closes what expired and pings what is due; called about once a second. */
    public void sweep(long now) {
        away.forEach((participant, deadline) -> {
            if (!participant.isAway() || participant.isClosed()) {
                away.remove(participant, deadline); // back, or gone by itself
            } else if (now - deadline >= 0) {
                away.remove(participant, deadline);
                awayExpired.increment();
                participant.leaveIfAway();
            }
        });
        for (Entry entry : open.values()) {
            Policy policy = entry.policy();
            SignalingSession.Expiry expiry = entry.session().expiry(now, policy.idleTimeout().toNanos(),
                    policy.silenceTimeout().toNanos());
            if (expiry != SignalingSession.Expiry.NONE) {
                open.remove(entry.session());
                (expiry == SignalingSession.Expiry.IDLE ? expiredIdle : expiredSilent).increment();
                entry.session().expire();
            } else if (now - entry.lastPing()[0] >= policy.pingInterval().toNanos()) {
                entry.lastPing()[0] = now;
                entry.session().ping();
            }
        }
    }

    public int size() {
        return open.size();
    }

    public long expiredIdle() {
        return expiredIdle.sum();
    }

    public long expiredSilent() {
        return expiredSilent.sum();
    }

}
