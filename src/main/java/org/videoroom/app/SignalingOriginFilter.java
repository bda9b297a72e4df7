package org.videoroom.app;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.videoroom.signaling.OriginPolicy;
import org.videoroom.signaling.PeerAddressConfigurator;

/**
 * The signaling handshake's own filter. It refuses a handshake from a foreign web page (see {@link OriginPolicy}) with 403 before the container
 * upgrades it: the socket never opens, so such a page cannot join a room. Runs before the container's own
 * WebSocket filter, which both Payara (Tyrus) and WildFly (Undertow) register after the application's filters.
 * Refusals are counted; the first is logged, later ones only counted. A handshake it lets through carries the
 * client's address to the endpoint in {@link PeerAddressConfigurator#HEADER} (the connection limits need it).
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class SignalingOriginFilter extends HttpFilter {

    private static final System.Logger LOG = System.getLogger(SignalingOriginFilter.class.getName());
    private static final LongAdder REFUSED = new LongAdder();
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    @Inject
    @ConfigProperty(name = "videoroom.signaling.allowed-origins", defaultValue = " ")
    String allowedOrigins;

    private volatile OriginPolicy policy;

    /** Handshakes refused for their origin since the application started. */
    static long refused() {
        return REFUSED.sum();
    }

    @Override
    public void init() {
        policy = OriginPolicy.parse(allowedOrigins);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (policy.allows(origin, request.getHeader("Host"), request.getHeader("X-Forwarded-Host"))) {
            chain.doFilter(new PeerAddressRequest(request), response);
            return;
        }
        REFUSED.increment();
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "refused a signaling socket from the foreign origin {0} (further refusals are only"
                    + " counted; allow origins with videoroom.signaling.allowed-origins)", origin);
        }
        response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
    }

    /**
     * The request with the server-set peer address header; the client's own header of that name is hidden. Its
     * local and remote names are the addresses: Tyrus asks for the local name during every upgrade, and Grizzly
     * answers that with a reverse DNS lookup of the server's address, which where nothing answers for that
     * address (a container, a private network) held each handshake for the resolver's timeout, 10 s and more.
     */
    private static final class PeerAddressRequest extends HttpServletRequestWrapper {
        private final String address;

        PeerAddressRequest(HttpServletRequest request) {
            super(request);
            this.address = request.getRemoteAddr();
        }

        @Override
        public String getLocalName() {
            return getLocalAddr();
        }

        @Override
        public String getRemoteHost() {
            return address;
        }

        @Override
        public String getHeader(String name) {
            return PeerAddressConfigurator.HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return PeerAddressConfigurator.HEADER.equalsIgnoreCase(name)
                    ? Collections.enumeration(address == null ? List.of() : List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e != null && e.hasMoreElements(); ) {
                String name = e.nextElement();
                if (!PeerAddressConfigurator.HEADER.equalsIgnoreCase(name)) {
                    names.add(name);
                }
            }
            if (address != null) {
                names.add(PeerAddressConfigurator.HEADER);
            }
            return Collections.enumeration(names);
        }
    }
}
