package org.videoroom.transport.ice;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ice4j.StackProperties;
import org.ice4j.ice.AgentConfig;
import org.ice4j.ice.harvest.AwsCandidateHarvester;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvester;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.ice4j.ice.harvest.StunMappingCandidateHarvester;
import org.jitsi.config.JitsiConfig;

/**
 * Puts ice4j's process-wide configuration into the shape our server needs, before any ice4j class
 * reads it.
 *
 * <p>ice4j takes its settings from Typesafe Config (its {@code reference.conf}), where system
 * properties override the reference values. System properties are strings; Typesafe Config
 * converts them to the type each key is read as (boolean, int, duration), so every value below is
 * written in a form that conversion accepts: {@code "false"}, {@code "1"}, {@code "500ms"}.
 * A list-typed key (such as {@code ice4j.harvest.mapping.stun.addresses}) cannot be set this way,
 * which is why we verify the STUN list is empty instead of setting it.
 *
 * <p>ice4j (through jitsi-metaconfig) caches each value on first read, and builds its mapping
 * harvesters once, so the first {@link IceServer} in a class loader decides. {@link #apply}
 * therefore verifies the effective values: it refuses to go on if ice4j would send traffic off the
 * machine (AWS metadata probe, STUN mapping), and warns if the consent timers were fixed earlier
 * with other values.
 *
 * <p>The properties are JVM-wide and outlive the WAR: an application server that undeploys us keeps them. So
 * {@link #apply} remembers what each key held before the first server of this class loader, and {@link #release}
 * puts that back once the last server closed (an undeploy leaves the system properties as it found them).
 *
 * <p>Thread-safe: {@link #apply} and {@link #release} are synchronized, as they write process-wide state.
 */
final class Ice4jSettings {

    /** ice4j probes 169.254.169.254 (the AWS metadata service) when this is on and it "smells" EC2. */
    static final String AWS_HARVESTER_ENABLED = "ice4j.harvest.mapping.aws.enabled";
    /** When on, every Agent also binds host candidates on every non-loopback interface. */
    static final String USE_DYNAMIC_PORTS = "ice4j.harvest.udp.use-dynamic-ports";
    /**
     * With more than one socket ice4j binds the port with SO_REUSEADDR, which would let a second
     * server bind the same port silently and steal datagrams; one socket makes that a BindException.
     */
    static final String UDP_SOCKET_POOL_SIZE = "ice4j.harvest.udp.socket-pool-size";
    static final String UDP_RECEIVE_BUFFER_SIZE = "ice4j.harvest.udp.receive-buffer-size";
    /**
     * SO_RCVBUF of the shared media port: every publisher's packets queue here while a reader thread is busy,
     * and an overflow is a loss the publisher's congestion control answers by lowering its rate (the OS caps it
     * at net.core.rmem_max).
     */
    static final int RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
    static final String CONSENT_INTERVAL = "ice4j.consent-freshness.interval";
    static final String CONSENT_ORIGINAL_WAIT = "ice4j.consent-freshness.original-wait-interval";
    static final String CONSENT_MAX_WAIT = "ice4j.consent-freshness.max-wait-interval";
    static final String CONSENT_MAX_RETRANSMISSIONS = "ice4j.consent-freshness.max-retransmissions";

    private static final System.Logger LOG = System.getLogger(Ice4jSettings.class.getName());

    /** Servers that applied and have not released; guarded by the class. */
    private static int holders;
    /** What each key held before the first holder (null: unset); guarded by the class. */
    private static Map<String, String> before = Map.of();

    private Ice4jSettings() {
    }

    /**
     * The consent timing ice4j actually uses after {@link #apply}.
     *
     * @param interval time between consent checks
     * @param retransmissionInterval retransmission timeout of one check (first and maximum: no back-off)
     * @param maxRetransmissions retransmissions before ice4j gives up on one check
     */
    record ConsentTiming(Duration interval, Duration retransmissionInterval, int maxRetransmissions) {
    }

