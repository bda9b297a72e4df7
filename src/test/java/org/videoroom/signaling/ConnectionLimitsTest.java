package org.videoroom.signaling;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimitsTest {

    @Test
    void oneAddressIsCappedWhileOthersAreNot() {
        ConnectionLimits limits = new ConnectionLimits(10, 3);
        List<ConnectionLimits.Lease> mallory = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mallory.add(limits.acquire("10.0.0.66").lease());
        }
        ConnectionLimits.Admission fourth = limits.acquire("10.0.0.66");
        assertFalse(fourth.admitted());
        assertEquals(ConnectionLimits.Refusal.ADDRESS_FULL, fourth.refusal());
        assertTrue(limits.acquire("10.0.0.7").admitted(), "another address is unaffected");
        assertEquals(4, limits.open());
        assertEquals(1, limits.refused(ConnectionLimits.Refusal.ADDRESS_FULL));

        mallory.get(0).release();
        mallory.get(0).release(); // twice: counted once
        assertEquals(2, limits.open("10.0.0.66"));
        assertTrue(limits.acquire("10.0.0.66").admitted(), "a freed place can be taken again");
        mallory.forEach(ConnectionLimits.Lease::release);
        assertEquals(1, limits.open("10.0.0.66"));
    }

    @Test
    void theTotalIsCappedWithUnknownAddressesToo() {
        ConnectionLimits limits = new ConnectionLimits(2, 1);
        ConnectionLimits.Lease a = limits.acquire(null).lease();
        assertTrue(limits.acquire(null).admitted(), "an unknown address has no per-address cap");
        ConnectionLimits.Admission third = limits.acquire("10.0.0.1");
        assertEquals(ConnectionLimits.Refusal.SERVER_FULL, third.refusal());
        assertEquals(0, limits.open("10.0.0.1"), "a refused socket leaves no count behind");
        a.release();
        assertTrue(limits.acquire("10.0.0.1").admitted());
        assertEquals(2, limits.open());
    }

    @Test
    void zeroMeansNoCap() {
        ConnectionLimits limits = new ConnectionLimits(0, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limits.acquire("127.0.0.1").admitted());
        }
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(-1, 0));
    }
}
