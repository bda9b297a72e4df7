package org.videoroom.tls;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateHostsTest {

    @Test
    void literalsBecomeAddressesAndTheRestNames() throws Exception {
        CertificateHosts hosts = CertificateHosts.parse(" Room.Example.org, 10.98.0.1,[::1], localhost ,,*.lan.example");
        assertEquals(List.of("room.example.org", "localhost", "*.lan.example"), hosts.dnsNames());
        assertEquals(List.of(InetAddress.getByName("10.98.0.1"), InetAddress.getByName("::1")), hosts.addresses());
        assertEquals("room.example.org,localhost,*.lan.example,10.98.0.1,0:0:0:0:0:0:0:1", hosts.describe());
    }

    @Test
    void duplicatesCountOnce() {
        CertificateHosts hosts = CertificateHosts.parse("localhost,LOCALHOST,127.0.0.1,127.0.0.1");
        assertEquals(List.of("localhost"), hosts.dnsNames());
        assertEquals(1, hosts.addresses().size());
    }

    @Test
    void somethingThatIsNeitherIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateHosts.parse("localhost,room_1.example"));
        assertTrue(e.getMessage().contains("room_1.example"), e.getMessage());
        // Out of range: not a literal, and never looked up as a name either.
        assertThrows(IllegalArgumentException.class, () -> CertificateHosts.parse("999.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> CertificateHosts.parse("-bad.example"));
        assertThrows(IllegalArgumentException.class, () -> CertificateHosts.parse(" , "));
    }

    @Test
    void thisMachineIsAtLeastLocalhostAndBothLoopbackAddresses() throws Exception {
        CertificateHosts hosts = CertificateHosts.thisMachine();
        assertEquals("localhost", hosts.dnsNames().getFirst());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), hosts.addresses());
    }
}
