package org.videoroom.sdp;

import java.util.Objects;

/**
 * The result of {@link AnswerBuilder#answer}: the answer to send to the browser and the summary of
 * what it agreed.
 *
 * <p>Immutable; safe to share between threads.
 */
public record NegotiatedAnswer(SessionDescription answer, NegotiatedSession session) {

    public NegotiatedAnswer {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(session, "session");
    }
}
