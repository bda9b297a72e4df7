package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpNetworkTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.0/8      | 127.0.0.1       | true
            127.0.0.0/8      | 127.255.255.254 | true
            127.0.0.0/8      | 128.0.0.1       | false
            127.0.0.1/32     | 127.0.0.1       | true
            127.0.0.1/32     | 127.0.0.2       | false
            127.0.0.1        | 127.0.0.1       | true
            10.0.0.0/12      | 10.15.255.255   | true
            10.0.0.0/12      | 10.16.0.0       | false
            192.168.1.128/25 | 192.168.1.200   | true
            192.168.1.128/25 | 192.168.1.127   | false
            0.0.0.0/0        | 203.0.113.9     | true
            0.0.0.0/0        | ::1             | false
            ::1/128          | ::1             | true
            ::1/128          | ::2             | false
            ::1/128          | 127.0.0.1       | false
            fe80::/10        | fe80::1         | true
            fe80::/10        | febf::1         | true
            fe80::/10        | fec0::1         | false
            2001:db8::/32    | 2001:db8:1::5   | true
            """)
    void contains(String network, String address, boolean expected) throws Exception {
        assertEquals(expected, IpNetwork.parse(network).contains(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1/8",      // host bits set
        "127.0.0.0/33",     // prefix too long for IPv4
        "::/129",           // prefix too long for IPv6
        "127.0.0.0/-1",
        "127.0.0.0/x",
        "localhost/8",      // names are never resolved
        "256.0.0.0/8",
        "1.2.3/8",
        ""
    })
    void rejectsMalformedNetworks(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpNetwork.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.0/8", "::1/128", "10.0.0.0/12", "2001:db8:0:0:0:0:0:0/32"})
    void toStringParsesBackToAnEqualNetwork(String text) {
        IpNetwork network = IpNetwork.parse(text);
        assertEquals(network, IpNetwork.parse(network.toString()));
        assertEquals(network.hashCode(), IpNetwork.parse(network.toString()).hashCode());
    }
}
