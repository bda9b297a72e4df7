package org.videoroom.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;

/**
 * Binds the media port when the application starts, not on the first offer, so readiness means "media can
 * flow". A port that cannot be bound (another process holds it) leaves the deployment up and readiness DOWN;
 * every readiness probe tries again.
 */
@ApplicationScoped
public class MediaStartup {

    private static final System.Logger LOG = System.getLogger(MediaStartup.class.getName());

    @Inject
    MediaService media;

    void onStartup(@Observes Startup startup) {
        if (!tryStart()) {
            LOG.log(Level.ERROR, "the media port could not be bound; readiness stays DOWN until it is");
        }
    }

    /** Creates the media service if it is not there yet; whether it is running now. */
    boolean tryStart() {
        try {
            return !media.mediaAddresses().isEmpty();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "media service failed to start: {0}", MediaHealth.describe(e));
            return false;
        }
    }
}
