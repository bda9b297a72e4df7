package org.videoroom.room;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque, unguessable participant identity (72 random bits, base64url): ids appear in signaling messages and,
 * later, in media stream ids, so they must not reveal join order or let one client guess another's id. Immutable.
 */
public record ParticipantId(String value) {

    private static final int RANDOM_BYTES = 9;

    public ParticipantId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("participant id must not be empty");
        }
    }

    static ParticipantId random(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new ParticipantId(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
