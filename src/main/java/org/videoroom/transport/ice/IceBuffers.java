package org.videoroom.transport.ice;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * The buffers ice4j's push API receives datagrams into, pooled: without this ice4j allocates a fresh array and
 * {@link Buffer} per datagram. ice4j asks for one through {@link BufferPool#getBuffer} on its listener thread;
 * the transport's reader (or ice4j itself, for STUN) gives it back through {@link BufferPool#returnBuffer}.
 *
 * <p>The pool is ice4j's process-wide hook (one per class loader: ice4j ships inside the WAR), so it is installed
 * once and shared by every {@link IceServer}. A request larger than {@link #BUFFER_BYTES} (ice4j's own receive
 * buffer is 1500 bytes, so none is) or one that finds the pool empty gets a fresh buffer, counted; a buffer
 * coming back to a full pool is left to the garbage collector.
 *
 * <p>Thread-safe.
 */
final class IceBuffers {

    /** ice4j's listener receives into 1500 bytes; it asks for exactly the datagram's length. */
    static final int BUFFER_BYTES = 1500;
    /** Enough for every transport's inbound queue to be busy at once on a loaded server. */
    static final int POOLED = 4096;

    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(POOLED);
    private static final LongAdder ALLOCATED = new LongAdder();
    private static volatile boolean installed;

    private IceBuffers() {
    }

    /** Points ice4j's buffer hooks at this pool; idempotent. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        BufferPool.getBuffer = IceBuffers::take;
        BufferPool.returnBuffer = buffer -> {
            release(buffer);
            return kotlin.Unit.INSTANCE;
        };
        installed = true;
    }

    static Buffer take(int size) {
        if (size <= BUFFER_BYTES) {
            Buffer buffer = FREE.poll();
            if (buffer != null) {
                buffer.setOffset(0);
                buffer.setLength(size);
                return buffer;
            }
        }
        ALLOCATED.increment();
        return new Buffer(new byte[Math.max(size, BUFFER_BYTES)], 0, size);
    }

    static void release(Buffer buffer) {
        if (buffer != null && buffer.getBuffer().length == BUFFER_BYTES) {
            buffer.setReceivedTime(null);
            buffer.setRemoteAddress(null);
            buffer.setLocalAddress(null);
            FREE.offer(buffer);
        }
    }

    /** Buffers created since start: about the pool's high-water mark while every take found one. */
    static long allocated() {
        return ALLOCATED.sum();
    }
}
