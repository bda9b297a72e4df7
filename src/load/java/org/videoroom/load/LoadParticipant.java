package org.videoroom.load;

import java.util.concurrent.CompletableFuture;
import org.videoroom.load.media.Publisher;
import org.videoroom.load.media.Subscriber;

/**
 * What a run needs of one synthetic participant, whichever server it talks to: the SFU ({@link
 * SyntheticParticipant}) or the raw relay ({@link RelayParticipant}).
 */
interface LoadParticipant extends AutoCloseable {

    String name();

    String room();

    /** Completes once media can flow (keys agreed), exceptionally if it never will. */
    CompletableFuture<Void> mediaReady();

    default boolean isMediaReady() {
        return mediaReady().isDone() && !mediaReady().isCompletedExceptionally();
    }

    Publisher publisher();

    /** The receive side, or {@code null} before media is ready. */
    Subscriber subscriber();

    /** Why it failed, for the run's error message; {@code null} if nothing went wrong. */
    String lastError();

    @Override
    void close();
}
