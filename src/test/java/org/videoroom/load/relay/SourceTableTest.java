package org.videoroom.load.relay;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SourceTableTest {

    @Test
    void findsEveryRegisteredSourceByAnEqualAddressAndNothingElse() {
        SourceTable<Integer> table = SourceTable.empty();
        for (int port = 40_000; port < 40_300; port++) {
            table = table.with(new InetSocketAddress("127.0.0.1", port), port);
        }
        table = table.with(new InetSocketAddress("127.0.0.2", 40_000), -1);
        assertEquals(301, table.size());
        for (int port = 40_000; port < 40_300; port++) {
            // A new but equal address, as DatagramChannel.receive hands out.
            assertEquals(port, table.get(new InetSocketAddress("127.0.0.1", port)));
        }
        assertEquals(-1, table.get(new InetSocketAddress("127.0.0.2", 40_000)));
        assertNull(table.get(new InetSocketAddress("127.0.0.1", 40_300)));
        assertNull(table.get(new InetSocketAddress("127.0.0.3", 40_000)));
        assertNull(table.get(null));
    }

    @Test
    void addingLeavesTheOldTableAsItWas() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5001);
        SourceTable<String> one = SourceTable.<String>empty().with(a, "a");
        SourceTable<String> two = one.with(b, "b");
        assertNull(one.get(b));
        assertEquals("a", two.get(a));
        assertEquals("b", two.get(b));
        assertNull(SourceTable.<String>empty().get(a));
    }

    @Test
    void aSourceIsRegisteredOnce() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
        SourceTable<String> one = SourceTable.<String>empty().with(a, "a");
        assertThrows(IllegalArgumentException.class, () -> one.with(new InetSocketAddress("127.0.0.1", 5000), "b"));
        assertThrows(IllegalArgumentException.class,
                () -> one.with(InetSocketAddress.createUnresolved("localhost", 5001), "c"));
    }
}