    /** The system properties {@link #apply} writes for {@code config}, in a stable order. */
    static Map<String, String> properties(IceConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(AWS_HARVESTER_ENABLED, "false");
        p.put(USE_DYNAMIC_PORTS, "false");
        p.put(UDP_SOCKET_POOL_SIZE, "1");
        p.put(UDP_RECEIVE_BUFFER_SIZE, Integer.toString(RECEIVE_BUFFER_BYTES));
        ConsentTiming consent = wanted(config);
        p.put(CONSENT_INTERVAL, consent.interval().toMillis() + "ms");
        // RFC 7675 section 5.1 retransmits consent checks at a fixed RTO, so first == maximum wait.
        p.put(CONSENT_ORIGINAL_WAIT, consent.retransmissionInterval().toMillis() + "ms");
        p.put(CONSENT_MAX_WAIT, consent.retransmissionInterval().toMillis() + "ms");
        p.put(CONSENT_MAX_RETRANSMISSIONS, Integer.toString(consent.maxRetransmissions()));
        // Read by StunStack with Boolean.getBoolean: without it, a Binding request that carries no
        // MESSAGE-INTEGRITY is answered, although RFC 8445 section 7.2.2 requires short-term credentials.
        p.put(StackProperties.REQUIRE_MESSAGE_INTEGRITY, "true");
        return p;
    }

    /**
     * Writes the properties, reloads ice4j's configuration and verifies what took effect. Each call must be paired
     * with a {@link #release}, also when this throws.
     *
     * @return the consent timing ice4j will use
     * @throws IceException if ice4j is configured to contact the AWS metadata service or STUN servers
     */
    static synchronized ConsentTiming apply(IceConfig config) {
        Map<String, String> written = properties(config);
        if (holders++ == 0) {
            Map<String, String> previous = new LinkedHashMap<>();
            written.keySet().forEach(key -> previous.put(key, System.getProperty(key)));
            before = previous;
        }
        written.forEach(System::setProperty);
        // Drops Typesafe Config's caches (including its copy of the system properties) and rebuilds
        // ice4j's config source. Values ice4j has already read stay cached; see the class comment.
        JitsiConfig.Companion.reloadNewConfig();

        HarvestConfig harvest = HarvestConfig.config;
        if (harvest.enableAwsHarvester()) {
            throw new IceException(AWS_HARVESTER_ENABLED + " is still true (set elsewhere?);"
                    + " refusing to start ICE that may probe the AWS metadata service");
        }
        List<String> stunServers = harvest.stunMappingCandidateHarvesterAddresses();
        if (!stunServers.isEmpty()) {
            throw new IceException("ice4j STUN mapping harvesters are configured " + stunServers
                    + "; refusing to start ICE that sends traffic to them (advertise an address instead)");
        }
        // Builds the process-wide mapping harvesters now, under the settings above, rather than
        // whenever the first Agent is created.
        for (MappingCandidateHarvester h : MappingCandidateHarvesters.getHarvesters()) {
            if (h instanceof AwsCandidateHarvester || h instanceof StunMappingCandidateHarvester) {
                throw new IceException("ice4j mapping harvester " + h + " was created before our settings applied");
            }
        }

        ConsentTiming effective = effective();
        ConsentTiming wanted = wanted(config);
        if (!effective.equals(wanted)) {
            LOG.log(Level.WARNING, "ice4j consent timing is {0}, not {1}: it was fixed by an earlier"
                    + " server in this class loader or by ice4j properties set elsewhere", effective, wanted);
        }
        return effective;
    }

    /**
     * Ends one {@link #apply}; after the last, every key is back at what it held before the first (ice4j keeps the
     * values it cached, which matters only to a server created later in this class loader, as after any apply).
     */
    static synchronized void release() {
        if (holders == 0) {
            return;
        }
        if (--holders == 0) {
            before.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            before = Map.of();
        }
    }

    /** What ice4j currently reads for the consent timers (cached after its first read). */
    static ConsentTiming effective() {
        AgentConfig agent = AgentConfig.config;
        return new ConsentTiming(
                agent.getConsentFreshnessInterval(),
                agent.getConsentFreshnessOriginalWaitInterval(),
                agent.getMaxConsentFreshnessRetransmissions());
    }

    /**
     * The timing derived from {@code config}: one consent transaction retransmits until the next
     * check is due, so a dead peer sees at most one outstanding check at a time.
     */
    static ConsentTiming wanted(IceConfig config) {
        long retransmissions = config.consentInterval().toMillis() / config.consentRetransmissionInterval().toMillis();
        return new ConsentTiming(
                Duration.ofMillis(config.consentInterval().toMillis()),
                Duration.ofMillis(config.consentRetransmissionInterval().toMillis()),
                (int) Math.max(1, Math.min(retransmissions, 1000)));
    }
}
