package org.videoroom.lobby;

import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import java.io.IOException;
import java.util.Map;

/**
 * A redirect to a path on this server, sent as a relative reference (RFC 9110 §10.2.2 allows one in
 * {@code Location}), so the browser stays on the scheme, host and port it used. {@link ExternalContext#redirect}
 * would let the servlet container make the URL absolute from what it saw, and behind a proxy that ends TLS the
 * container sees plain http: the redirect would take the person off https, and their camera with it.
 */
final class RelativeRedirect {

    private static final int FOUND = 302;

    private RelativeRedirect() {
    }

    /** Redirects to {@code path} (absolute, starting with the context path) and completes the response. */
    static void to(String path) throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        if (faces.getPartialViewContext().isAjaxRequest()) {
            // An Ajax redirect is a partial response the page's script follows, relative to the page: as it is.
            external.redirect(path);
        } else {
            external.setResponseStatus(FOUND);
            external.setResponseHeader("Location", external.encodeRedirectURL(path, Map.of()));
        }
        faces.responseComplete();
    }
}
