package org.videoroom.transport.ice;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.ice4j.StunException;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.message.Message;

/**
 * STUN as the shared ICE port sees it (see {@link org.videoroom.fuzz.ParserFuzzTest} for the rules): the ufrag
 * extraction that decides which transport a datagram from a new address belongs to, ice4j's message decoder behind
 * it, and our own parser of the discovery server's answers.
 */
class StunFuzzTest {

    private static final MethodHandle UFRAG;
    private static final byte[] TRANSACTION = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    static {
        try {
            var method = AbstractUdpListener.class.getDeclaredMethod("getUfrag", byte[].class, int.class, int.class);
            method.setAccessible(true);
            UFRAG = MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "2h")
    void stun(byte[] input) throws Throwable {
        // The filter's own path: a new 5-tuple's first datagram, before any transport owns it.
        Object ufrag = UFRAG.invoke(input, 0, input.length);
        if (ufrag != null && !(ufrag instanceof String)) {
            throw new IllegalStateException("not a ufrag: " + ufrag);
        }
        try {
            Message.decode(input, 0, input.length);
        } catch (StunException | RuntimeException refused) {
            // ice4j refuses with StunException, but its decoder also throws index errors on truncated attributes
            // (found here, e.g. "AAEAAQAAIRKkQrcxBgZD2yl6+oeu"); its MessageProcessingTask catches Throwable, so the
            // datagram is dropped, and MediaService rate-limits the WARNING that ice4j logs for each (IceLogLimit).
        }
        StunAddressDiscovery.parseResponse(input, 0, input.length, TRANSACTION);
    }
}
