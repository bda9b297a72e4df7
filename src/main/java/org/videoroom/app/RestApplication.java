package org.videoroom.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JSON resources (stats) live under {@code /api}. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
