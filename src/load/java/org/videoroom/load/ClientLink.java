package org.videoroom.load;

import java.io.IOException;

/**
 * One synthetic participant's datagram path to the server under test: the selected pair of its ICE agent (the
 * SFU), or a plain UDP socket (the raw relay). SRTP happens above it; this moves opaque datagrams.
 */
public interface ClientLink extends AutoCloseable {

    /** Where received datagrams go: called on the link's one reader thread, with a buffer reused after return. */
    @FunctionalInterface
    interface Receiver {
        void onDatagram(byte[] buf, int off, int len, long arrivalNanos);
    }

    /** Starts handing datagrams to {@code receiver}; at most once. */
    void start(Receiver receiver);

    /** Sends one datagram; safe from any thread. */
    void send(byte[] buf, int off, int len) throws IOException;

    /** Stops the reader and frees the socket; idempotent. */
    @Override
    void close();
}
