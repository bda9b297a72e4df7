package org.videoroom.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.function.LongSupplier;

/**
 * A room's password, set by the participant whose join opened the room and gone when the room closes. Kept only
 * as a salted SHA-256 (it lives in memory for the room's lifetime, no longer); compared in constant time. Guesses
 * are throttled per room, whichever sockets and addresses they come from: {@value #GUESS_BURST} at once, then one
 * every {@value #GUESS_INTERVAL_SECONDS} s. A person mistyping gets through; a script trying a list does not.
 *
 * <p>Thread-safe.
 */
public final class RoomPassword {

    public static final int MAX_LENGTH = 128;
    static final int GUESS_BURST = 5;
    static final int GUESS_INTERVAL_SECONDS = 6;

    private final byte[] salt;
    private final byte[] hash;
    /** Guarded by this. */
    private final RateLimit guesses;

    private RoomPassword(byte[] salt, byte[] hash, LongSupplier nanoTime) {
        this.salt = salt;
        this.hash = hash;
        this.guesses = new RateLimit(GUESS_BURST, 1.0 / GUESS_INTERVAL_SECONDS, nanoTime);
    }

    /** @throws IllegalArgumentException when {@link #problem} finds one */
    public static RoomPassword of(String password, SecureRandom random) {
        return of(password, random, System::nanoTime);
    }

    static RoomPassword of(String password, SecureRandom random, LongSupplier nanoTime) {
        String problem = problem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new RoomPassword(salt, digest(salt, password), nanoTime);
    }

    /** Why {@code password} cannot be a room password, or null when it can. */
    public static String problem(String password) {
        if (password == null || password.isEmpty()) {
            return "a room password may not be empty";
        }
        if (password.codePointCount(0, password.length()) > MAX_LENGTH) {
            return "room passwords are at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** The outcome of one attempt. */
    public enum Check { ACCEPTED, MISSING, WRONG, THROTTLED }

    /** Checks an attempt; a wrong one uses up a guess (a missing one only says a password is needed). */
    public Check check(String candidate) {
        if (candidate == null) {
            return Check.MISSING;
        }
        synchronized (this) {
            if (!guesses.tryAcquire()) {
                return Check.THROTTLED;
            }
            if (candidate.length() <= 4 * MAX_LENGTH && MessageDigest.isEqual(hash, digest(salt, candidate))) {
                guesses.refund(); // only wrong guesses count
                return Check.ACCEPTED;
            }
        }
        return Check.WRONG;
    }

    private static byte[] digest(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            // The same password typed on two keyboards (composed or decomposed accents) is the same password.
            sha.update(Normalizer.normalize(password, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
