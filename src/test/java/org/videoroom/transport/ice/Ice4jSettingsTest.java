package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.ice4j.StackProperties;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What we tell ice4j, and that ice4j reads it with the types it expects. */
class Ice4jSettingsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ice4j.harvest.mapping.aws.enabled              | false
            ice4j.harvest.udp.use-dynamic-ports            | false
            ice4j.harvest.udp.socket-pool-size             | 1
            ice4j.harvest.udp.receive-buffer-size          | 8388608
            ice4j.consent-freshness.interval               | 5000ms
            ice4j.consent-freshness.original-wait-interval | 500ms
            ice4j.consent-freshness.max-wait-interval      | 500ms
            ice4j.consent-freshness.max-retransmissions    | 10
            org.ice4j.REQUIRE_MESSAGE_INTEGRITY            | true
            """)
    void propertiesForTheDefaults(String key, String value) {
        assertEquals(value, Ice4jSettings.properties(IceConfig.defaults()).get(key));
    }

    @Test
    void writesNothingElse() {
        assertEquals(9, Ice4jSettings.properties(IceConfig.defaults()).size());
    }

    @Test
    void ice4jReadsTheValuesWithTheirTypes() {
        Ice4jSettings.ConsentTiming timing = Ice4jSettings.apply(TestIceConfigs.loopback());
        try {
            assertReads(timing);
        } finally {
            Ice4jSettings.release();
        }
    }

    private static void assertReads(Ice4jSettings.ConsentTiming timing) {

        HarvestConfig harvest = HarvestConfig.config;
        assertFalse(harvest.enableAwsHarvester(), "boolean from the string 'false'");
        assertFalse(harvest.useDynamicPorts());
        assertEquals(1, harvest.udpSocketPoolSize(), "int from the string '1'");
        assertEquals(Integer.valueOf(8388608), harvest.udpReceiveBufferSize(), "int from the string '8388608'");
        assertTrue(harvest.stunMappingCandidateHarvesterAddresses().isEmpty());
        assertEquals(0, MappingCandidateHarvesters.getHarvesters().length, "no AWS, STUN or static mapping");
        assertTrue(Boolean.getBoolean(StackProperties.REQUIRE_MESSAGE_INTEGRITY));
        // Durations from strings such as '300ms'.
        assertEquals(new Ice4jSettings.ConsentTiming(
                TestIceConfigs.CONSENT_INTERVAL, TestIceConfigs.CONSENT_RETRANSMISSION, 3), timing);
        assertEquals(timing, Ice4jSettings.effective());
    }

    @Test
    void theFirstServerFixesTheConsentTimers() {
        Ice4jSettings.apply(TestIceConfigs.loopback());
        try {
            IceConfig other = TestIceConfigs.loopback()
                    .withConsent(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(20));

            // ice4j cached its values on first read; a later server cannot change them (it warns).
            assertEquals(Ice4jSettings.wanted(TestIceConfigs.loopback()), Ice4jSettings.apply(other));
        } finally {
            Ice4jSettings.release();
            Ice4jSettings.release();
        }
    }

    /** An application server keeps system properties across an undeploy: the last server gives them back. */
    @Test
    void theLastReleasePutsBackWhatThePropertiesHeld() {
        String set = Ice4jSettings.UDP_RECEIVE_BUFFER_SIZE;
        String unset = Ice4jSettings.CONSENT_INTERVAL;
        String heldSet = System.getProperty(set);
        String heldUnset = System.getProperty(unset);
        System.setProperty(set, "65536");
        System.clearProperty(unset);
        try {
            Ice4jSettings.apply(TestIceConfigs.loopback());
            Ice4jSettings.apply(TestIceConfigs.loopback());
            Ice4jSettings.release();
            assertEquals("8388608", System.getProperty(set), "a server is still open");
            Ice4jSettings.release();

            assertEquals("65536", System.getProperty(set));
            assertNull(System.getProperty(unset));
            assertNull(System.getProperty(StackProperties.REQUIRE_MESSAGE_INTEGRITY));
            Ice4jSettings.release();
            assertEquals("65536", System.getProperty(set), "a release too many changes nothing");
        } finally {
            restore(set, heldSet);
            restore(unset, heldUnset);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void oneConsentTransactionLastsOneInterval() {
        Map<String, String> p = Ice4jSettings.properties(IceConfig.defaults()
                .withConsent(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(30)));
        assertEquals("8", p.get(Ice4jSettings.CONSENT_MAX_RETRANSMISSIONS));
    }
}
