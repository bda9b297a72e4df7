package org.videoroom.app;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;

/** Answers 401 to a request for an {@link AdminOnly} resource that {@link AdminAccess} does not allow. */
@Provider
@AdminOnly
public class AdminAccessFilter implements ContainerRequestFilter {

    private static final System.Logger LOG = System.getLogger(AdminAccessFilter.class.getName());
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        String token = ConfigProvider.getConfig().getOptionalValue("videoroom.admin.token", String.class).orElse(null);
        boolean forwarded = context.getHeaderString("X-Forwarded-For") != null
                || context.getHeaderString("Forwarded") != null;
        if (AdminAccess.allows(token, context.getHeaderString(HttpHeaders.AUTHORIZATION), request.getRemoteAddr(),
                forwarded)) {
            return;
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "refused {0} to {1} without the admin token (further refusals are not logged;"
                    + " set videoroom.admin.token and send it as a bearer token)", context.getUriInfo().getPath(),
                    request.getRemoteAddr());
        }
        context.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"videoroom\"")
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity("an admin token is required (Authorization: Bearer …), or a request from this machine\n")
                .build());
    }
}
