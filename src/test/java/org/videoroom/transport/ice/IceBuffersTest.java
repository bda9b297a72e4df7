package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.junit.jupiter.api.Test;

class IceBuffersTest {

    @Test
    void ice4jsHooksTakeFromAndReturnToThePool() {
        IceBuffers.install();
        Buffer buffer = BufferPool.getBuffer.invoke(1200);
        assertEquals(1200, buffer.getLength());
        assertEquals(IceBuffers.BUFFER_BYTES, buffer.getBuffer().length);
        buffer.setReceivedTime(Instant.now());
        buffer.setRemoteAddress(new InetSocketAddress("127.0.0.1", 5000));
        BufferPool.returnBuffer.invoke(buffer);

        // Each thread of this JVM shares the pool; keep taking until ours comes round again.
        Buffer again = null;
        for (int i = 0; i <= IceBuffers.POOLED && again != buffer; i++) {
            again = IceBuffers.take(100);
            if (again != buffer) {
                IceBuffers.release(again);
            }
        }
        assertSame(buffer, again, "the returned buffer is reused");
        assertEquals(100, again.getLength());
        assertEquals(0, again.getOffset());
        assertNull(again.getReceivedTime(), "nothing of the previous datagram is left");
        assertNull(again.getRemoteAddress());
        IceBuffers.release(again);
    }

    @Test
    void anOversizeRequestGetsItsOwnBufferWhichIsNotPooled() {
        long before = IceBuffers.allocated();
        Buffer big = IceBuffers.take(IceBuffers.BUFFER_BYTES + 1);
        assertTrue(big.getBuffer().length > IceBuffers.BUFFER_BYTES);
        assertTrue(IceBuffers.allocated() > before);
        IceBuffers.release(big);
        Buffer next = IceBuffers.take(10);
        assertNotSame(big, next);
        IceBuffers.release(next);
    }
}
